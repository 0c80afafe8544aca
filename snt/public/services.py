"""Public content: pages, announcements, and the contact form's messages."""

from functools import cache

from flask import current_app
from sqlalchemy import Select, and_, bindparam, case, or_, select

from snt import clock
from snt.database import write_transaction
from snt.email import send_email
from snt.extensions import db
from snt.models import Account, Announcement, ContactMessage, Page

# The pages the menu links to; the board edits their text (admin area).
PAGE_TITLES = {
    "charter": "Устав",
    "board": "Правление",
    "budget": "Смета",
    "reports": "Отчёты",
    "minutes": "Протоколы собраний",
    "requisites": "Реквизиты для оплаты",
    "contacts": "Контакты",
    "privacy": "Политика обработки персональных данных",
}


def get_page(slug: str) -> Page | None:
    return db.session.scalar(select(Page).where(Page.slug == slug))


def announcements(members: bool) -> list[Announcement]:
    """Published announcements, pinned first; members-only ones only for members."""
    return list(db.session.scalars(_announcements(members), {"today": clock.today()}))


@cache  # built once (at the first request, not at import): the home page runs it on every visit
def _announcements(members: bool) -> Select:
    query = select(Announcement).where(Announcement.published_at.is_not(None))
    if not members:
        query = query.where(Announcement.is_public.is_(True))
    # A meeting's notice is pinned until the meeting's day, then falls into date order.
    pinned = case(
        (
            and_(
                Announcement.pinned.is_(True),
                or_(Announcement.pinned_until.is_(None), Announcement.pinned_until >= bindparam("today")),
            ),
            1,
        ),
        else_=0,
    )
    return query.order_by(pinned.desc(), Announcement.published_at.desc())


def submit_contact_message(
    name: str, email: str, plot_number: str, text: str, account: Account | None
) -> ContactMessage:
    """Store the message for the board and email it to the board's addresses."""
    account_id = account.id if account else None
    with write_transaction():
        message = ContactMessage(
            name=name.strip(),
            email=email.strip().lower(),
            plot_number=plot_number.strip(),
            text=text.strip(),
            account_id=account_id,
        )
        db.session.add(message)
    recipients = board_addresses()
    if recipients:
        send_email("сообщение с сайта", recipients, "contact_message", message=message)
    return message


def board_addresses() -> list[str]:
    addresses = list(
        db.session.scalars(
            select(Account.email).where(
                or_(Account.role == "board", Account.role == "treasurer"), Account.is_blocked.is_(False)
            )
        )
    )
    extra = current_app.config.get("BOARD_EMAIL")
    if extra and extra not in addresses:
        addresses.append(extra)
    return addresses
