"""One plot's readings as they would be after an import: checked before anything is written.

Also the before/after view of electricity charges, so a report can say what a correction changed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import select

from snt import billing
from snt.dates import ru_day
from snt.extensions import db
from snt.models import Charge, Reading
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
    reading: Reading | None = None  # the stored reading, if any

    @classmethod
    def of(cls, reading: Reading) -> "Point":
        return cls(
            taken_on=reading.taken_on,
            day=reading.day,
            night=reading.night,
            total=reading.total,
            meter_start=reading.meter_start,
            reading=reading,
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
    used_by_month: dict[tuple[int, int], Decimal] = {}
    touched = []
    for a, b in periods:
        try:
            used = billing.consumption(a, b)
        except billing.LowerReadingError:
            if b.line is not None:
                report.error(
                    b.line,
                    f"показание на {ru_day(b.taken_on)} ({values_text(b)}) меньше предыдущего "
                    f"на {ru_day(a.taken_on)} ({values_text(a)}); если счётчик заменили, "
                    "сначала запишите замену: flask replace-meter",
                )
            elif a.line is not None:
                report.error(
                    a.line,
                    f"показание на {ru_day(a.taken_on)} ({values_text(a)}) больше следующего, уже "
                    f"загруженного на {ru_day(b.taken_on)} ({values_text(b)})",
                )
            continue
        month = (a.taken_on.year, a.taken_on.month)
        used_by_month[month] = used_by_month.get(month, Decimal(0)) + used.total
        if a.line is not None or b.line is not None:
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
    for key, amount in sorted(after.items()):
        plot_id, start, end = key
        label = f"уч. {numbers[plot_id]}, электроэнергия {ru_day(start)}–{ru_day(end)}"
        if key not in before:
            report.count("новых начислений за электроэнергию")
            if list_new:
                report.changes.append(f"{label}: начислено {format_money(amount)}")
        elif before[key] != amount:
            report.count("исправлено начислений")
            report.changes.append(f"{label}: {format_money(before[key])} → {format_money(amount)}")
    for key in sorted(set(before) - set(after)):
        plot_id, start, end = key
        report.count("снято начислений")
        report.changes.append(
            f"уч. {numbers[plot_id]}, электроэнергия {ru_day(start)}–{ru_day(end)}: начисление "
            f"{format_money(before[key])} снято (период изменился)"
        )
