"""The SMS outbox: one row per plot and month, written before the gateway is called."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.extensions import db
from snt.models.base import utcnow
from snt.models.registry import Plot


class SmsMessage(db.Model):
    """The monthly SMS of a plot. `pending` is committed before the gateway call, so after a crash
    a row still `pending` (or `unknown` after a timeout) may have been delivered: it is not resent
    without the operator's explicit decision. `failed` means the gateway surely did not send it."""

    PENDING, SENT, FAILED, UNKNOWN = "pending", "sent", "failed", "unknown"
    __table_args__ = (UniqueConstraint("plot_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # 'YYYY-MM': the month the electricity period starts
    phone: Mapped[str] = mapped_column(String(11))  # stored form, 8XXXXXXXXXX
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    gateway_id: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]

    plot: Mapped[Plot] = relationship()
