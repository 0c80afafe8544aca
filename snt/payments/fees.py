"""Yearly fees: membership per sotka, target fees per plot. Idempotent per year and title."""

from datetime import date
from decimal import Decimal
from typing import cast

from sqlalchemy import CursorResult, or_, select, update

from snt.dates import ru_day
from snt.extensions import db
from snt.models import KIND_TITLES, Account, Charge, Plot
from snt.money import format_money, round_kopecks
from snt.reports import Report, report_unit
from snt.text import count_text, plural

# 217-ФЗ art. 5: owners who garden without membership pay for the common property, not fees.
NON_MEMBER_TITLE = "Плата за пользование имуществом общего пользования"


def _title_for(plot: Plot, kind: str, title: str) -> str:
    """Membership fees of a plot whose owners are all non-members carry the art. 5 title."""
    if kind == Charge.MEMBERSHIP and not title and not plot.has_member_owner:
        return NON_MEMBER_TITLE
    return title


def accrue_fees(
    year: int,
    kind: str = Charge.MEMBERSHIP,
    per_sotka: Decimal | None = None,
    fixed: Decimal | None = None,
    title: str = "",
    due_on: date | None = None,
) -> int:
    """Charge every plot for `year` (area × per_sotka, or a fixed sum). Returns the charges added.

    Plots already charged for this year, kind and title are left alone, so running it twice
    adds nothing. The caller commits.
    """
    if (per_sotka is None) == (fixed is None):
        raise ValueError("нужна либо ставка за сотку, либо фиксированная сумма")
    titles = [title, NON_MEMBER_TITLE] if kind == Charge.MEMBERSHIP and not title else [title]
    already = set(
        db.session.scalars(
            select(Charge.plot_id).where(Charge.year == year, Charge.kind == kind, Charge.title.in_(titles))
        )
    )
    added = 0
    for plot in db.session.scalars(select(Plot).order_by(Plot.sort_key)):
        if plot.id in already:
            continue
        amount = round_kopecks(plot.area * per_sotka) if per_sotka is not None else fixed
        if amount <= 0:
            continue  # a plot of no recorded area owes nothing per sotka
        db.session.add(
            Charge(
                plot_id=plot.id,
                kind=kind,
                year=year,
                title=_title_for(plot, kind, title),
                amount=amount,
                due_on=due_on,
            )
        )
        added += 1
    return added


@report_unit()
def accrue(
    year: int,
    kind: str = Charge.MEMBERSHIP,
    per_sotka: Decimal | None = None,
    fixed: Decimal | None = None,
    title: str = "",
    *,
    due_on: date | None = None,
    dry_run: bool = False,
    by: Account | None = None,
) -> Report:
    """`flask accrue-fees`: accrue_fees with a report; commits unless dry_run or nothing to add."""
    label = title or KIND_TITLES[kind]
    report = Report("fees", filename=f"{label} {year}", dry_run=dry_run, by=by)
    if not 2000 <= year <= 2100:
        report.error(None, f"Год {year} вне разумных пределов (2000–2100).")
    rate = per_sotka if per_sotka is not None else fixed
    if rate is None or rate <= 0:
        report.error(None, "Ставка должна быть больше нуля.")
    if report.errors:
        return report
    plots = list(db.session.scalars(select(Plot).order_by(Plot.sort_key)))
    expected = {p.id: round_kopecks(p.area * per_sotka) if per_sotka is not None else fixed for p in plots}
    numbers = {p.id: p.number for p in plots}
    order = {p.id: i for i, p in enumerate(plots)}
    differing = [
        (numbers[c.plot_id], c.amount, expected[c.plot_id])
        for c in db.session.scalars(
            select(Charge).where(
                Charge.year == year,
                Charge.kind == kind,
                Charge.title.in_(
                    [title, NON_MEMBER_TITLE] if kind == Charge.MEMBERSHIP and not title else [title]
                ),
            )
        )
        if c.plot_id in expected and c.amount != expected[c.plot_id]
    ]
    if differing:
        number, had, now = differing[0]
        report.warn(
            None,
            f"у {len(differing)} {plural(len(differing), 'участка', 'участков', 'участков')} «{label}» за {year} уже начислены в другой сумме (например, "
            f"уч. {number}: {format_money(had)} вместо {format_money(now)}); повторное начисление их не меняет",
        )
    for plot in plots:
        if expected[plot.id] <= 0:
            report.warn(None, f"у участка {plot.number} площадь 0: взнос не начислен")
    added = accrue_fees(year, kind, per_sotka=per_sotka, fixed=fixed, title=title, due_on=due_on)
    new = sorted((c for c in db.session.new if isinstance(c, Charge)), key=lambda c: order[c.plot_id])
    total = sum((c.amount for c in new), Decimal(0))
    for charge in new:  # the browser's table lists each plot's fee; the shell prints the total
        report.list_row(
            f"{charge.title or label} за {year}: {format_money(charge.amount)} ₽",
            plot=numbers[charge.plot_id],
        )
    report.count("начислено участкам", added)
    if added:
        when = f", оплатить до {ru_day(due_on)}" if due_on else ""
        report.changes.append(
            f"«{label}» за {year}: {count_text(added, 'начисление', 'начисления', 'начислений')} на сумму "
            f"{format_money(total)} ₽{when}"
        )
    if due_on is not None:
        _set_due_date(report, year, kind, title, due_on, label)
    report.rows = added
    return report


def _set_due_date(report: Report, year: int, kind: str, title: str, due_on: date, label: str) -> None:
    """A date given again (or later) applies to the year's charges already accrued, too."""
    earlier = db.session.execute(  # an UPDATE: a CursorResult, which has rowcount
        update(Charge)
        .where(Charge.year == year, Charge.kind == kind, Charge.title == title)
        .where(or_(Charge.due_on.is_(None), Charge.due_on != due_on))
        .values(due_on=due_on)
    )
    if cast(CursorResult, earlier).rowcount:
        count = cast(CursorResult, earlier).rowcount
        report.changes.append(f"«{label}» за {year}: срок оплаты {ru_day(due_on)} у {count} начислений")
