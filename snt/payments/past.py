"""The settled past of the plots' ledger as per-year sums: what the cabinet pages read instead of
every charge and payment since the start (issue 12).

`billing.settle` pays a payment that names a year into that year's charges first and pools the rest,
which then pays the oldest unpaid charges. For the years before `since`, when no payment names one
of their periods (the loader starts earlier if one does), the allocation sees the same totals if each
year's positive charges of one title become one charge and the payments naming that year one
payment: such payments cover the same set whatever their order, so only the sum they cover decides
what reaches the pool. Charges of zero or less are never covered; they are read as rows. When every
summed charge ends fully paid, which charges of those years were paid first shows nowhere (nothing
left, no due date, no unpaid period), so the years from `since` get exactly what the whole history
gives them, and so do the totals. When one is not fully paid, the loader reads again from its year.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, literal_column, or_, select

from snt import billing
from snt.extensions import db
from snt.models import Charge, Payment
from snt.payments.rows import (
    CHARGE_COLUMNS,
    PAYMENT_COLUMNS,
    Ledger,
    counted,
    due_of,
    electricity_due_day,
)

ZERO = Decimal(0)


def load_recent(plot_ids: list[int], kinds: tuple[str, ...], since: int) -> Ledger:
    """load_ledger for these plots with the settled years before `since` summed. Eight queries."""
    since = _settled_before(plot_ids, kinds, since)
    ledger, open_year = _load_from(plot_ids, kinds, since)
    if open_year is not None:  # not expected (_settled_before is cautious); right all the same
        ledger, _ = _load_from(plot_ids, kinds, open_year)
    return ledger


def _settled_before(plot_ids: list[int], kinds: tuple[str, ...], since: int) -> int:
    """The year from which to read rows: `since`, or earlier when an older year may be unpaid or a
    payment names a period in it. Two aggregate queries.

    Every year up to Y is paid when the payments that name no later year (and every refund) sum to
    at least the positive charges up to Y: payments naming a later year only ever add to what
    reaches the older ones, and the pool pays the oldest first."""
    charged: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(dict)
    for plot_id, kind, year, amount in db.session.execute(
        select(Charge.plot_id, Charge.kind, Charge.year, func.sum(Charge.amount))
        .where(
            Charge.plot_id.in_(plot_ids), Charge.kind.in_(kinds), Charge.amount > ZERO, Charge.year < since
        )
        .group_by(Charge.plot_id, Charge.kind, Charge.year)
    ):
        charged[(plot_id, kind)][year] = amount
    unnamed: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    named: dict[tuple[int, str], dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    # A literal, not a bound parameter: PostgreSQL groups by the same expression as it selects.
    positive = Payment.amount > literal_column("0")
    for plot_id, kind, year, first, last, is_positive, amount in db.session.execute(
        select(
            Payment.plot_id,
            Payment.kind,
            Payment.for_year,
            func.min(Payment.for_month),
            func.max(Payment.for_month),
            positive,
            func.sum(Payment.amount),
        )
        .where(Payment.plot_id.in_(plot_ids), Payment.kind.in_(kinds), counted())
        .group_by(Payment.plot_id, Payment.kind, Payment.for_year, positive)
    ):
        if not is_positive or (year is None and last is None):
            unnamed[(plot_id, kind)] += amount
            continue
        if first is not None:  # a payment naming a period pays it first: its year is read as rows
            since = min(since, first.year)
        later = max(year or 0, last.year if last else 0)  # the latest year these may name
        named[(plot_id, kind)][later] += amount
    for key, years in charged.items():
        owed = ZERO
        for year in sorted(years):
            owed += years[year]
            reaching = unnamed[key] + sum((v for y, v in named[key].items() if y <= year), ZERO)
            if reaching < owed:  # this year may be unpaid
                since = min(since, year)
                break
    return since


def _load_from(plot_ids: list[int], kinds: tuple[str, ...], since: int) -> tuple[Ledger, int | None]:
    ours = (Charge.plot_id.in_(plot_ids), Charge.kind.in_(kinds))
    day = electricity_due_day()
    ordered: dict[tuple[int, str], list[tuple[tuple, billing.Due]]] = defaultdict(list)
    titles: dict[object, str] = {}
    rows = select(*CHARGE_COLUMNS).where(*ours, or_(Charge.year >= since, Charge.amount <= ZERO))
    for c in db.session.execute(rows):
        ordered[(c.plot_id, c.kind)].append(
            ((c.year, c.period_end or date.min, c.id), due_of(c, titles, day))
        )
    summed = set()
    sums = (
        select(
            Charge.plot_id,
            Charge.kind,
            Charge.year,
            Charge.title,
            func.sum(Charge.amount).label("amount"),
            func.min(Charge.period_end).label("end"),
            func.min(Charge.id).label("first"),
        )
        .where(*ours, Charge.year < since, Charge.amount > ZERO)
        .group_by(Charge.plot_id, Charge.kind, Charge.year, Charge.title)
    )
    for s in db.session.execute(sums):
        key = ("settled", s.plot_id, s.kind, s.year, s.title)
        summed.add(key)
        if s.title:
            titles[key] = s.title
        ordered[(s.plot_id, s.kind)].append(
            ((s.year, s.end or date.min, s.first), billing.Due(key, s.year, s.amount))
        )
    charges = {k: [due for _, due in sorted(items, key=lambda item: item[0])] for k, items in ordered.items()}
    payments, paid, last_paid = _payments(plot_ids, kinds, since)
    ledger = Ledger(defaultdict(list, charges), titles, payments, paid, last_paid)
    open_years = [  # checked only where something was summed: the pages settle again anyway
        item.charge.year
        for key, dues in charges.items()
        if any(due.key in summed for due in dues)
        for item in ledger.settle(*key).charges
        if item.charge.key in summed and item.left > 0
    ]
    return ledger, min(open_years, default=None)


def _payments(plot_ids: list[int], kinds: tuple[str, ...], since: int):
    """The payments as the allocation needs them: the ones naming a year before `since` summed per
    year, the ones naming nothing (and refunds) in one sum, the rest as rows in date order."""
    ours = (Payment.plot_id.in_(plot_ids), Payment.kind.in_(kinds), counted())
    payments: dict[tuple[int, str], list[billing.Paid]] = defaultdict(list)
    paid: dict[tuple[int, str], Decimal] = defaultdict(lambda: billing.ZERO)
    last_paid: dict[tuple[int, str], date] = {}
    totals = select(Payment.plot_id, Payment.kind, func.sum(Payment.amount), func.max(Payment.paid_on))
    for plot_id, kind, amount, on in db.session.execute(
        totals.where(*ours).group_by(Payment.plot_id, Payment.kind)
    ):
        payments[(plot_id, kind)] = []
        paid[(plot_id, kind)] = amount
        last_paid[(plot_id, kind)] = on
    positive = Payment.amount > ZERO
    named_past = and_(positive, Payment.for_month.is_(None), Payment.for_year < since)
    by_year = select(Payment.plot_id, Payment.kind, Payment.for_year, func.sum(Payment.amount))
    for plot_id, kind, year, amount in db.session.execute(
        by_year.where(*ours, named_past).group_by(Payment.plot_id, Payment.kind, Payment.for_year)
    ):
        payments[(plot_id, kind)].append(billing.Paid(amount, year))
    named_recent = and_(positive, or_(Payment.for_month.is_not(None), Payment.for_year >= since))
    for p in db.session.execute(
        select(*PAYMENT_COLUMNS).where(*ours, named_recent).order_by(Payment.paid_on, Payment.id)
    ):
        payments[(p.plot_id, p.kind)].append(billing.Paid(p.amount, p.for_year, p.for_month))
    pooled = or_(Payment.amount <= ZERO, and_(Payment.for_month.is_(None), Payment.for_year.is_(None)))
    pool = select(Payment.plot_id, Payment.kind, func.sum(Payment.amount))
    for plot_id, kind, amount in db.session.execute(
        pool.where(*ours, pooled).group_by(Payment.plot_id, Payment.kind)
    ):
        payments[(plot_id, kind)].append(billing.Paid(amount))
    return payments, paid, last_paid
