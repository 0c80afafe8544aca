"""Electricity and money: tariffs, readings, charges, payments, imports."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from snt.models.base import Model, utcnow
from snt.models.registry import Plot
from snt.money import Hundredths


class Tariff(Model):
    """Electricity prices in force from `valid_from` until the next tariff's date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    valid_from: Mapped[date] = mapped_column(unique=True)
    single: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, single-rate
    day: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, T1
    night: Mapped[Decimal] = mapped_column(Hundredths)  # ₽/kWh, T2


class Reading(Model):
    """A meter reading of a plot on a date. Single-register meters have only `total`."""

    # (plot_id, taken_on) also finds a plot's readings around a date; taken_on alone, a month's.
    # No index on plot_id alone: this one begins with it, and each insert maintains every index.
    __table_args__ = (UniqueConstraint("plot_id", "taken_on", "meter_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"))
    taken_on: Mapped[date] = mapped_column(index=True)
    day: Mapped[Decimal | None] = mapped_column(Hundredths)
    night: Mapped[Decimal | None] = mapped_column(Hundredths)
    total: Mapped[Decimal] = mapped_column(Hundredths)
    # True for the first reading of a new meter (after a replacement): no period ends here.
    meter_start: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()


class MainReading(Model):
    """A reading of the partnership's main (transformer) meter, for the losses report.

    A table of its own rather than a reserved Plot: a fake plot would have to be filtered out of
    the registry, fees, debtors, exports, SMS, claims and checks one query at a time, and one
    forgotten filter would bill or show it. This table is read by the losses report only.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_on: Mapped[date] = mapped_column(unique=True)
    day: Mapped[Decimal | None] = mapped_column(Hundredths)
    night: Mapped[Decimal | None] = mapped_column(Hundredths)
    total: Mapped[Decimal] = mapped_column(Hundredths)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meter_start = False  # not a column: the main meter's replacement is not recorded (yet)


class Charge(Model):
    """An amount the plot owes: a yearly fee, or electricity for a period between two readings."""

    MEMBERSHIP, TARGET, ELECTRICITY = "membership", "target", "electricity"
    KINDS = (MEMBERSHIP, TARGET, ELECTRICITY)
    __table_args__ = (
        UniqueConstraint("plot_id", "kind", "year", "title", "period_end"),
        # A month's SMS finds the charges of its month without reading everyone's whole history.
        Index("ix_charge_kind_period_start", "kind", "period_start"),
        # Balances are sums per plot and kind (snt.payments.balances, the SMS's «К оплате»): read
        # from this index alone, in its order, never from the table's 10 years of rows. An import
        # finds the charges of the periods it touches through it, and the member's page a plot's
        # recent periods. No index on plot_id alone or (plot_id, period_start): this one serves
        # them, and an import maintains every index for each row it inserts.
        Index("ix_charge_plot_id_kind_period_start_amount", "plot_id", "kind", "period_start", "amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"))
    kind: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(200), default="")
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    # Electricity only: the period and the tariff it was billed with (a later tariff never rewrites it).
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    tariff_id: Mapped[int | None] = mapped_column(ForeignKey("tariff.id"))
    # Fees only: the date given at accrual (`accrue-fees --due`); electricity's follows its period.
    due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()
    tariff: Mapped[Tariff | None] = relationship()


# How pages, files and reports name each kind of charge (and of payment, which uses the same kinds).
KIND_TITLES = {
    Charge.MEMBERSHIP: "Членские взносы",
    Charge.TARGET: "Целевые взносы",
    Charge.ELECTRICITY: "Электроэнергия",
}


class Payment(Model):
    """Money received for a plot; `reference` (the bank's) makes a re-import harmless.

    It keeps what the payer wrote (`purpose`), the year or electricity period that names (the
    allocation pays those charges first), and where the row came from (`source`).
    """

    FILE, STATEMENT, TREASURER, EARLIER = "file", "statement", "treasurer", "earlier"
    # A reversal: the negative twin of a payment entered by mistake (payments are never deleted);
    # an advance carried over from the books a partnership kept before (snt.payments.opening).
    REVERSAL, OPENING = "reversal", "opening"
    SOURCES = (FILE, STATEMENT, TREASURER, EARLIER, REVERSAL, OPENING)
    __table_args__ = (
        # Sums per plot and kind from the index alone (snt.payments.balances); «Сводка»'s
        # «оплаты загружены по …» is the newest paid_on.
        Index("ix_payment_plot_id_kind_amount", "plot_id", "kind", "amount"),
        Index("ix_payment_paid_on", "paid_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plot_id: Mapped[int] = mapped_column(ForeignKey("plot.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Hundredths)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str | None] = mapped_column(String(100), unique=True)
    purpose: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # Rows stored before payments kept their origin say «загружено ранее».
    source: Mapped[str] = mapped_column(String(20), default=EARLIER, server_default=EARLIER)
    for_year: Mapped[int | None]
    # An electricity period named in the purpose, by the first day of the month it starts in.
    for_month: Mapped[date | None]
    # A reversal names the payment it cancels (one reversal per payment); its purpose is the reason.
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plot: Mapped[Plot] = relationship()


class DataImport(Model):
    """One import of a file (registry, readings, payments) or an accrual: when, what, how many rows."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255), default="")
    rows: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
