"""Contact-form messages for the board: the inbox, read and handled marks, replies by email."""

import smtplib

from sqlalchemy import Select, func, select

from snt import audit
from snt.database import write_transaction, writes
from snt.email import send_email
from snt.extensions import db
from snt.models import Account, ContactMessage, ContactReply, utcnow

FILTERS = {"": "все", "unread": "непрочитанные", "open": "ждут ответа", "handled": "обработанные"}


class InboxError(ValueError):
    """A Russian message for the board member."""


def messages_query(kind: str = "") -> Select:
    query = select(ContactMessage).order_by(ContactMessage.created_at.desc(), ContactMessage.id.desc())
    if kind == "unread":
        query = query.where(ContactMessage.is_read.is_(False))
    elif kind == "open":
        query = query.where(ContactMessage.handled_at.is_(None))
    elif kind == "handled":
        query = query.where(ContactMessage.handled_at.is_not(None))
    return query


def unread_count() -> int:
    return db.session.scalar(select(func.count()).where(ContactMessage.is_read.is_(False))) or 0


def open_count() -> int:
    return db.session.scalar(select(func.count()).where(ContactMessage.handled_at.is_(None))) or 0


@writes
def set_read(message: ContactMessage, read: bool) -> None:
    message.is_read = read


@writes
def set_handled(message: ContactMessage, handled: bool, by: Account | None) -> None:
    message.is_read = message.is_read or handled
    message.handled_at = utcnow() if handled else None
    audit.record("message.handled" if handled else "message.reopened", by, message, label=_label(message))


def reply(message: ContactMessage, text: str, by: Account | None, handled: bool = True) -> ContactReply:
    """Email the reply to the sender; only a reply that was sent is kept (and audited)."""
    text = text.strip()
    if not text:
        raise InboxError("Напишите текст ответа.")
    try:
        send_email("ответ правления", [message.email], "contact_reply", message=message, text=text)
    except (OSError, smtplib.SMTPException) as exc:
        raise InboxError(
            f"Письмо на {message.email} не отправлено: почтовый сервер не ответил ({exc.__class__.__name__}). "
            "Попробуйте позже; текст ответа сохранён в форме."
        ) from exc
    with write_transaction():  # after the mail went out: no lock held while the server answers
        answer = ContactReply(
            message=message, author_id=by.id if by else None, author_email=by.email if by else "", text=text
        )
        db.session.add(answer)
        message.is_read = True
        if handled:
            message.handled_at = message.handled_at or utcnow()
        audit.record("message.reply", by, message, label=_label(message), details=text[:500])
    return answer


def _label(message: ContactMessage) -> str:
    return f"сообщение от {message.name} <{message.email}>"
