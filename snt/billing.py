"""Billing arithmetic: consumption, electricity costs, balances. No database here."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Protocol

from snt.money import round_kopecks

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


def allocate(
    charges: Iterable[tuple[int, str, Decimal]], paid: Decimal, kind: str, last_paid_year: int
) -> list[BalanceRow]:
    """Apply the payments of one plot and kind to its charges, oldest first.

    `charges` are (year, title, amount) sorted oldest first. What is left over after every
    charge is paid is a prepayment, shown on the newest row.
    """
    rows: dict[tuple[int, str], BalanceRow] = {}
    remaining = paid
    for year, title, amount in charges:
        row = rows.setdefault((year, title), BalanceRow(kind=kind, title=title, year=year))
        covered = min(remaining, amount)
        remaining -= covered
        row.charged += amount
        row.due += amount - covered
    ordered = list(rows.values())
    if remaining > 0:
        if not ordered:
            ordered.append(BalanceRow(kind=kind, title="", year=last_paid_year))
        ordered[-1].prepaid += remaining
    return ordered
