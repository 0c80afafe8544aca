"""Electricity: periods between readings, their stored charges, and the member's table."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from itertools import pairwise

from markupsafe import Markup
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import aliased, contains_eager

from snt import billing, charts
from snt.extensions import db
from snt.models import Charge, Plot, Reading, Tariff, utcnow
from snt.payments.services import load_ledger


@cache
def other_reading() -> type[Reading]:
    """Another reading of the same plot, in correlated subqueries. Made at first use, not at
    import: `aliased` configures every mapper (a tenth of a second), which `flask --help` and
    commands that never query need not pay."""
    return aliased(Reading)


@dataclass
class PeriodRow:
    plot: Plot
    start: Reading
    end: Reading
    used: billing.Consumption
    costs: billing.Costs | None  # None while no tariff covers the period
    due: str  # "single" or "day_night": which cost the plot's meter type makes due
    status: str = ""  # «оплачено», «оплачено частично, осталось N», «к оплате N»


@dataclass
class PeriodGroup:
    start: date
    end: date
    rows: list[PeriodRow]


def periods_of(readings: list[Reading]) -> list[tuple[Reading, Reading]]:
    """Consecutive pairs of one plot's readings; a new meter's first reading ends no period."""
    ordered = sorted(readings, key=lambda r: (r.taken_on, r.meter_start))
    return [(a, b) for a, b in pairwise(ordered) if not b.meter_start]


def _readings_by_plot(
    plot_ids: list[int], year: int | None = None, latest: int | None = None
) -> dict[int, list[Reading]]:
    """Every reading of these plots; with `year`, those of the periods starting in it (that
    year's and the next one after it); with `latest`, enough newest ones for that many periods.
    One query."""
    query = select(Reading).where(Reading.plot_id.in_(plot_ids))
    if year is not None:
        Reading_ = other_reading()
        after = date(year + 1, 1, 1)
        next_one = (
            select(func.min(Reading_.taken_on))
            .where(Reading_.plot_id == Reading.plot_id, Reading_.taken_on >= after)
            .scalar_subquery()
        )
        query = query.where(
            Reading.taken_on >= date(year, 1, 1), Reading.taken_on <= func.coalesce(next_one, after)
        )
    elif latest is not None:
        rank = (
            func.row_number()
            .over(
                partition_by=Reading.plot_id, order_by=(Reading.taken_on.desc(), Reading.meter_start.desc())
            )
            .label("rank")
        )
        ranked = select(Reading.id, rank).where(Reading.plot_id.in_(plot_ids)).subquery()
        # One more than the periods, and one for a new meter's first reading inside the window.
        query = select(Reading).join(ranked, ranked.c.id == Reading.id).where(ranked.c.rank <= latest + 2)
    by_plot: dict[int, list[Reading]] = defaultdict(list)
    for reading in db.session.scalars(query):
        by_plot[reading.plot_id].append(reading)
    return by_plot


def bill_periods(plot_ids: list[int]) -> int:
    """Store (or correct) the electricity charge of every period of these plots.

    A new period is billed with the tariff in force on its first day; an existing charge keeps
    its tariff, so a later tariff change never rewrites it, while corrected readings recompute
    its amount. Three queries whatever the number of plots and months. Returns charges written.
    """
    if not plot_ids:
        return 0
    tariffs = list(db.session.scalars(select(Tariff).order_by(Tariff.valid_from)))
    tariffs_by_id = {t.id: t for t in tariffs}
    plots = {p.id: p for p in db.session.scalars(select(Plot).where(Plot.id.in_(plot_ids)))}
    existing = {
        (c.plot_id, c.period_end, c.period_start): c
        for c in db.session.scalars(
            select(Charge).where(
                Charge.plot_id.in_(plot_ids),
                Charge.kind == Charge.ELECTRICITY,
                Charge.period_start.is_not(None),  # not a debt carried over from the old books
            )
        )
    }
    written = 0
    new_charges = []
    for plot_id, readings in _readings_by_plot(plot_ids).items():
        for start, end in periods_of(readings):
            charge = existing.pop((plot_id, end.taken_on, start.taken_on), None)
            tariff = tariffs_by_id[charge.tariff_id] if charge else billing.tariff_on(tariffs, start.taken_on)
            if tariff is None:
                continue
            due = billing.amount_due(
                billing.costs(billing.consumption(start, end), tariff), plots[plot_id].two_tariff
            )
            if charge is None:
                new_charges.append(
                    {
                        "plot_id": plot_id,
                        "kind": Charge.ELECTRICITY,
                        "year": start.taken_on.year,
                        "title": "",
                        "period_start": start.taken_on,
                        "period_end": end.taken_on,
                        "tariff_id": tariff.id,
                        "amount": due,
                    }
                )
            elif charge.amount != due:
                charge.amount = due
                written += 1
    for stale in existing.values():  # a period that no longer exists after a correction
        db.session.delete(stale)
    if new_charges:
        # One executemany: the ORM would insert row by row on SQLite to fetch each new id.
        db.session.execute(insert(Charge), new_charges)
    return written + len(new_charges)


ChargeKey = tuple[int, date, date]  # (plot id, period start, period end)


def bill_touched(
    periods: list[tuple[int, billing.DatedMeterValues, billing.DatedMeterValues]],
    two_tariff: dict[int, bool],
    *,
    preview: bool = False,
) -> tuple[dict[ChargeKey, Decimal], dict[ChargeKey, Decimal]]:
    """Store (or correct) the charges of just these periods, and remove the ones they replace.

    `periods`: (plot id, start reading, end reading) of every period an import opened or changed,
    with the readings' values as they are now (objects with `taken_on`, `day`, `night`, `total`).
    A stored charge keeps its tariff, a new one gets the tariff in force on its first day (as in
    bill_periods). A stored charge that starts where one of these periods starts but ends
    elsewhere was split by a new reading and is removed. Returns those plots' charges at these
    starts, before and after (key -> amount), for the import's report. Two queries and the writes,
    whatever the years of history; `preview` (a dry run): the same answer, nothing written.
    """
    if not periods:
        return {}, {}
    # Rows of the tables, not objects (here and in _charges_at): naming a model in a query would
    # configure every mapper first (~0.1 s of CPU), which a command importing readings need not pay.
    tariff_table = Tariff.__table__
    tariffs = list(db.session.execute(select(tariff_table).order_by(tariff_table.c.valid_from)))
    tariffs_by_id = {t.id: t for t in tariffs}
    stored = _charges_at({(plot_id, start.taken_on) for plot_id, start, _ in periods})
    before = {key: row.amount for key, row in stored.items()}
    after: dict[ChargeKey, Decimal] = {}
    new_charges, changed = [], []
    in_force: dict[date, Tariff | None] = {}  # by a period's first day: thousands share a few days
    for plot_id, start, end in periods:
        key = (plot_id, start.taken_on, end.taken_on)
        row = stored.pop(key, None)
        if row is None and start.taken_on not in in_force:
            in_force[start.taken_on] = billing.tariff_on(tariffs, start.taken_on)
        tariff = tariffs_by_id[row.tariff_id] if row is not None else in_force[start.taken_on]
        if tariff is None:
            continue
        due = billing.amount_due(billing.costs(billing.consumption(start, end), tariff), two_tariff[plot_id])
        after[key] = due
        if row is None:
            new_charges.append(
                {"plot_id": plot_id, "kind": Charge.ELECTRICITY, "year": start.taken_on.year, "title": "",
                 "period_start": start.taken_on, "period_end": end.taken_on, "tariff_id": tariff.id, "amount": due}
            )  # fmt: skip
        elif row.amount != due:
            changed.append({"id": row.id, "amount": due})
    if not preview:
        _write_charges([row.id for row in stored.values()], changed, new_charges)
    return before, after


def _write_charges(removed: list[int], changed: list[dict], new_charges: list[dict]) -> None:
    if removed:  # split by a new reading: removed before the halves are inserted (unique period ends)
        db.session.execute(delete(Charge).where(Charge.id.in_(removed)))
    if changed:
        db.session.execute(update(Charge), changed)
    if new_charges:
        now = utcnow()  # once, not per row as the column's default would
        for charge in new_charges:
            charge["created_at"] = now
        db.session.execute(insert(Charge.__table__), new_charges)  # Core: one plain executemany


def _charges_at(starts: set[tuple[int, date]]) -> dict:
    """The stored electricity charges starting at these (plot id, date): key -> row. One query."""
    charge = Charge.__table__.c
    query = select(
        charge.id, charge.plot_id, charge.period_start, charge.period_end, charge.tariff_id, charge.amount
    ).where(
        charge.kind == Charge.ELECTRICITY,
        charge.plot_id.in_(sorted({plot_id for plot_id, _ in starts})),
        charge.period_start.in_(sorted({day for _, day in starts})),
    )
    return {
        (row.plot_id, row.period_start, row.period_end): row
        for row in db.session.execute(query)
        if (row.plot_id, row.period_start) in starts
    }


LATEST = 12  # periods per plot the member's page shows unless a year is asked for


def electricity_table(
    plots: list[Plot], year: int | None = None, latest: int | None = None
) -> list[PeriodGroup]:
    """«Показания моих счетчиков электричества»: periods newest first, the plots inside each.

    Every period by default (the admin plot page); the periods starting in `year`, or each plot's
    `latest` periods, for the member's page: then only those readings, their charges and the
    recent years of the ledger are read, whatever the years of history. Costs come from each
    period's stored charge and its tariff, the status from the allocation of the plot's payments
    (snt.payments.services); queries do not grow with months.
    """
    plot_ids = [p.id for p in plots]
    if not plot_ids:
        return []
    shown: dict[int, list[tuple[Reading, Reading]]] = {}
    for plot_id, readings in _readings_by_plot(plot_ids, year, latest).items():
        pairs = periods_of(readings)
        if year is not None:
            pairs = [(a, b) for a, b in pairs if a.taken_on.year == year]
        shown[plot_id] = pairs[-latest:] if latest else pairs
    first = min((pairs[0][0].taken_on for pairs in shown.values() if pairs), default=None)
    if first is None:
        return []
    windowed = year is not None or latest is not None
    charges = _charges_with_tariffs(plot_ids, first if windowed else None)
    ledger = load_ledger(plot_ids, (Charge.ELECTRICITY,), since=first.year if windowed else None)
    statuses = {
        item.charge.key: item.status
        for plot_id in plot_ids
        for item in ledger.settle(plot_id, Charge.ELECTRICITY).charges
    }
    groups: dict[tuple[date, date], list[PeriodRow]] = defaultdict(list)
    order = {p.id: i for i, p in enumerate(plots)}
    by_id = {p.id: p for p in plots}
    for plot_id, pairs in shown.items():
        plot = by_id[plot_id]
        for start, end in pairs:
            try:
                used = billing.consumption(start, end)
            except billing.LowerReadingError:
                continue  # never stored by the importers; skipped rather than shown negative
            charge = charges.get((plot_id, start.taken_on, end.taken_on))
            period_costs = billing.costs(used, charge.tariff) if charge else None
            due = "day_night" if plot.two_tariff and used.day is not None else "single"
            groups[(start.taken_on, end.taken_on)].append(
                PeriodRow(
                    plot=plot,
                    start=start,
                    end=end,
                    used=used,
                    costs=period_costs,
                    due=due,
                    status=statuses.get(charge.id, "") if charge else "",
                )
            )
    result = []
    for (start, end), rows in sorted(groups.items(), reverse=True):
        rows.sort(key=lambda r: order[r.plot.id])
        result.append(PeriodGroup(start=start, end=end, rows=rows))
    return result


def period_years(plots: list[Plot]) -> list[int]:
    """The years in which a period of these plots starts (every reading but a plot's newest), newest
    first: the member page's year selector. One query."""
    if not plots:
        return []
    Reading_ = other_reading()
    newer = select(Reading.id).where(
        Reading.plot_id == Reading_.plot_id, Reading.taken_on > Reading_.taken_on
    )
    year = func.extract("year", Reading_.taken_on)
    query = (
        select(year)
        .where(Reading_.plot_id.in_([p.id for p in plots]), newer.exists())
        .group_by(year)
        .order_by(year.desc())
    )
    return [int(y) for y in db.session.scalars(query)]


def _charges_with_tariffs(plot_ids: list[int], since: date | None = None) -> dict[tuple, Charge]:
    """The plots' electricity charges with their tariffs; with `since`, those of the periods starting
    on it or later only (through the plot, kind and period index)."""
    query = (
        select(Charge)
        .join(Charge.tariff)
        .where(Charge.plot_id.in_(plot_ids), Charge.kind == Charge.ELECTRICITY)
        .options(contains_eager(Charge.tariff))
    )
    if since is not None:
        query = query.where(Charge.period_start >= since)
    return {(c.plot_id, c.period_start, c.period_end): c for c in db.session.scalars(query)}


DAY = charts.Series("День (Т1)", "chart-day")
NIGHT = charts.Series("Ночь (Т2)", "chart-night")
TOTAL = charts.Series("Расход", "chart-total")


def consumption_charts(groups: list[PeriodGroup]) -> dict[str, Markup]:
    """Plot number -> an SVG bar chart of the consumption of the periods the table shows, oldest
    first; day and night stacked for a meter read by both registers."""
    by_plot: dict[str, list[PeriodRow]] = defaultdict(list)
    for group in reversed(groups):
        for row in group.rows:
            by_plot[row.plot.number].append(row)
    result = {}
    for number, rows in by_plot.items():
        two = all(r.used.day is not None for r in rows)
        bars = [
            charts.Bar(
                label=f"{r.start.taken_on:%m.%y}",
                title=f"{r.start.taken_on:%d.%m.%Y}–{r.end.taken_on:%d.%m.%Y}",
                values=(r.used.day, r.used.night) if two else (r.used.total,),
            )
            for r in rows
        ]
        title = f"Расход электроэнергии по периодам, участок {number}"
        result[number] = charts.bar_chart(
            f"chart-{number}", title, [DAY, NIGHT] if two else [TOTAL], bars, stacked=True
        )
    return result


def pick_year(text: str | None, years: list[int]) -> tuple[int | None, str, int]:
    """The year asked for by «?year=» on the member's page: (year or None, a message for a bad one,
    the answer's status: 400 for a malformed year, 404 for a year without periods)."""
    if not text:
        return None, "", 200
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        return (
            None,
            "Год указан неверно: нужен год из четырёх цифр, например 2022. Показаны последние периоды.",
            400,
        )
    if int(text) not in years:
        return None, f"За {text} год периодов нет. Показаны последние периоды.", 404
    return int(text), "", 200
