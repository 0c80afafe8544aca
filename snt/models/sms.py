"""The outboxes of the monthly notices: one row per plot and month and channel (SMS, email),
written before the gateway or the mail server is called."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import Model, utcnow
from snt.models.registry import Plot


class OutboxState:
    """The once-only delivery state every outbox row carries (see SmsMessage)."""

    PENDING, SENT, FAILED, UNKNOWN = "pending", "sent", "failed", "unknown"

    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    error: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]


class SmsMessage(OutboxState, Model):
    """The monthly SMS of a plot. `pending` is committed before the gateway call, so after a crash
    a row still `pending` (or `unknown` after a timeout) may have been delivered: it is not resent
    without the operator's explicit decision. `failed` means the gateway surely did not send it."""

    __table_args__ = (UniqueConstraint("plot_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM': the month the electricity period starts
    phone: Mapped[str] = mapped_column(String(11))  # stored form, 8XXXXXXXXXX
    text: Mapped[str] = mapped_column(Text)
    gateway_id: Mapped[str | None] = mapped_column(String(64))

    plot: Mapped[Plot] = relationship()


class EmailNotice(OutboxState, Model):
    """The monthly email of a plot: the same once-only states as SmsMessage.

    A table of its own (not a channel column in sms_message): the address, subject and Message-ID
    are not an SMS's phone, text and gateway id, and the SMS outbox stays as the admin SMS page
    reads it."""

    __table_args__ = (UniqueConstraint("plot_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))
    email: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    gateway_id: Mapped[str | None] = mapped_column(String(200))  # the Message-ID we generated

    plot: Mapped[Plot] = relationship()
