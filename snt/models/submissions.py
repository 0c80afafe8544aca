"""Readings passed by members themselves, waiting for the treasurer, and their reminders."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.accounts import Account
from snt.models.base import Model, utcnow
from snt.models.registry import Plot
from snt.models.sms import OutboxState
from snt.money import Hundredths


class ReadingSubmission(Model):
    """A member's reading of a plot's meter «на 1 <month>», with an optional photo.

    It becomes a Reading only when the treasurer accepts it (through the readings import), so a
    mistyped value never reaches charges or the monthly SMS. `flags` are the on-the-spot checks'
    warnings the member confirmed, one per line, for the treasurer.
    """

    PENDING, ACCEPTED, REJECTED = "pending", "accepted", "rejected"
    # Ids travel in URLs (the photo, the queue's buttons): never reused after a deletion.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))
    period: Mapped[date] = mapped_column(index=True)  # the 1st of a month: the reading's date
    day: Mapped[Decimal | None] = mapped_column(Hundredths)
    night: Mapped[Decimal | None] = mapped_column(Hundredths)
    total: Mapped[Decimal] = mapped_column(Hundredths)
    meter_replaced: Mapped[bool] = mapped_column(default=False)
    photo: Mapped[str] = mapped_column(String(64), default="")  # file name in the photo folder
    photo_taken_at: Mapped[datetime | None]  # the camera's own date (EXIF), before it is dropped
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")  # why it was rejected
    flags: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))

    plot: Mapped[Plot] = relationship()
    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])

    @property
    def flag_list(self) -> list[str]:
        return [line for line in self.flags.splitlines() if line]


class ReadingReminder(OutboxState, Model):
    """The once-per-period reminder to pass readings: one row per account, period and channel,
    with the monthly SMS's once-only states (see SmsMessage)."""

    SMS, EMAIL = "sms", "email"
    __table_args__ = (UniqueConstraint("account_id", "period", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    period: Mapped[date]  # the 1st the readings are due for
    channel: Mapped[str] = mapped_column(String(5))
    address: Mapped[str] = mapped_column(String(254))  # the phone (8XXXXXXXXXX) or the email
    text: Mapped[str] = mapped_column(Text)
    gateway_id: Mapped[str | None] = mapped_column(String(200))
