"""What the treasurer settles by hand: balances brought from the old books, statement payments
no plot could be found for."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import IDS_NEVER_REUSED, Model, utcnow
from snt.models.billing import Charge, Payment
from snt.models.registry import Plot
from snt.money import Hundredths


class OpeningBalance(Model):
    """A plot's balance of one kind as of a date, from the books kept before: loaded once per plot
    and kind (the unique constraint). A debt is stored as a Charge, an advance as a Payment, so
    every balance counts it; this row says where they came from."""

    __table_args__ = (UniqueConstraint("plot_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    as_of: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Hundredths)  # > 0 a debt, < 0 an advance, 0 settled
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charge.id"))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()
    charge: Mapped[Charge | None] = relationship()
    payment: Mapped[Payment | None] = relationship()


class UnmatchedPayment(Model):
    """An incoming payment of a bank statement whose plot (or kind) could not be read: kept for the
    treasurer to assign by hand or mark «не наш платёж». `reference` is the statement's, so a
    re-import finds it again instead of adding it twice."""

    NEW, ASSIGNED, FOREIGN = "new", "assigned", "foreign"
    __table_args__ = (IDS_NEVER_REUSED,)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(100), unique=True)
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    payer: Mapped[str] = mapped_column(String(300), default="")
    purpose: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")  # why it was not matched
    guessed_kind: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=NEW, index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"))
    resolved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    payment: Mapped[Payment | None] = relationship()
