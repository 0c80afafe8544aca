"""Billing arithmetic: consumption, electricity costs, balances. No database here."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Protocol

from snt.money import format_money, round_kopecks

ZERO = Decimal("0.00")


class MeterValues(Protocol):
    day: Decimal | None
    night: Decimal | None
    total: Decimal


class DatedMeterValues(MeterValues, Protocol):
    taken_on: date


class Rates(Protocol):
    single: Decimal
    day: Decimal
    night: Decimal


class Consumption(NamedTuple):  # a tuple: the checks make tens of thousands
    day: Decimal | None  # None for a single-register meter
    night: Decimal | None
    total: Decimal


@dataclass(frozen=True)
class Costs:
    single: Decimal
    day: Decimal | None
    night: Decimal | None

    @property
    def day_night(self) -> Decimal | None:
        if self.day is None or self.night is None:
            return None
        return self.day + self.night


class LowerReadingError(ValueError):
    pass


def consumption(start: MeterValues, end: MeterValues) -> Consumption:
    """End reading − start reading; a lower end reading is an error (a meter
    replacement is recorded as one, never as a lower reading)."""
    start_day, start_night, end_day, end_night = start.day, start.night, end.day, end.night
    if start_day is not None and start_night is not None and end_day is not None and end_night is not None:
        day, night = end_day - start_day, end_night - start_night
        if day < 0 or night < 0:
            raise LowerReadingError("показание меньше предыдущего")
        return Consumption(day=day, night=night, total=day + night)
    total = end.total - start.total
    if total < 0:
        raise LowerReadingError("показание меньше предыдущего")
    return Consumption(day=None, night=None, total=total)


def costs(used: Consumption, tariff: Rates) -> Costs:
    """Each line rounded half-up to kopecks; day-night only when both registers are known."""
    single = round_kopecks(used.total * tariff.single)
    if used.day is None or used.night is None:
        return Costs(single=single, day=None, night=None)
    return Costs(
        single=single,
        day=round_kopecks(used.day * tariff.day),
        night=round_kopecks(used.night * tariff.night),
    )


def amount_due(period_costs: Costs, two_tariff: bool) -> Decimal:
    """The plot's meter type picks which of the two costs is due."""
    if two_tariff and period_costs.day_night is not None:
        return period_costs.day_night
    return period_costs.single


def tariff_on(tariffs: list, day: date):
    """The tariff in force on `day`: the latest with valid_from <= day (tariffs sorted ascending)."""
    found = None
    for tariff in tariffs:
        if tariff.valid_from <= day:
            found = tariff
    return found


@dataclass
class BalanceRow:
    """One line of «Статус моих оплат»: a charge kind and year."""

    kind: str
    title: str
    year: int
    charged: Decimal = ZERO
    due: Decimal = ZERO
    prepaid: Decimal = ZERO
    due_on: date | None = None  # the earliest due date of what is left to pay
    unpaid: list["Settled"] = field(default_factory=list)  # the charges with something left


@dataclass(frozen=True, slots=True)
class Due:
    """A charge as the allocation sees it; `month` is an electricity period's first month."""

    key: object
    year: int
    amount: Decimal
    month: date | None = None
    due_on: date | None = None
    end: date | None = None  # electricity: the period's end reading date
    start: date | None = None  # electricity: the period's start reading date


@dataclass(frozen=True)
class Paid:
    """A payment as the allocation sees it: the year or period its purpose names, if any."""

    amount: Decimal
    year: int | None = None
    month: date | None = None


@dataclass(slots=True)
class Settled:
    """A charge and what the payments covered of it."""

    charge: Due
    paid: Decimal = ZERO

    @property
    def left(self) -> Decimal:
        return self.charge.amount - self.paid

    @property
    def status(self) -> str:
        """«оплачено», «оплачено частично, осталось N» or «к оплате N» (nothing for a zero charge)."""
        if self.charge.amount <= 0:
            return ""
        if self.left <= 0:
            return "оплачено"
        if self.paid > 0:
            return f"оплачено частично, осталось {format_money(self.left)}"
        return f"к оплате {format_money(self.left)}"


@dataclass
class Allocation:
    """The charges of one plot and kind, oldest first, each with what was paid of it."""

    charges: list[Settled]
    credit: Decimal = ZERO  # paid beyond every charge; negative when refunds exceed payments

    @property
    def due(self) -> Decimal:
        """SPEC §4: charges − payments when positive."""
        return max(sum((s.left for s in self.charges), ZERO) - self.credit, ZERO)

    @property
    def prepaid(self) -> Decimal:
        return max(self.credit - sum((s.left for s in self.charges), ZERO), ZERO)

    def overdue(self, today: date) -> Decimal:
        return sum((s.left for s in self.charges if s.charge.due_on and s.charge.due_on < today), ZERO)


def settle(charges: Sequence[Due], payments: Iterable[Paid]) -> Allocation:
    """Apply one plot's payments of one kind to its charges (given oldest first).

    A payment whose purpose names a period (or else a year) pays the charges of that period
    (year) first; what is left of it, and every other payment, pays the oldest unpaid charges.
    The sum of what is left to pay minus the credit is always charges − payments (SPEC §4).
    """
    settled = [Settled(c) for c in charges]
    # Indexed once, so the work is linear in charges + payments, not their product: the debtors
    # report settles every plot's whole history.
    by_month: dict[date, list[Settled]] = {}
    by_year: dict[int, list[Settled]] = {}
    for item in settled:
        if item.charge.month is not None:
            by_month.setdefault(item.charge.month, []).append(item)
        by_year.setdefault(item.charge.year, []).append(item)
    pool = ZERO
    for payment in payments:
        rest = payment.amount
        if rest > 0:
            targets = by_month.get(payment.month, []) if payment.month else []
            if not targets and payment.year is not None:
                targets = by_year.get(payment.year, [])
            rest = _cover(targets, rest)
        pool += rest
    credit = _cover(settled, pool) if pool > 0 else pool
    return Allocation(settled, credit)


def _cover(items: list[Settled], amount: Decimal) -> Decimal:
    for item in items:
        if amount <= 0:
            break
        left = item.charge.amount - item.paid
        if left > 0:
            take = amount if amount < left else left
            item.paid += take
            amount -= take
    return amount


def balance_rows(
    allocation: Allocation, kind: str, titles: dict[object, str], last_paid_year: int
) -> list[BalanceRow]:
    """«Статус моих оплат» lines of one kind: charges grouped by year and title; a credit is shown
    on the newest line (or a line of its own when nothing is charged yet)."""
    rows: dict[tuple[int, str], BalanceRow] = {}
    for item in allocation.charges:
        title = titles.get(item.charge.key, "")
        row = rows.setdefault(
            (item.charge.year, title), BalanceRow(kind=kind, title=title, year=item.charge.year)
        )
        row.charged += item.charge.amount
        row.due += item.left
        if item.left > 0:
            row.unpaid.append(item)
            if item.charge.due_on and (row.due_on is None or item.charge.due_on < row.due_on):
                row.due_on = item.charge.due_on
    ordered = list(rows.values())
    if allocation.credit != 0:
        if not ordered:
            ordered.append(BalanceRow(kind=kind, title="", year=last_paid_year))
        if allocation.credit > 0:
            ordered[-1].prepaid += allocation.credit
        else:
            ordered[-1].due -= allocation.credit
    return ordered
