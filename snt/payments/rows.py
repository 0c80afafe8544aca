"""The ledger as the allocation reads it: the charges and payments of some plots (issue 13), and
the due dates of electricity periods."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import aliased

from snt import billing
from snt.extensions import db
from snt.models import Charge, Payment
from snt.settings import setting


def electricity_due_day() -> int:
    """The day of the month electricity is due by (the seed's «Оплатить до 5 числа»); «Настройки»."""
    return int(setting("electricity_due_day"))


def electricity_due_on(period_end: date, day: int) -> date:
    """A period is due by `day` of the month it ends in: «01 мая – 01 июня» by 5 June."""
    return period_end.replace(day=min(day, 28))


def counted() -> ColumnElement[bool]:
    """The payments the allocation counts: a reversed payment and its reversal cancel out, so the
    pair is left out and the charges the payment had met are due again exactly as if it had never
    been entered (issue 14, a reversal never deletes the payment)."""
    reversal = aliased(Payment)
    # NOT EXISTS: one lookup per row read on the unique index of reverses_id. «Not a reversal» is
    # written through coalesce so that SQLite keeps the plot index: a bare `reverses_id IS NULL`
    # made it walk the whole table through that unique index (16 ms a query at 10 years).
    reversed_ = select(reversal.id).where(reversal.reverses_id == Payment.id).exists()
    return and_(func.coalesce(Payment.reverses_id, 0) == 0, ~reversed_)


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


def load_all(plot_ids: list[int], kinds: tuple[str, ...]) -> Ledger:
    """Every charge and payment of these plots, in two queries: charges oldest first, payments in date
    order. Plain columns, not ORM objects: the registry pages ask this for many plots at once."""
    day = electricity_due_day()
    charges: dict[tuple[int, str], list[billing.Due]] = defaultdict(list)
    titles: dict[object, str] = {}
    for c in db.session.execute(
        select(*CHARGE_COLUMNS)
        .where(Charge.plot_id.in_(plot_ids), Charge.kind.in_(kinds))
        .order_by(Charge.year, Charge.period_end, Charge.id)
    ):
        add_charge(charges, titles, c, day)
    payments: dict[tuple[int, str], list[billing.Paid]] = defaultdict(list)
    paid: dict[tuple[int, str], Decimal] = defaultdict(lambda: billing.ZERO)
    last_paid: dict[tuple[int, str], date] = {}
    for p in db.session.execute(
        select(*PAYMENT_COLUMNS)
        .where(Payment.plot_id.in_(plot_ids), Payment.kind.in_(kinds), counted())
        .order_by(Payment.paid_on, Payment.id)
    ):
        key = (p.plot_id, p.kind)
        payments[key].append(billing.Paid(p.amount, p.for_year, p.for_month))
        paid[key] += p.amount
        last_paid[key] = p.paid_on
    return Ledger(charges, titles, payments, paid, last_paid)


CHARGE_COLUMNS = (Charge.id, Charge.plot_id, Charge.kind, Charge.year, Charge.title, Charge.amount,
                  Charge.period_start, Charge.period_end, Charge.due_on)  # fmt: skip
PAYMENT_COLUMNS = (Payment.plot_id, Payment.kind, Payment.amount, Payment.paid_on, Payment.for_year,
                   Payment.for_month)  # fmt: skip


def add_charge(charges: dict, titles: dict[object, str], c, day: int) -> None:
    """One charge row (CHARGE_COLUMNS) as the allocation sees it, into `charges` by plot and kind."""
    charges[(c.plot_id, c.kind)].append(due_of(c, titles, day))


def due_of(c, titles: dict[object, str], day: int) -> billing.Due:
    """One charge row (CHARGE_COLUMNS) as the allocation sees it; its title, if any, into `titles`."""
    if c.period_start is not None:
        month, due_on = c.period_start.replace(day=1), electricity_due_on(c.period_end, day)
    else:
        month, due_on = None, c.due_on
    if c.title:
        titles[c.id] = c.title
    return billing.Due(c.id, c.year, c.amount, month, due_on, c.period_end, c.period_start)
