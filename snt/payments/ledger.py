"""«Мои платежи» and «Акт сверки»: the member's payments and one plot's charges against payments.

Callers pass plots already checked by snt.access (the member's verified ones); nothing here
reads another plot. «Мои платежи» is one query; an act reads one plot's history (two queries).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt import billing
from snt.extensions import db
from snt.models import Charge, Payment, Plot
from snt.payments.services import KIND_TITLES, SOURCE_TITLES, is_opening_debt
from snt.templating import ru_date

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip


@dataclass
class PaymentLine:
    paid_on: date
    plot: str
    amount: Decimal
    what: str  # «Электроэнергия за май 2022» (the period starting in May), «Членские взносы 2022»
    source: str  # «банковская выписка», …, «загружено ранее»
    purpose: str
    note: str = ""  # «сторнирована 03.12.2026: …» on a reversed payment


@dataclass
class YearOfPayments:
    year: int
    lines: list[PaymentLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), billing.ZERO)


def paid_for(kind: str, year: int | None, month: date | None) -> str:
    """What a payment paid, as the member reads it: the kind and the period or year it named."""
    if month is not None:
        return f"{KIND_TITLES[kind]} за {MONTHS[month.month - 1]} {month.year}"
    return f"{KIND_TITLES[kind]} {year}" if year else KIND_TITLES[kind]


def member_payments(plots: list[Plot]) -> list[YearOfPayments]:
    """Every payment on these plots, newest first, grouped by year with its total. One query."""
    numbers = {p.id: p.number for p in plots}
    years: dict[int, YearOfPayments] = {}
    rows = db.session.execute(
        select(
            Payment.id,
            Payment.reverses_id,
            Payment.plot_id,
            Payment.paid_on,
            Payment.amount,
            Payment.kind,
            Payment.for_year,
            Payment.for_month,
            Payment.source,
            Payment.purpose,
        )
        .where(Payment.plot_id.in_(list(numbers)))
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
    ).all()
    paid_on = {p.id: p.paid_on for p in rows}
    reversals = {p.reverses_id: p for p in rows if p.reverses_id is not None}
    for p in rows:
        year = years.setdefault(p.paid_on.year, YearOfPayments(p.paid_on.year))
        what, note = paid_for(p.kind, p.for_year, p.for_month), ""
        if p.reverses_id is not None:
            what = f"Сторно оплаты от {paid_on[p.reverses_id]:%d.%m.%Y}: {what[:1].lower()}{what[1:]}"
        elif p.id in reversals:
            undo = reversals[p.id]
            note = f"сторнирована {undo.paid_on:%d.%m.%Y}: «{undo.purpose}»"
        year.lines.append(
            PaymentLine(
                paid_on=p.paid_on,
                plot=numbers[p.plot_id],
                amount=p.amount,
                what=what,
                source=SOURCE_TITLES.get(p.source, p.source),
                purpose="" if p.reverses_id is not None else p.purpose,
                note=note or (f"причина: «{p.purpose}»" if p.reverses_id is not None else ""),
            )
        )
    return list(years.values())


@dataclass
class ActLine:
    on: date
    text: str
    charged: Decimal = billing.ZERO
    paid: Decimal = billing.ZERO


@dataclass
class Act:
    """«Акт сверки» of one plot from `start` to `end` (both included); balance > 0 is a debt."""

    plot: Plot
    start: date
    end: date
    opening: Decimal = billing.ZERO
    lines: list[ActLine] = field(default_factory=list)

    @property
    def charged(self) -> Decimal:
        return sum((line.charged for line in self.lines), billing.ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), billing.ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.charged - self.paid


def charge_date(c) -> date:
    """When a charge stands in the act: electricity at its period's end reading, a fee on 1 January,
    a debt carried over from the old books on its date."""
    if c.period_end is not None:
        return c.period_end
    return c.due_on if is_opening_debt(c.title) and c.due_on else date(c.year, 1, 1)


def charge_text(c) -> str:
    if c.period_start is not None:
        return f"{KIND_TITLES[c.kind]} за {ru_date(c.period_start)} – {ru_date(c.period_end)}"
    if is_opening_debt(c.title):
        return c.title
    return f"{c.title or KIND_TITLES[c.kind]} за {c.year} год"


def reconciliation(plot: Plot, start: date | None, end: date | None, today: date) -> Act:
    """Opening balance before `start`, each charge and payment in the span, closing balance.

    Without a span: from 1 January of the year of the plot's newest charge or payment to today."""
    charges = [
        (charge_date(c), ActLine(charge_date(c), charge_text(c), charged=c.amount))
        for c in db.session.execute(
            select(
                Charge.kind,
                Charge.year,
                Charge.title,
                Charge.amount,
                Charge.period_start,
                Charge.period_end,
                Charge.due_on,
            ).where(Charge.plot_id == plot.id)
        )
    ]
    payments = [
        (
            p.paid_on,
            ActLine(
                p.paid_on,
                ("Сторно оплаты: " if p.reverses_id else "Оплата: ")
                + paid_for(p.kind, p.for_year, p.for_month).lower(),
                paid=p.amount,
            ),
        )
        for p in db.session.execute(
            select(
                Payment.paid_on,
                Payment.amount,
                Payment.kind,
                Payment.for_year,
                Payment.for_month,
                Payment.reverses_id,
            )
            .where(Payment.plot_id == plot.id)
            .order_by(Payment.id)
        )
    ]
    end = end or today
    if start is None:
        newest = max((on for on, _ in charges + payments if on <= end), default=end)
        start = date(newest.year, 1, 1)
    act = Act(plot=plot, start=start, end=end)
    entries: dict[date, list[ActLine]] = defaultdict(list)
    for on, line in charges + payments:
        if on < start:
            act.opening += line.charged - line.paid
        elif on <= end:
            entries[on].append(line)
    act.lines = [line for on in sorted(entries) for line in entries[on]]
    return act
