"""`flask import-readings`: meter readings with a date; charges stored in the same transaction.

A row whose plot is a reserved name (MAIN_METER_NAMES: «ОБЩИЙ», «MAIN») is a reading of the
partnership's main meter: checked like a plot's, stored in MainReading, never billed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update

from snt.dates import ru_day
from snt.electricity import timeline
from snt.electricity.services import bill_touched
from snt.electricity.timeline import Point, values_text
from snt.extensions import db
from snt.imports.common import UNKNOWN_PLOT, date_cell, load_table, number_cell, plot_number
from snt.imports.files import Column
from snt.models import Account, MainReading, Plot, Reading, utcnow
from snt.money import format_quantity
from snt.reports import UNCHANGED, Report, report_unit

# How a treasurer may name the main (transformer) meter in the plot column; compared casefolded, ё as е.
MAIN_METER_NAMES = frozenset({"общий", "общий счетчик", "main"})
MAIN = "ОБЩИЙ"  # the rows' number for the main meter: not a plot number, so it never meets one


def is_main_meter(text: str) -> bool:
    return " ".join(text.split()).casefold().replace("ё", "е") in MAIN_METER_NAMES


COLUMNS = [
    Column("plot", "участок", r"участ\w*|plot|уч", required=True),
    Column("date", "дата", r"дата|date", required=True),
    Column("day", "день (Т1)", r"день|дневн\w*|т1|t1|day"),
    Column("night", "ночь (Т2)", r"ночь|ночн\w*|т2|t2|night"),
    Column("total", "сумма", r"сумма|всего|итого|total|показани\w*|reading\w*"),
]


@dataclass
class Row:
    line: int
    number: str
    taken_on: date
    point: Point


@report_unit()
def import_readings(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    replace: bool = False,
    today: date | None = None,
    by: Account | None = None,
    skip: dict[int, str] | None = None,
    check_only: bool = False,
) -> Report:
    """Check the whole file, then store its readings and the charges of the periods they close.

    Nothing is written on any error. A reading that differs from one already stored for the same
    plot and date is an error unless `replace`, which lists every change. `check_only`: the
    checks alone, read-only and without the write lock (no charges are previewed).
    """
    report = Report("readings", filename, dry_run or check_only, by=by, skipped=dict(skip or {}))
    table = load_table(data, filename, COLUMNS, report)
    if table is None:
        return report
    if "total" not in table.fields and not {"day", "night"} <= table.fields:
        report.error(None, "Нужны столбцы «день» и «ночь» или столбец «сумма» (для однотарифных счётчиков).")
        return report
    rows = _parse(table.rows, report, today or date.today())
    report.rows = len(table.rows)
    return _store(rows, report, replace, check_only)


@report_unit()
def store_readings(rows: list[Row], report: Report) -> Report:
    """Store readings that come as rows rather than a file — those members passed, accepted by
    the treasurer (snt/submissions), each numbered as a line: the file's checks, charges and
    audit entry, all or nothing."""
    report.rows = len(rows)
    return _store(rows, report, replace=False)


def _store(rows: list[Row], report: Report, replace: bool, check_only: bool = False) -> Report:
    """Check `rows` against the registry and the stored readings, then store them and the charges
    of the periods they close (the caller's unit keeps it all or nothing)."""
    main_rows = [r for r in rows if r.number == MAIN]
    rows = [r for r in rows if r.number != MAIN]
    plots = _plots(r.number for r in rows)
    rows = _check_plots(rows, plots, report)
    plan, periods = _plan(rows, plots, report, replace)
    main_plan = _plan_main(main_rows, report, replace)
    if report.errors:
        report.meter_hints = _meter_hints(rows, plots, report)
        return report
    if check_only:
        return report
    if report.dry_run:  # the preview: the same report, computed without writing anything
        _report_charges(periods, plots, report, preview=True)
        return report
    _write_main(main_plan)
    now = utcnow()  # once, not per row as the column's default would
    new = [
        {"plot_id": plot_id, "taken_on": p.taken_on, "day": p.day, "night": p.night, "total": p.total,
         "created_at": now}
        for plot_id, p in plan
        if p.stored_id is None
    ]  # fmt: skip
    if new:
        # One executemany on the table: the ORM's bulk insert would split the rows into a batch per
        # run of the same non-empty columns (day/night meters alternating with single ones).
        db.session.execute(insert(Reading.__table__), new)
    changed = [
        {"id": p.stored_id, "day": p.day, "night": p.night, "total": p.total}
        for _, p in plan
        if p.stored_id is not None
    ]
    if changed:
        db.session.execute(update(Reading), changed)  # by primary key, one executemany
    _report_charges(periods, plots, report)
    return report


def _report_charges(periods: list, plots: dict, report: Report, preview: bool = False) -> None:
    """Bill the periods the file opens or changes (only those: their charges alone are compared);
    `preview`: only work out what billing them would do."""
    before, after = bill_touched(periods, {p.id: p.two_tariff for p in plots.values()}, preview=preview)
    timeline.report_charges(before, after, {p.id: p.number for p in plots.values()}, report)
    for plot_id, start, end in periods:
        if (plot_id, start.taken_on, end.taken_on) not in after:
            report.warn(
                end.line or start.line,
                f"тариф на {ru_day(start.taken_on)} не задан: период не начислен (задайте тариф в разделе «Тарифы»)",
            )


def _meter_hints(rows: list[Row], plots: dict[str, Plot], report: Report) -> list[dict[str, str]]:
    """A meter replacement to offer for each plot whose reading went down: on the lower reading's
    day, the new meter starting at the file's value, the old one ending at the reading already stored
    for that day (or else at the earlier reading)."""
    hints: dict[str, dict[str, str]] = {}
    for row in rows:
        if row.line in report.lower_readings and row.number not in hints:
            earlier, lower = report.lower_readings[row.line]
            stored = db.session.scalar(
                select(Reading).where(
                    Reading.plot_id == plots[row.number].id,
                    Reading.taken_on == lower.taken_on,
                    Reading.meter_start.is_(False),
                )
            )
            earlier = Point.of(stored) if stored is not None else earlier
            hint = {"number": row.number, "on": ru_day(lower.taken_on)}
            for prefix, point in (("final", earlier), ("initial", lower)):
                for name in ("day", "night") if point.day is not None else ("total",):
                    hint[f"{prefix}_{name}"] = format_quantity(getattr(point, name))
            hints[row.number] = hint
    return list(hints.values())


def _parse(cells, report: Report, today: date) -> list[Row]:
    rows = []
    seen: dict[tuple[str, date], int] = {}
    for cell in cells:
        text = cell.get("plot")
        number = MAIN if is_main_meter(text) else plot_number(text, report, cell.line)
        taken_on = date_cell(cell.get("date"), report, cell.line, today)
        values = {}
        for field, label in (("day", "день"), ("night", "ночь"), ("total", "сумма")):
            if cell.get(field):
                values[field] = number_cell(cell.get(field), label, report, cell.line)
        if number is None or taken_on is None or None in values.values():
            continue
        point = _point(values, taken_on, cell.line, report)
        if point is None:
            continue
        if (number, taken_on) in seen:
            who = "общий счётчик" if number == MAIN else f"участок {number}"
            report.error(cell.line, f"{who} на {ru_day(taken_on)} уже есть в строке {seen[number, taken_on]}")
            continue
        seen[(number, taken_on)] = cell.line
        rows.append(Row(line=cell.line, number=number, taken_on=taken_on, point=point))
    return rows


def _point(values: dict, taken_on: date, line: int, report: Report) -> Point | None:
    day, night, total = values.get("day"), values.get("night"), values.get("total")
    if day is not None and night is not None:
        if total is not None and total != day + night:
            report.error(line, f"сумма {total} не равна день + ночь ({day + night})")
            return None
        return Point(taken_on=taken_on, day=day, night=night, total=day + night, line=line)
    if day is not None or night is not None:
        report.error(line, "указано только " + ("«день»" if day is not None else "«ночь»") + ": нужны оба")
        return None
    if total is None:
        report.error(line, "нет показаний: заполните «день» и «ночь» или «сумма»")
        return None
    return Point(taken_on=taken_on, day=None, night=None, total=total, line=line)


def _plots(numbers) -> dict:
    """The registry's plots with these numbers, as rows of the columns an import needs: one query.
    (Thousands of Plot objects would cost more than the checks.) The table's columns, not the
    model's: see timeline.stored_around."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    plot = Plot.__table__.c
    query = select(plot.id, plot.number, plot.electrified, plot.two_tariff).where(plot.number.in_(wanted))
    return {p.number: p for p in db.session.execute(query)}


def _check_plots(rows: list[Row], plots: dict, report: Report) -> list[Row]:
    good = []
    for row in rows:
        plot = plots.get(row.number)
        if plot is None:
            report.error(row.line, UNKNOWN_PLOT.format(row.number))
        elif not plot.electrified:
            report.error(row.line, f"участок {row.number} по реестру не электрифицирован")
        elif plot.two_tariff and row.point.day is None:
            report.error(
                row.line, f"у участка {row.number} двухтарифный счётчик (по реестру): нужны «день» и «ночь»"
            )
        else:
            good.append(row)
    return good


def _plan(rows: list[Row], plots: dict, report: Report, replace: bool):
    """(plot id, point) to write: new readings and, with `replace`, changed ones; and the
    periods those open or change, as (plot id, start, end). Reads only the stored readings
    around the file's dates (timeline.stored_around), whatever the years of history."""
    by_plot: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        by_plot[plots[row.number].id].append(row)
    stored = (
        timeline.stored_around(list(by_plot), min(r.taken_on for r in rows), max(r.taken_on for r in rows))
        if rows
        else {}
    )
    plan, periods = [], []
    for plot_id, plot_rows in by_plot.items():
        number = plot_rows[0].number
        points, touched = _merge(
            stored.get(plot_id, []), plot_rows, (f"участка {number}", f"уч. {number}"), report, replace
        )
        plan += [(plot_id, p) for p in points]
        periods += [(plot_id, a, b) for a, b in touched]
    report.count("новых показаний", sum(1 for _, p in plan if p.stored_id is None))
    report.count("исправлено показаний", sum(1 for _, p in plan if p.stored_id is not None))
    return plan, periods


def _merge(points: list[Point], rows: list[Row], names: tuple[str, str], report: Report, replace: bool):
    """One meter's stored points merged with the file's rows: the points to write and the periods
    the file touches. `names`: the meter in «у …» and in a change line."""
    who, tag = names
    plan = []
    finals = {p.taken_on: p for p in points if not p.meter_start}
    starts = {p.taken_on: p for p in points if p.meter_start}
    for row in sorted(rows, key=lambda r: r.taken_on):
        new, old = row.point, finals.get(row.taken_on)
        if old is None:
            points.append(new)
            plan.append(new)
            report.list_row(
                f"{ru_day(row.taken_on)}: новое показание {values_text(new)}", row.line, row.number
            )
        elif old.same_values(new) or (row.taken_on in starts and starts[row.taken_on].same_values(new)):
            report.count(UNCHANGED)
        elif not replace:
            report.error(
                row.line,
                f"у {who} на {ru_day(row.taken_on)} уже загружено: {values_text(old)}; "
                f"в файле: {values_text(new)}. Чтобы заменить, загрузите файл с заменой уже загруженных показаний",
            )
        else:
            report.change(
                f"{tag}, {ru_day(row.taken_on)}: {values_text(old)} → {values_text(new)}",
                row.line,
                row.number,
            )
            old.day, old.night, old.total, old.line = new.day, new.night, new.total, row.line
            plan.append(old)
    return plan, timeline.check(points, report)


def _plan_main(rows: list[Row], report: Report, replace: bool) -> list[Point]:
    """The main meter's points to write, checked like a plot's (one query, none without rows)."""
    if not rows:
        return []
    stored = [Point.of(r) for r in db.session.scalars(select(MainReading))]
    plan, _ = _merge(stored, rows, ("общего счётчика", "общий счётчик"), report, replace)
    report.count("новых показаний общего счётчика", sum(1 for p in plan if p.stored_id is None))
    report.count("исправлено показаний общего счётчика", sum(1 for p in plan if p.stored_id is not None))
    return plan


def _write_main(plan: list[Point]) -> None:
    for point in plan:
        if point.reading is None:
            db.session.add(
                MainReading(taken_on=point.taken_on, day=point.day, night=point.night, total=point.total)
            )
        else:
            point.reading.day, point.reading.night, point.reading.total = point.day, point.night, point.total
