"""Checks of readings before any SMS goes out: silent meters, spikes, missing readings.

A period "YYYY-MM" is the electricity period that starts in that month (2022-05 is
«01 мая 2022 – 01 июня 2022»), as in `send-sms --period`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median, median_low

from sqlalchemy import Integer, String, case, func, select, type_coerce

from snt import billing
from snt.electricity.services import periods_of
from snt.extensions import db
from snt.models import Plot, Reading
from snt.money import format_quantity

ZERO_MONTHS = 3
YEAR_FACTOR = 3
MEDIAN_FACTOR = 5

# The checks read plain rows through the tables, not the mapped classes: a query naming a mapped
# attribute configures every mapper first (0.06-0.1 s of CPU), and `check-readings` needs no object.
_reading, _plot = Reading.__table__.c, Plot.__table__.c


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
    newest = db.session.scalar(select(func.max(_reading.taken_on)))
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
    """Flags for every electrified plot in `period`; two queries whatever the number of plots,
    and only the 15 months the checks compare (never the whole history)."""
    plots = db.session.execute(
        select(_plot.id, _plot.number).where(_plot.electrified.is_(True)).order_by(_plot.sort_key)
    ).all()
    use_by_plot = window_use(period)
    months = [shift(period, -k) for k in range(13)]
    flags = []
    for plot_id, number in plots:
        hundredths = use_by_plot.get(plot_id, {})
        if period not in hundredths:
            flags.append(ReadingFlag(number, "нет показаний за период"))
            continue
        if all(hundredths.get(months[k]) == 0 for k in range(ZERO_MONTHS)):
            flags.append(ReadingFlag(number, f"нулевой расход {ZERO_MONTHS} месяца подряд"))
        if may_spike(hundredths, months):
            use = {m: Decimal(hundredths[m]).scaleb(-2) for m in months if m in hundredths}
            flags += [ReadingFlag(number, reason) for reason in spike_reasons(use, period)]
    return flags


def may_spike(hundredths: dict[date, int], months: list[date]) -> bool:
    """Whether `spike_reasons` can find anything, in whole hundredths: most plots are ordinary,
    and their 13 Decimals each are what the check of 2,000 plots would spend its time on. Never
    false where `spike_reasons` finds a reason (the median is at least its lower middle value)."""
    current = hundredths[months[0]]
    last_year = hundredths.get(months[12])
    if last_year and current > YEAR_FACTOR * last_year:
        return True
    history = [hundredths[m] for m in months[1:] if m in hundredths]
    return bool(history) and current > MEDIAN_FACTOR * median_low(history)


def window_use(period: date) -> dict[int, dict[date, int]]:
    """Plot id -> consumption in whole hundredths of a kWh by the month its period starts in, for
    the 13 months up to `period` (as `monthly_use` counts it: meter changes end no period, a lower
    reading counts nothing). One query over 15 months of readings, walked once as plain tuples:
    30,000 Reading objects or Decimals would cost more than the checks themselves, and so would
    the ORM's result rows (the query runs on the session's connection, as Core rows), or fetching
    them one by one (they come 2,000 at a time; never all 30,000 held at once). The rows come in
    date order, as the index on the date reads them (only the plots within a day are sorted);
    each plot's previous reading is kept by plot. The date and the meter-change flag come as the
    driver gives them (SQLite: text and 0 or 1; PostgreSQL: a date and a bool): their types'
    conversions of 30,000 rows cost more than the walk; only each distinct date becomes a month."""
    since, until = shift(period, -13), shift(period, 2)
    hundredths = [
        type_coerce(column, Integer).label(column.key)
        for column in (_reading.day, _reading.night, _reading.total)
    ]
    taken_on = type_coerce(_reading.taken_on, String).label("taken_on")
    meter_start = type_coerce(_reading.meter_start, Integer).label("meter_start")
    result = db.session.connection().execute(
        select(_reading.plot_id, taken_on, *hundredths, meter_start)
        .where(_reading.taken_on >= since, _reading.taken_on < until)
        .order_by(_reading.taken_on, _reading.plot_id, _reading.meter_start)
    )
    use_by_plot: dict[int, dict[date, int]] = defaultdict(dict)
    previous: dict[int, tuple] = {}
    months: dict[date | str, date] = {}  # a reading's date, as the driver gives it -> its month's first day
    for row in (row for rows in result.tuples().partitions(2000) for row in rows):
        plot_id, _, day, night, total, meter_start = row
        start = previous.get(plot_id)
        previous[plot_id] = row
        if start is None or meter_start:
            continue
        _, start_on, start_day, start_night, start_total, _ = start
        if None not in (day, night, start_day, start_night):
            used = (day - start_day, night - start_night)
            used_total = used[0] + used[1] if used[0] >= 0 and used[1] >= 0 else -1
        else:
            used_total = total - start_total
        if used_total >= 0:
            month = months.get(start_on)
            if month is None:
                on = date.fromisoformat(start_on[:10]) if isinstance(start_on, str) else start_on
                month = months[start_on] = date(on.year, on.month, 1)
            plot_use = use_by_plot[plot_id]
            plot_use[month] = plot_use.get(month, 0) + used_total
    return use_by_plot


def spike_reasons(use: dict[date, Decimal], period: date) -> list[str]:
    """Why the consumption of `period` (in `use`) is far above the plot's usual, if it is:
    above YEAR_FACTOR× the same month last year, or MEDIAN_FACTOR× the year's median month.

    Shared by `check-readings` and the check of a reading a member passes (snt/submissions)."""
    current = use[period]
    reasons = []
    last_year = use.get(shift(period, -12))
    if last_year and current > YEAR_FACTOR * last_year:
        reasons.append(
            f"расход {format_quantity(current)} кВт·ч — больше чем в {YEAR_FACTOR} раза выше, чем год назад ({format_quantity(last_year)})"
        )
    typical = typical_use(use, period)
    if typical and current > MEDIAN_FACTOR * typical:
        reasons.append(
            f"расход {format_quantity(current)} кВт·ч — больше чем в {MEDIAN_FACTOR} раз выше обычного за год ({format_quantity(typical)})"
        )
    return reasons


def typical_use(use: dict[date, Decimal], period: date) -> Decimal:
    """The median month's consumption over the 12 months before `period` (0 without history)."""
    history = [use[m] for m in (shift(period, -k) for k in range(1, 13)) if m in use]
    return Decimal(median(history)) if history else Decimal(0)


# (database, period) -> (the window's fingerprint, its flags): «Сводка» asks on every visit, the readings
# change only with an import, a correction or a member's accepted reading.
_FLAGS_CACHE: dict[tuple[str, date], tuple[tuple, list[ReadingFlag]]] = {}


def window_fingerprint(period: date) -> tuple:
    """Aggregates over the readings `check_readings(period)` reads and the electrified plots: a
    row added, removed or changed there changes them."""
    since, until = shift(period, -13), shift(period, 2)
    taken = Reading.taken_on
    # Each row's values weighted by its id (small factors: SQLite's sums are 64-bit), so a value
    # corrected in place, or moved to another row, changes the sums too.
    weight = Reading.id % 997 + 1
    values = [type_coerce(c, Integer) for c in (Reading.day, Reading.night, Reading.total)]
    readings = select(
        func.count(),
        func.max(Reading.id),
        func.sum(Reading.plot_id * weight),
        *(func.sum((func.coalesce(v, -1) % 1000003) * weight) for v in values),
        func.sum(case((Reading.meter_start.is_(True), weight), else_=0)),
    ).where(taken >= since, taken < until)
    plots = select(func.count(), func.sum(Plot.id), func.max(Plot.id)).where(Plot.electrified.is_(True))
    return (*db.session.execute(readings).one(), *db.session.execute(plots).one())


def cached_check_readings(period: date) -> list[ReadingFlag]:
    """`check_readings(period)`, computed again only when its window's fingerprint changed. Two
    aggregate queries when nothing changed (a process keeps one result per period)."""
    where = (str(db.engine.url), period)
    key = window_fingerprint(period)
    found = _FLAGS_CACHE.get(where)
    if found is not None and found[0] == key:
        return found[1]
    flags = check_readings(period)
    if len(_FLAGS_CACHE) > 12:
        _FLAGS_CACHE.clear()
    _FLAGS_CACHE[where] = (key, flags)
    return flags
