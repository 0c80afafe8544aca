"""Outgoing email: SMTP when a server is configured, otherwise the log and instance/outbox/."""

import logging
import re
import smtplib
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from typing import Any

from flask import current_app, render_template
from flask_mail import Attachment, Message

from snt.extensions import mail
from snt.storage import files_dir

log = logging.getLogger(__name__)


def send_email(
    subject: str, recipients: list[str], template: str, attachments: Iterable[Attachment] = (), **context
) -> Message:
    """Render templates/email/<template>.txt and .html and send them to `recipients`."""
    msg = build_email(subject, recipients, template, attachments, **context)
    dispatch(msg)
    return msg


def build_email(
    subject: str, recipients: list[str], template: str, attachments: Iterable[Attachment] = (), **context
) -> Message:
    """The message `send_email` would send, rendered but not sent.

    An attachment with a Content-ID header can be shown in the HTML as <img src="cid:…">."""
    context.setdefault("snt_name", current_app.config["NAME"])
    msg = Message(
        subject=f"{current_app.config['NAME']}: {subject}",
        recipients=recipients,
        body=render_template(f"email/{template}.txt", **context),
        html=render_template(f"email/{template}.html", **context),
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )
    for a in attachments:
        msg.attach(a.filename, a.content_type, a.data, a.disposition, a.headers)
    return msg


def dispatch(msg: Message) -> None:
    """SMTP when a mail server is configured, otherwise the log and instance/outbox/."""
    if current_app.config.get("MAIL_SERVER"):
        mail.send(msg)
    else:
        _save_to_outbox(msg)


class MailSession:
    """One SMTP conversation for a batch of messages (a meeting's notice to every owner): the
    connection opens at the first message and is dropped after any error, so the next message
    starts afresh. Without a mail server, messages go where `dispatch` puts them."""

    def __init__(self) -> None:
        self._connection: Any = None  # a flask_mail Connection once opened

    def send(self, msg: Message) -> None:
        if not current_app.config.get("MAIL_SERVER"):
            _save_to_outbox(msg)
            return
        try:
            if self._connection is None:
                self._connection = mail.connect().__enter__()
            self._connection.send(msg)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None and connection.host is not None:
            with suppress(OSError, smtplib.SMTPException):
                connection.host.quit()


def send_email_or_log(subject: str, recipients: list[str], template: str, **context) -> bool:
    """`send_email` for mail that follows an action already saved: a failure is logged, not raised."""
    try:
        send_email(subject, recipients, template, **context)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send %r to %s", subject, recipients)
        return False
    return True


def _save_to_outbox(msg: Message) -> None:
    outbox = files_dir("outbox")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    # An address may hold «/» and other characters a file name cannot (x/y@mail.ru is valid).
    recipient = re.sub(r"[^A-Za-z0-9._-]", "_", msg.recipients[0].replace("@", "_at_"))[:100]
    path = outbox / f"{stamp}-{recipient}.txt"
    path.write_text(
        f"To: {', '.join(msg.recipients)}\nSubject: {msg.subject}\n\n{msg.body}", encoding="utf-8"
    )
    log.info("No mail server configured; email to %s saved to %s\n%s", msg.recipients, path, msg.body)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for emails, built from SITE_URL and never from the request's Host."""
    adapter = current_app.url_map.bind("localhost")
    return current_app.config["SITE_URL"].rstrip("/") + adapter.build(endpoint, values)
