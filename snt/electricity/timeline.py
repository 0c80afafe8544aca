"""One plot's readings as they would be after an import: checked before anything is written.

Also the before/after view of electricity charges, so a report can say what a correction changed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select

from snt import billing
from snt.dates import ru_day
from snt.extensions import db
from snt.models import Charge, Plot, Reading
from snt.money import format_money, format_quantity
from snt.reports import Report

SPIKE_FACTOR = 5


@dataclass
class Point:
    """A reading in the merged timeline; `line` is set when it comes from (or is changed by) the file."""

    taken_on: date
    day: Decimal | None
    night: Decimal | None
    total: Decimal
    meter_start: bool = False
    line: int | None = None
    reading: Reading | None = None  # the stored reading, if loaded as an object
    stored_id: int | None = None  # the stored reading's id; None for a new one

    @classmethod
    def of(cls, reading) -> "Point":
        """From a stored Reading (or MainReading) object."""
        return cls(
            taken_on=reading.taken_on,
            day=reading.day,
            night=reading.night,
            total=reading.total,
            meter_start=reading.meter_start,
            reading=reading,
            stored_id=reading.id,
        )

    def same_values(self, other: "Point") -> bool:
        return (self.day, self.night, self.total) == (other.day, other.night, other.total)


def values_text(point: Point) -> str:
    if point.day is not None and point.night is not None:
        return f"день {format_quantity(point.day)}, ночь {format_quantity(point.night)}"
    return f"сумма {format_quantity(point.total)}"


def check(points: list[Point], report: Report) -> list[tuple[Point, Point]]:
    """Report lower readings and spikes among periods touched by the file; returns those periods.

    A lower reading is an error unless a new meter starts in between (its first reading ends no
    period). A period using more than SPIKE_FACTOR× the same month of last year is a warning.
    """
    ordered = sorted(points, key=lambda p: (p.taken_on, p.meter_start))
    periods = [(a, b) for a, b in pairwise(ordered) if not b.meter_start]
    # Only the touched periods and those starting in the months a year before them are used.
    needed = {
        (a.taken_on.year - 1, a.taken_on.month)
        for a, b in periods
        if a.line is not None or b.line is not None
    }
    used_by_month: dict[tuple[int, int], Decimal] = {}
    touched = []
    for a, b in periods:
        month = (a.taken_on.year, a.taken_on.month)
        is_touched = a.line is not None or b.line is not None
        if not is_touched and month not in needed:
            continue
        try:
            used = billing.consumption(a, b)
        except billing.LowerReadingError:
            if b.line is not None:
                report.lower_readings[b.line] = (a, b)
                report.error(
                    b.line,
                    f"показание на {ru_day(b.taken_on)} ({values_text(b)}) меньше предыдущего "
                    f"на {ru_day(a.taken_on)} ({values_text(a)}); если счётчик заменили, "
                    "сначала запишите замену счётчика",
                )
            elif a.line is not None:
                report.error(
                    a.line,
                    f"показание на {ru_day(a.taken_on)} ({values_text(a)}) больше следующего, уже "
                    f"загруженного на {ru_day(b.taken_on)} ({values_text(b)})",
                )
            continue
        if month in needed:
            used_by_month[month] = used_by_month.get(month, Decimal(0)) + used.total
        if is_touched:
            touched.append((a, b, used.total))
    for a, b, now in touched:
        last_year = used_by_month.get((a.taken_on.year - 1, a.taken_on.month))
        if last_year and now > SPIKE_FACTOR * last_year:
            report.warn(
                b.line or a.line,
                f"расход {format_quantity(now)} кВт·ч за {ru_day(a.taken_on)}–{ru_day(b.taken_on)} больше "
                f"чем в {SPIKE_FACTOR} раз выше, чем год назад ({format_quantity(last_year)} кВт·ч) — проверьте",
            )
    return [(a, b) for a, b, _ in touched]


def stored_around(plot_ids: list[int], first: date, last: date) -> dict[int, list[Point]]:
    """The stored readings that new readings dated `first`…`last` are checked and billed against.

    For each plot: its readings from the last one before `first` up to the first one after `last`
    (a reading added in between splits that period), and those of the same months a year
    earlier up to the reading that ends them (the spike check compares a period with the same
    month of last year). Proportional to the file, not to the years of history: one query for
    the bounds, two for the readings, and one more only for plots whose readings have gaps
    of over a month around those dates (they get one unbroken window). Queries name the tables'
    columns, not the models': a query naming a model configures every mapper first (~0.1 s of
    CPU), which a command that imports readings need not pay.
    """
    if not plot_ids:
        return {}
    near = _month_start(first - timedelta(days=31))  # the usual reading before the file
    until = last + timedelta(days=31)  # … and after it
    since = _year_before(near)
    year_end = _month_start(_year_before(last) + timedelta(days=62))  # next month's start, a year ago
    reading, plot = Reading.__table__.c, Plot.__table__.c
    bounds = db.session.execute(
        select(
            plot.id,
            _nearest(func.max, reading.taken_on < first),
            _nearest(func.min, reading.taken_on > last),
            _nearest(func.min, reading.taken_on >= _month_start(_year_before(last) + timedelta(days=31))),
        ).where(plot.id.in_(plot_ids))
    ).all()
    common: list[tuple[int, date | None, date | None]] = []
    apart: list[tuple[int, date | None, date | None]] = []
    year_ago_end = None  # the latest reading ending a period of last year's months, of `common`
    for plot_id, before, after, year_after in bounds:
        fits = (
            (before is None or before >= near)
            and (after is None or after <= until)
            and (year_after is None or year_after <= year_end)
        )
        (common if fits else apart).append((plot_id, before, after))
        if fits and year_after is not None:
            year_ago_end = max(year_ago_end or year_after, year_after)
    year_ago_end = min(year_ago_end or year_end, near - timedelta(days=1))
    windows = [(since, year_ago_end), (near, until)]  # always two queries
    queries = [([g[0] for g in common], start, end) for start, end in windows]
    if apart:
        start = min((_year_before(b) for _, b, _ in apart if b), default=first)
        queries.append(([g[0] for g in apart], start, max((a for _, _, a in apart if a), default=last)))
    points: dict[int, list[Point]] = defaultdict(list)
    columns = (reading.id, reading.plot_id, reading.taken_on, reading.day, reading.night, reading.total,
               reading.meter_start)  # fmt: skip
    for ids, start, end in queries:
        if not ids:
            continue
        query = select(*columns).where(
            reading.plot_id.in_(ids), reading.taken_on >= start, reading.taken_on <= end
        )
        # .all(): one fetch of the whole window rather than one driver call per row
        for id_, plot_id, taken_on, day, night, total, meter_start in db.session.execute(query).all():
            points[plot_id].append(Point(taken_on, day, night, total, meter_start, stored_id=id_))
    return points


def _nearest(aggregate, condition):
    """Per plot (correlated with the plot table's id): the max or min reading date meeting `condition`."""
    reading = Reading.__table__.c
    return (
        select(aggregate(reading.taken_on))
        .where(reading.plot_id == Plot.__table__.c.id, condition)
        .scalar_subquery()
    )


def _month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def _year_before(day: date) -> date:
    """The first day of the month a year before `day`'s month."""
    return date(day.year - 1, day.month, 1)


def electricity_charges(plot_ids: list[int]) -> dict[tuple[int, date, date], Decimal]:
    """(plot id, period start, period end) -> amount, for these plots: one query."""
    if not plot_ids:
        return {}
    query = select(Charge.plot_id, Charge.period_start, Charge.period_end, Charge.amount).where(
        Charge.plot_id.in_(plot_ids), Charge.kind == Charge.ELECTRICITY
    )
    return {(r.plot_id, r.period_start, r.period_end): r.amount for r in db.session.execute(query)}


def report_charges(
    before: dict, after: dict, numbers: dict[int, str], report: Report, list_new: bool = False
) -> None:
    """Count new charges; list every changed or removed one (and new ones if asked)."""

    def label(key: tuple[int, date, date]) -> str:  # only for the lines listed: a month has thousands
        plot_id, start, end = key
        return f"уч. {numbers[plot_id]}, электроэнергия {ru_day(start)}–{ru_day(end)}"

    for key, amount in sorted(after.items()):
        plot = numbers[key[0]]
        if key not in before:
            report.count("новых начислений за электроэнергию")
            if list_new:
                report.change(f"{label(key)}: начислено {format_money(amount)}", plot=plot)
        elif before[key] != amount:
            report.count("исправлено начислений")
            report.change(f"{label(key)}: {format_money(before[key])} → {format_money(amount)}", plot=plot)
    for key in sorted(set(before) - set(after)):
        report.count("снято начислений")
        report.change(
            f"{label(key)}: начисление {format_money(before[key])} снято (период изменился)",
            plot=numbers[key[0]],
        )
