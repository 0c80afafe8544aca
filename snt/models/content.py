"""Public content and messages: pages, announcements, documents, contact-form messages."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, utcnow


class Page(Model):
    """A public page whose text the board edits: charter, board, finances, contacts, privacy."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Announcement(Model):
    """A notice on the home page; a draft until `published_at` is set. `body` is Markdown."""

    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    is_public: Mapped[bool] = mapped_column(default=True)
    pinned: Mapped[bool] = mapped_column(default=False)
    pinned_until: Mapped[date | None]  # a meeting's notice stays on top until the meeting
    published_at: Mapped[datetime | None] = mapped_column(index=True)


class Document(Model):
    """An uploaded file (charter, budget, report, minutes, requisites) kept under instance/documents/.

    The file on disk has a generated name (`stored_name`); the member downloads it under its
    original name.
    """

    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(20), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    is_public: Mapped[bool] = mapped_column(default=False)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))


class ContactMessage(Model):
    """A message sent through the contact form, kept for the board."""

    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    plot_number: Mapped[str] = mapped_column(String(10), default="")
    text: Mapped[str] = mapped_column(Text)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    is_read: Mapped[bool] = mapped_column(default=False)
    handled_at: Mapped[datetime | None]  # the board has dealt with it
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    replies: Mapped[list["ContactReply"]] = relationship(
        back_populates="message", cascade="all, delete-orphan", order_by="ContactReply.sent_at"
    )


class ContactReply(Model):
    """A reply the board emailed from the admin area to the sender of a contact message."""

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("contact_message.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    author_email: Mapped[str] = mapped_column(String(254), default="")
    text: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[ContactMessage] = relationship(back_populates="replies")
