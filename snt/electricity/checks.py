"""Checks of readings before any SMS goes out: silent meters, spikes, missing readings.

A period "YYYY-MM" is the electricity period that starts in that month (2022-05 is
«01 мая 2022 – 01 июня 2022»), as in `send-sms --period`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from sqlalchemy import Integer, func, select, type_coerce

from snt import billing
from snt.electricity.services import periods_of
from snt.extensions import db
from snt.models import Plot, Reading
from snt.money import format_quantity

ZERO_MONTHS = 3
YEAR_FACTOR = 3
MEDIAN_FACTOR = 5


@dataclass(frozen=True)
class ReadingFlag:
    plot_number: str
    reason: str  # Russian, for the treasurer


def month_start(period: str) -> date:
    """'2022-05' -> date(2022, 5, 1); ValueError with a Russian message otherwise."""
    try:
        year, month = (int(part) for part in period.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise ValueError(f"«{period}» — не период: нужен год и месяц, например 2022-05") from exc


def shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def newest_period() -> date | None:
    """The month of the newest period: the one that the newest reading closes."""
    newest = db.session.scalar(select(func.max(Reading.taken_on)))
    return shift(date(newest.year, newest.month, 1), -1) if newest else None


def monthly_use(readings: list) -> dict[date, Decimal]:
    """Consumption by the month its period starts in (segments around a meter change added up).

    `readings`: one meter's Reading objects, or rows with the same attributes (values as Decimals,
    or all as whole hundredths: the sums come out in the same unit)."""
    use: dict[date, Decimal] = defaultdict(Decimal)
    for start, end in periods_of(readings):
        try:
            used = billing.consumption(start, end).total
        except billing.LowerReadingError:
            continue
        use[date(start.taken_on.year, start.taken_on.month, 1)] += used
    return use


def check_readings(period: date) -> list[ReadingFlag]:
    """Flags for every electrified plot in `period`; two queries whatever the number of plots."""
    plots = list(db.session.scalars(select(Plot).where(Plot.electrified.is_(True)).order_by(Plot.sort_key)))
    since, until = shift(period, -13), shift(period, 2)
    by_plot: dict[int, list] = defaultdict(list)
    # Every plot's 15 months at once, as rows with the values in whole hundredths (ints, as stored):
    # 30,000 Reading objects or Decimals would cost more than the checks themselves.
    hundredths = [
        type_coerce(column, Integer).label(column.key)
        for column in (Reading.day, Reading.night, Reading.total)
    ]
    for reading in db.session.execute(
        select(Reading.plot_id, Reading.taken_on, *hundredths, Reading.meter_start).where(
            Reading.taken_on >= since, Reading.taken_on < until
        )
    ):
        by_plot[reading.plot_id].append(reading)
    flags = []
    for plot in plots:
        readings = by_plot.get(plot.id, [])
        use = {month: Decimal(used).scaleb(-2) for month, used in monthly_use(readings).items()}
        if period not in use:
            flags.append(ReadingFlag(plot.number, "нет показаний за период"))
            continue
        current = use[period]
        recent = [use.get(shift(period, -k)) for k in range(ZERO_MONTHS)]
        if all(value == 0 for value in recent):
            flags.append(ReadingFlag(plot.number, f"нулевой расход {ZERO_MONTHS} месяца подряд"))
        last_year = use.get(shift(period, -12))
        if last_year and current > YEAR_FACTOR * last_year:
            flags.append(
                ReadingFlag(
                    plot.number,
                    f"расход {format_quantity(current)} кВт·ч — больше чем в {YEAR_FACTOR} раза выше, чем год назад ({format_quantity(last_year)})",
                )
            )
        history = [use[m] for m in (shift(period, -k) for k in range(1, 13)) if m in use]
        typical = median(history) if history else 0
        if typical and current > MEDIAN_FACTOR * typical:
            flags.append(
                ReadingFlag(
                    plot.number,
                    f"расход {format_quantity(current)} кВт·ч — больше чем в {MEDIAN_FACTOR} раз выше обычного за год ({format_quantity(typical)})",
                )
            )
    return flags
