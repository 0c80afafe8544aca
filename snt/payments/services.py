"""«Статус моих оплат»: per plot and kind, the charges with what the payments covered of each.

The allocation itself is `billing.settle`, a pure function over one plot and kind; this module
loads the charges and payments of the plots shown (never of every plot) and hands them over.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import case, func, select

from snt import billing, figures
from snt.extensions import db
from snt.models import KIND_TITLES, Charge, DataImport, Payment, Plot
from snt.payments import past, rows
from snt.payments.requisites import Requisites, current_requisites
from snt.payments.rows import Ledger

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


def load_ledger(
    plot_ids: list[int], kinds: tuple[str, ...] = Charge.KINDS, since: int | None = None
) -> Ledger:
    """Two queries for any number of plots: their charges oldest first, their payments in date order
    (snt.payments.rows). With `since` (a year), the years before it come as per-year sums while they
    are settled (snt.payments.past): the rows read do not grow with the years of history, and the
    allocation is the same to the kopeck."""
    if since is None:
        return rows.load_all(plot_ids, kinds)
    return past.load_recent(plot_ids, kinds, since)


def payment_status(
    plots: list[Plot], today: date | None = None, since: int | None = None
) -> list[PlotStatus]:
    """Balances of `plots` (already checked as the member's verified ones). Two queries; with
    `since`, the settled years before it are read as sums (load_ledger): the same figures."""
    today = today or date.today()
    ledger = load_ledger([p.id for p in plots], since=since)
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


def member_page(plots: list[Plot]) -> tuple[list[PlotStatus], Requisites | None, datetime | None]:
    """«Статус моих оплат»: the balances (the settled years before this one read as sums, the same
    figures), the requisites of its QR codes and the newest import's date, computed once per ledger
    version and day (snt.figures) for these plots."""
    today = date.today()
    kept, requisites, imported_at = figures.kept(
        ("member_page", tuple(p.id for p in plots), today),
        lambda: (
            [(s.plot.id, s) for s in payment_status(plots, today, since=today.year)],
            current_requisites(),
            newest_import_at(),
        ),
    )
    by_id = {p.id: p for p in plots}  # this request's plots, never a kept ORM object
    return [replace(status, plot=by_id[plot_id]) for plot_id, status in kept], requisites, imported_at


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


def total_due_of(plots: list[Plot]) -> Decimal:
    """total_due(payment_status(plots)) from three sums per plot and kind, whatever the history: the
    profile page's «Итого к оплате». Per kind the lines' amounts due add up to charges − payments,
    except when payments exceed every positive charge: then to the corrections (charges of zero or
    less), which nothing pays (billing.settle and balance_rows)."""
    ids = [p.id for p in plots]
    correction = case((Charge.amount <= 0, Charge.amount), else_=0)
    charged = {
        (plot_id, kind): (amount, corrections)
        for plot_id, kind, amount, corrections in db.session.execute(
            select(Charge.plot_id, Charge.kind, func.sum(Charge.amount), func.sum(correction))
            .where(Charge.plot_id.in_(ids))
            .group_by(Charge.plot_id, Charge.kind)
        )
    }
    paid = {
        (plot_id, kind): amount
        for plot_id, kind, amount in db.session.execute(
            select(Payment.plot_id, Payment.kind, func.sum(Payment.amount))
            .where(Payment.plot_id.in_(ids))
            .group_by(Payment.plot_id, Payment.kind)
        )
    }
    total = billing.ZERO
    for key in charged.keys() | paid.keys():
        amount, corrections = charged.get(key, (billing.ZERO, billing.ZERO))
        total += max(amount - paid.get(key, billing.ZERO), corrections)
    return total


def member_total_due(plots: list[Plot]) -> Decimal:
    """total_due_of for the cabinet, computed once per ledger version (snt.figures)."""
    return figures.kept(("total_due", tuple(p.id for p in plots)), lambda: total_due_of(plots))


def electricity_balances(plot_ids: list[int], before: date) -> dict[int, Decimal]:
    """Plot id -> its electricity charges of periods starting before `before` − every electricity
    payment: the monthly SMS's «К оплате». Three aggregate queries, however long the history, through
    the tables: the SMS plan configures no mapper (snt/notices/services.py)."""
    charge, payment = Charge.__table__.c, Payment.__table__.c
    charged: dict[int, Decimal] = {}
    # Two sums, not one with `period_start < before OR period_start IS NULL`: each reads a range of
    # the covering index (plot, kind, period start, amount) per plot, where the OR made SQLite
    # merge two lookups and sort the groups (4× slower at 1,000 plots × 10 years).
    # A charge without a period is a debt carried over from the old books (snt.payments.opening).
    for period in (charge.period_start < before, charge.period_start.is_(None)):
        for plot_id, amount in db.session.execute(
            select(charge.plot_id, func.sum(charge.amount))
            .where(charge.plot_id.in_(plot_ids), charge.kind == Charge.ELECTRICITY, period)
            .group_by(charge.plot_id)
        ).all():
            charged[plot_id] = charged[plot_id] + amount if plot_id in charged else amount
    paid: dict[int, Decimal] = {
        plot_id: amount
        for plot_id, amount in db.session.execute(
            select(payment.plot_id, func.sum(payment.amount))
            .where(payment.plot_id.in_(plot_ids), payment.kind == Charge.ELECTRICITY)
            .group_by(payment.plot_id)
        ).all()
    }
    return {
        # func.sum keeps the column's type: Hundredths turns the sums back into Decimal.
        plot_id: (charged.get(plot_id) or billing.ZERO) - (paid.get(plot_id) or billing.ZERO)
        for plot_id in plot_ids
    }


def newest_import_at() -> datetime | None:
    """The date in the page title «Статус моих оплат от …»."""
    return db.session.scalar(select(func.max(DataImport.imported_at)))
