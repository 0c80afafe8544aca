"""«Статус моих оплат»: per plot, the balance of each charge kind and year."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Integer, func, select, type_coerce

from snt import billing
from snt.extensions import db
from snt.models import KIND_TITLES, Charge, DataImport, Payment, Plot

KIND_ORDER = {kind: i for i, kind in enumerate(Charge.KINDS)}


@dataclass
class PlotStatus:
    plot: Plot
    rows: list[billing.BalanceRow] = field(default_factory=list)
    electricity_paid: Decimal = billing.ZERO
    last_electricity_payment: date | None = None

    @property
    def due(self) -> Decimal:
        return sum((r.due for r in self.rows), billing.ZERO)

    @property
    def prepaid(self) -> Decimal:
        return sum((r.prepaid for r in self.rows), billing.ZERO)


def row_label(row: billing.BalanceRow) -> str:
    return f"{row.title or KIND_TITLES[row.kind]} {row.year}"


def payment_status(plots: list[Plot]) -> list[PlotStatus]:
    """Balances of `plots` (already checked as the member's verified ones). Three queries.

    Sums come from SQL where the allocation cannot tell the difference: a plot's electricity
    charges of one year are consecutive in oldest-first order and share one row, so their sum
    is allocated as they would be one by one; payments are summed per plot and kind. The rows
    read grow with years, not with months of readings or payments.
    """
    plot_ids = [p.id for p in plots]
    charges: dict[tuple[int, str], list[tuple[int, str, Decimal]]] = defaultdict(list)
    # Plain columns, not ORM objects: the registry pages ask this for every plot at once.
    fees = (
        select(Charge.plot_id, Charge.kind, Charge.year, Charge.title, Charge.amount)
        .where(Charge.plot_id.in_(plot_ids), Charge.kind != Charge.ELECTRICITY)
        .order_by(Charge.year, Charge.id)
    )
    for c in db.session.execute(fees):
        charges[(c.plot_id, c.kind)].append((c.year, c.title, c.amount))
    electricity = (
        select(Charge.plot_id, Charge.year, func.sum(type_coerce(Charge.amount, Integer)))
        .where(Charge.plot_id.in_(plot_ids), Charge.kind == Charge.ELECTRICITY)
        .group_by(Charge.plot_id, Charge.year)
        .order_by(Charge.year)
    )
    for plot_id, year, hundredths in db.session.execute(electricity):
        charges[(plot_id, Charge.ELECTRICITY)].append((year, "", Decimal(hundredths).scaleb(-2)))
    paid: dict[tuple[int, str], Decimal] = defaultdict(lambda: billing.ZERO)
    last_paid: dict[tuple[int, str], date] = {}
    payments = (
        select(
            Payment.plot_id,
            Payment.kind,
            func.sum(type_coerce(Payment.amount, Integer)),
            func.max(Payment.paid_on),
        )
        .where(Payment.plot_id.in_(plot_ids))
        .group_by(Payment.plot_id, Payment.kind)
    )
    for plot_id, kind, hundredths, last in db.session.execute(payments):
        paid[(plot_id, kind)] = Decimal(hundredths).scaleb(-2)
        last_paid[(plot_id, kind)] = last

    result = []
    for plot in plots:
        status = PlotStatus(plot=plot)
        for kind in Charge.KINDS:
            key = (plot.id, kind)
            if key not in charges and key not in paid:
                continue
            last_year = last_paid[key].year if key in last_paid else date.today().year
            status.rows += billing.allocate(charges.get(key, []), paid[key], kind, last_year)
        status.rows.sort(key=lambda r: (KIND_ORDER[r.kind], r.year, r.title))
        status.electricity_paid = paid[(plot.id, Charge.ELECTRICITY)]
        status.last_electricity_payment = last_paid.get((plot.id, Charge.ELECTRICITY))
        result.append(status)
    return result


def newest_import_at() -> datetime | None:
    """The date in the page title «Статус моих оплат от …»."""
    return db.session.scalar(select(func.max(DataImport.imported_at)))
