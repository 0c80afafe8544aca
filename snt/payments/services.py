"""«Статус моих оплат»: per plot and kind, the charges with what the payments covered of each.

The allocation itself is `billing.settle`, a pure function over one plot and kind; this module
loads the charges and payments of the plots shown (never of every plot) and hands them over.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select

from snt import billing
from snt.extensions import db
from snt.models import KIND_TITLES, Charge, DataImport, Payment, Plot
from snt.settings import setting

KIND_ORDER = {kind: i for i, kind in enumerate(Charge.KINDS)}
SOURCE_TITLES = {  # where a payment came from, as «Мои платежи» says it
    Payment.STATEMENT: "банковская выписка",
    Payment.FILE: "файл оплат",
    Payment.TREASURER: "внесено казначеем",
    Payment.EARLIER: "загружено ранее",
    Payment.REVERSAL: "сторно казначея",
    Payment.OPENING: "остаток из прежнего учёта",
}


@dataclass
class KindLine:
    """One line of the summary: a plot's kind, what is left to pay, by when, what is overdue."""

    kind: str
    due: Decimal
    overdue: Decimal
    due_on: date | None  # the earliest due date of what is left and not yet overdue
    overdue_since: date | None  # the earliest due date already passed

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]


@dataclass
class PlotStatus:
    plot: Plot
    rows: list[billing.BalanceRow] = field(default_factory=list)
    electricity_paid: Decimal = billing.ZERO
    last_electricity_payment: date | None = None
    kinds: dict[str, billing.Allocation] = field(default_factory=dict)
    lines: list[KindLine] = field(default_factory=list)

    @property
    def due(self) -> Decimal:
        return sum((r.due for r in self.rows), billing.ZERO)

    @property
    def prepaid(self) -> Decimal:
        return sum((r.prepaid for r in self.rows), billing.ZERO)

    @property
    def overdue(self) -> Decimal:
        return sum((line.overdue for line in self.lines), billing.ZERO)


# The title of a debt carried over from the old books (snt.imports.balances): it names its date.
OPENING_DEBT = "Долг по прежнему учёту на {:%d.%m.%Y}"


def is_opening_debt(title: str) -> bool:
    return title.startswith(OPENING_DEBT.split("{")[0])


def row_label(row: billing.BalanceRow) -> str:
    if is_opening_debt(row.title):
        return row.title
    return f"{row.title or KIND_TITLES[row.kind]} {row.year}"


def electricity_due_day() -> int:
    """The day of the month electricity is due by (the seed's «Оплатить до 5 числа»); «Настройки»."""
    return int(setting("electricity_due_day"))


def electricity_due_on(period_end: date, day: int) -> date:
    """A period is due by `day` of the month it ends in: «01 мая – 01 июня» by 5 June."""
    return period_end.replace(day=min(day, 28))


@dataclass
class Ledger:
    """The charges and payments of some plots, as the allocation needs them."""

    charges: dict[tuple[int, str], list[billing.Due]]
    titles: dict[object, str]
    payments: dict[tuple[int, str], list[billing.Paid]]
    paid: dict[tuple[int, str], Decimal]
    last_paid: dict[tuple[int, str], date]

    def settle(self, plot_id: int, kind: str) -> billing.Allocation:
        key = (plot_id, kind)
        return billing.settle(self.charges.get(key, []), self.payments.get(key, []))


def load_ledger(plot_ids: list[int], kinds: tuple[str, ...] = Charge.KINDS) -> Ledger:
    """Two queries for any number of plots: their charges oldest first, their payments in date order.

    Plain columns, not ORM objects: the registry pages ask this for many plots at once."""
    day = electricity_due_day()
    charges: dict[tuple[int, str], list[billing.Due]] = defaultdict(list)
    titles: dict[object, str] = {}
    columns = (Charge.id, Charge.plot_id, Charge.kind, Charge.year, Charge.title, Charge.amount,
               Charge.period_start, Charge.period_end, Charge.due_on)  # fmt: skip
    for c in db.session.execute(
        select(*columns)
        .where(Charge.plot_id.in_(plot_ids), Charge.kind.in_(kinds))
        .order_by(Charge.year, Charge.period_end, Charge.id)
    ):
        if c.period_start is not None:
            month, due_on = c.period_start.replace(day=1), electricity_due_on(c.period_end, day)
        else:
            month, due_on = None, c.due_on
        charges[(c.plot_id, c.kind)].append(
            billing.Due(c.id, c.year, c.amount, month, due_on, c.period_end, c.period_start)
        )
        if c.title:
            titles[c.id] = c.title
    payments: dict[tuple[int, str], list[billing.Paid]] = defaultdict(list)
    paid: dict[tuple[int, str], Decimal] = defaultdict(lambda: billing.ZERO)
    last_paid: dict[tuple[int, str], date] = {}
    rows = db.session.execute(
        select(
            Payment.id,
            Payment.plot_id,
            Payment.kind,
            Payment.amount,
            Payment.paid_on,
            Payment.for_year,
            Payment.for_month,
            Payment.reverses_id,
        )
        .where(Payment.plot_id.in_(plot_ids), Payment.kind.in_(kinds))
        .order_by(Payment.paid_on, Payment.id)
    ).all()
    # A reversed payment and its reversal cancel out: the pair is left out of the allocation, so
    # the charges the payment had met are due again exactly as if it had never been entered.
    reversed_ids = {p.reverses_id for p in rows if p.reverses_id is not None}
    for p in rows:
        if p.reverses_id is not None or p.id in reversed_ids:
            continue
        key = (p.plot_id, p.kind)
        payments[key].append(billing.Paid(p.amount, p.for_year, p.for_month))
        paid[key] += p.amount
        last_paid[key] = p.paid_on
    return Ledger(charges, titles, payments, paid, last_paid)


def payment_status(plots: list[Plot], today: date | None = None) -> list[PlotStatus]:
    """Balances of `plots` (already checked as the member's verified ones). Two queries."""
    today = today or date.today()
    ledger = load_ledger([p.id for p in plots])
    result = []
    for plot in plots:
        status = PlotStatus(plot=plot)
        for kind in Charge.KINDS:
            key = (plot.id, kind)
            if key not in ledger.charges and key not in ledger.payments:
                continue
            allocation = ledger.settle(plot.id, kind)
            status.kinds[kind] = allocation
            last_year = ledger.last_paid[key].year if key in ledger.last_paid else today.year
            status.rows += billing.balance_rows(allocation, kind, ledger.titles, last_year)
            if allocation.due > 0:
                status.lines.append(kind_line(kind, allocation, today))
        status.rows.sort(key=lambda r: (KIND_ORDER[r.kind], r.year, r.title))
        status.electricity_paid = ledger.paid[(plot.id, Charge.ELECTRICITY)]
        status.last_electricity_payment = ledger.last_paid.get((plot.id, Charge.ELECTRICITY))
        result.append(status)
    return result


def kind_line(kind: str, allocation: billing.Allocation, today: date) -> KindLine:
    unpaid = [s for s in allocation.charges if s.left > 0]
    overdue = [s.charge.due_on for s in unpaid if s.charge.due_on and s.charge.due_on < today]
    upcoming = [s.charge.due_on for s in unpaid if s.charge.due_on and s.charge.due_on >= today]
    return KindLine(
        kind=kind,
        due=allocation.due,
        overdue=min(allocation.overdue(today), allocation.due),
        due_on=min(upcoming, default=None),
        overdue_since=min(overdue, default=None),
    )


def total_due(statuses: list[PlotStatus]) -> Decimal:
    """«Итого к оплате» across the member's plots: what is due, less no plot's advance."""
    return sum((s.due for s in statuses), billing.ZERO)


def electricity_balances(plot_ids: list[int], before: date) -> dict[int, Decimal]:
    """Plot id -> its electricity charges of periods starting before `before` − every electricity
    payment: the monthly SMS's «К оплате». Two aggregate queries, however long the history."""
    charged: dict[int, Decimal] = {
        plot_id: amount
        for plot_id, amount in db.session.execute(
            select(Charge.plot_id, func.sum(Charge.amount))
            .where(
                Charge.plot_id.in_(plot_ids),
                Charge.kind == Charge.ELECTRICITY,
                # no period: a debt carried over from the old books (snt.payments.opening)
                or_(Charge.period_start < before, Charge.period_start.is_(None)),
            )
            .group_by(Charge.plot_id)
        )
    }
    paid: dict[int, Decimal] = {
        plot_id: amount
        for plot_id, amount in db.session.execute(
            select(Payment.plot_id, func.sum(Payment.amount))
            .where(Payment.plot_id.in_(plot_ids), Payment.kind == Charge.ELECTRICITY)
            .group_by(Payment.plot_id)
        )
    }
    return {
        # func.sum keeps the column's type: Hundredths turns the sums back into Decimal.
        plot_id: (charged.get(plot_id) or billing.ZERO) - (paid.get(plot_id) or billing.ZERO)
        for plot_id in plot_ids
    }


def newest_import_at() -> datetime | None:
    """The date in the page title «Статус моих оплат от …»."""
    return db.session.scalar(select(func.max(DataImport.imported_at)))
