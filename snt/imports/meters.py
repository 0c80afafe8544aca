"""`flask replace-meter`: the old meter's final reading and the new one's first, on the same day.

The new meter's first reading ends no period (`Reading.meter_start`), so the period before the
replacement is billed to the old meter's final reading and the next one starts from the new
meter's initial reading: no period goes negative.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt.dates import ru_day
from snt.electricity import timeline
from snt.electricity.services import bill_periods
from snt.electricity.timeline import Point, values_text
from snt.extensions import db
from snt.imports.common import UNKNOWN_PLOT, plots_by_number
from snt.models import Reading
from snt.plots import normalise_plot_number
from snt.reports import Report, report_unit

COMMAND_LINE = 0  # a «line» for values typed on the command line: checked like file rows


@dataclass(frozen=True)
class MeterValues:
    day: Decimal | None = None
    night: Decimal | None = None
    total: Decimal | None = None


@report_unit()
def replace_meter(
    number: str,
    on: date,
    final: MeterValues,
    initial: MeterValues | None = None,
    *,
    dry_run: bool = False,
    today: date | None = None,
) -> Report:
    """Record a meter replacement on `on`; the new meter starts at `initial` (zero by default)."""
    report = Report("meter", f"замена счётчика, уч. {number}", dry_run)
    try:
        number = normalise_plot_number(number)
    except ValueError as exc:
        report.error(None, str(exc))
        return report
    plot = plots_by_number([number]).get(number)
    if plot is None:
        report.error(None, UNKNOWN_PLOT.format(number))
        return report
    if on > (today or date.today()):
        report.error(None, f"дата {ru_day(on)} ещё не наступила")
    end = _point(final, on, plot.two_tariff, "конечные показания старого счётчика", report)
    zero = MeterValues(Decimal(0), Decimal(0)) if final.day is not None else MeterValues(total=Decimal(0))
    start = _point(initial or zero, on, plot.two_tariff, "начальные показания нового счётчика", report)
    if report.errors:
        return report
    start.meter_start = True
    points = [Point.of(r) for r in db.session.scalars(select(Reading).where(Reading.plot_id == plot.id))]
    stored_end = next((p for p in points if p.taken_on == on and not p.meter_start), None)
    stored_start = next((p for p in points if p.taken_on == on and p.meter_start), None)
    if stored_start is not None:
        if stored_start.same_values(start) and stored_end is not None and stored_end.same_values(end):
            return report  # the same replacement again: nothing to do
        report.error(
            None, f"замена счётчика на {ru_day(on)} уже записана: новый счётчик с {values_text(stored_start)}"
        )
        return report
    if stored_end is not None and not stored_end.same_values(end):
        report.error(
            None,
            f"на {ru_day(on)} уже загружено показание {values_text(stored_end)}, а конечное показание старого "
            f"счётчика — {values_text(end)}: исправьте показание (import-readings --replace) или дату замены",
        )
        return report
    points += [start] if stored_end is not None else [end, start]
    timeline.check(points, report)
    if report.errors:
        return report
    before = timeline.electricity_charges([plot.id])
    for point in (start,) if stored_end is not None else (end, start):
        db.session.add(
            Reading(plot_id=plot.id, taken_on=on, day=point.day, night=point.night, total=point.total,
                    meter_start=point.meter_start)
        )  # fmt: skip
    report.changes.append(
        f"уч. {number}, замена счётчика {ru_day(on)}: старый снят при {values_text(end)}, "
        f"новый установлен с {values_text(start)}"
    )
    db.session.flush()
    bill_periods([plot.id])
    db.session.flush()
    timeline.report_charges(before, timeline.electricity_charges([plot.id]), {plot.id: number}, report, True)
    report.rows = 2
    return report


def _point(values: MeterValues, on: date, two_tariff: bool, label: str, report: Report) -> Point | None:
    if values.day is not None and values.night is not None:
        return Point(on, values.day, values.night, values.day + values.night, line=COMMAND_LINE)
    if values.day is not None or values.night is not None:
        report.error(None, f"{label}: нужны и «день», и «ночь»")
    elif two_tariff:
        report.error(None, f"{label}: у участка двухтарифный счётчик, нужны «день» и «ночь»")
    elif values.total is None:
        report.error(None, f"{label}: не указаны")
    else:
        return Point(on, None, None, values.total, line=COMMAND_LINE)
    return None
