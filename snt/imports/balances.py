"""`flask import-balances`: opening balances from the books a partnership kept before.

One line per plot and kind: the debt or the advance as of a date. A debt becomes a charge («Долг
по прежнему учёту на 01.01.2023»), an advance a payment («остаток из прежнего учёта»), so the
cabinet, the debtors report and the SMS amounts count them like any other; an OpeningBalance row
per plot and kind makes the load a one-time thing: a second balance for the same plot and kind is
refused, and the whole file with it.
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from snt.dates import ru_day
from snt.extensions import db
from snt.imports.common import UNKNOWN_PLOT, date_cell, guess_kind, load_table, number_cell, plot_number
from snt.imports.common import plots_by_number as load_plots
from snt.imports.files import Column
from snt.models import KIND_TITLES, Account, Charge, OpeningBalance, Payment
from snt.money import format_money
from snt.payments.services import OPENING_DEBT
from snt.reports import Report, report_unit

COLUMNS = [
    Column("plot", "участок", r"участ\w*|plot|уч", required=True),
    Column("kind", "статья", r"стать\w*|вид|kind|взнос\w*", required=True),
    Column("as_of", "на дату", r"дат[аеуы]|date", required=True),
    Column("debt", "долг", r"долг\w*|задолженност\w*|debt"),
    Column("advance", "аванс", r"аванс\w*|переплат\w*|предоплат\w*|advance"),
]


@report_unit()
def import_balances(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    today: date | None = None,
    by: Account | None = None,
    skip: dict[int, str] | None = None,
) -> Report:
    """Store the opening balances of a CSV/xlsx table; nothing on any error (all or nothing)."""
    report = Report("balances", filename, dry_run, by=by, skipped=dict(skip or {}))
    table = load_table(data, filename, COLUMNS, report)
    if table is None:
        return report
    if not {"debt", "advance"} & table.fields:
        report.error(None, "В файле нет столбца «Долг» или «Аванс»: нечего загружать.")
        return report
    report.rows = len(table.rows)
    _store(_parse(table.rows, report, today or date.today()), report)
    return report


def _parse(rows, report: Report, today: date) -> list[tuple[int, str, str, date, Decimal]]:
    """(line, plot number, kind, as of, amount: > 0 a debt, < 0 an advance) of each good line."""
    parsed = []
    for row in rows:
        number = plot_number(row.get("plot"), report, row.line)
        kind = guess_kind(row.get("kind"))
        if kind is None:
            report.error(
                row.line,
                f"статья «{row.get('kind')}» не понятна: нужно «членские», «целевые» или «электроэнергия»",
            )
        as_of = date_cell(row.get("as_of"), report, row.line, today)
        debt = number_cell(row.get("debt"), "долг", report, row.line) if row.get("debt") else Decimal(0)
        advance = (
            number_cell(row.get("advance"), "аванс", report, row.line) if row.get("advance") else Decimal(0)
        )
        if debt and advance:
            report.error(row.line, "указаны и долг, и аванс: оставьте одно (разницу между ними)")
            continue
        if number is None or kind is None or as_of is None or debt is None or advance is None:
            continue
        parsed.append((row.line, number, kind, as_of, debt - advance))
    return parsed


def _store(balances: list[tuple[int, str, str, date, Decimal]], report: Report) -> None:
    """Refuse unknown plots, repeats in the file and balances already loaded; then write them all."""
    plots = load_plots(b[1] for b in balances)
    loaded = {
        (row.plot_id, row.kind): row
        for row in db.session.scalars(
            select(OpeningBalance).where(OpeningBalance.plot_id.in_([p.id for p in plots.values()]))
        )
    }
    seen: dict[tuple[str, str], int] = {}
    for line, number, kind, as_of, amount in balances:
        plot = plots.get(number)
        if plot is None:
            report.error(line, UNKNOWN_PLOT.format(number))
            continue
        if (number, kind) in seen:
            report.error(
                line, f"уч. {number}, {KIND_TITLES[kind].lower()}: уже есть в строке {seen[(number, kind)]}"
            )
            continue
        seen[(number, kind)] = line
        old = loaded.get((plot.id, kind))
        if old is not None:
            report.error(
                line,
                f"уч. {number}, {KIND_TITLES[kind].lower()}: начальный остаток уже загружен "
                f"({_what(old.amount)} на {ru_day(old.as_of)}); второй раз остатки не загружаются — "
                "исправьте ошибку оплатой или сторно на странице участка",
            )
            continue
        if not report.errors:
            _add(plot, kind, as_of, amount)
        report.changes.append(
            f"уч. {number}, {KIND_TITLES[kind].lower()}: {_what(amount)} на {ru_day(as_of)}"
        )
        report.count("начальных остатков")


def _what(amount: Decimal) -> str:
    if amount > 0:
        return f"долг {format_money(amount)} ₽"
    if amount < 0:
        return f"аванс {format_money(-amount)} ₽"
    return "расчёты закрыты (0,00 ₽)"


def _add(plot, kind: str, as_of: date, amount: Decimal) -> None:
    """A debt as a charge of the year before `as_of`, due on `as_of`; an advance as a payment."""
    balance = OpeningBalance(plot=plot, kind=kind, as_of=as_of, amount=amount)
    if amount > 0:
        balance.charge = Charge(
            plot=plot, kind=kind, year=(as_of - timedelta(days=1)).year, title=OPENING_DEBT.format(as_of),
            amount=amount, due_on=as_of,
        )  # fmt: skip
    elif amount < 0:
        balance.payment = Payment(
            plot=plot, paid_on=as_of, amount=-amount, kind=kind, reference=f"opening:{plot.number}:{kind}",
            purpose=f"аванс по прежнему учёту на {as_of:%d.%m.%Y}", source=Payment.OPENING,
        )  # fmt: skip
    db.session.add(balance)
