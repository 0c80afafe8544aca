"""`flask import-payments`: payments from a table, or a bank statement in the 1C exchange format.

The bank reference makes a re-import harmless: a payment already stored under the same
reference is recognised and left alone.
"""

from collections import Counter
from datetime import date

from sqlalchemy import insert, select

from snt.dates import ru_day
from snt.extensions import db
from snt.imports import bank1c
from snt.imports.common import (
    UNKNOWN_PLOT,
    NewPayment,
    date_cell,
    guess_kind,
    load_table,
    number_cell,
    plot_number,
    split_combined,
)
from snt.imports.common import plots_by_number as load_plots
from snt.imports.files import Column
from snt.models import KIND_TITLES, Account, Charge, Payment
from snt.money import format_money
from snt.payments.purpose import combined_parts, named_month, named_year
from snt.payments.unmatched import store_unmatched
from snt.reports import UNCHANGED, Report, report_unit

COLUMNS = [
    Column("plot", "участок", r"участ\w*|plot|уч", required=True),
    Column("date", "дата", r"дата|date", required=True),
    Column("amount", "сумма", r"сумма|amount|sum|оплачено", required=True),
    Column("purpose", "назначение", r"назначение|purpose|вид|kind|статья|за", required=True),
    Column("reference", "номер документа", r"reference|ref|номер|документ|референс|id|n|no"),
]


@report_unit()
def import_payments(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    today: date | None = None,
    by: Account | None = None,
    skip: dict[int, str] | None = None,
    check_only: bool = False,
    other_account: bool = False,
) -> Report:
    """Store new payments from a CSV/xlsx table or a 1C bank statement; nothing on any error.

    A statement's payments without a plot go to «Нераспознанные платежи»; `other_account` loads a
    statement of an account that is not the partnership's (audited). `check_only`: the checks
    alone, read-only and without the write lock."""
    report = Report("payments", filename, dry_run or check_only, by=by, skipped=dict(skip or {}))
    today = today or date.today()
    unmatched: list[bank1c.Unmatched] = []
    if bank1c.is_statement(data):
        payments, unmatched = bank1c.read_statement(data, report, today, other_account)
        report.rows = len(payments) + len(unmatched)
    else:
        table = load_table(data, filename, COLUMNS, report)
        if table is None:
            return report
        payments = _parse_table(table.rows, report, today)
        report.rows = len(table.rows)
    _store(payments, report, check_only)
    if unmatched and not report.errors and not check_only:
        store_unmatched(unmatched, report)
    return report


def _parse_table(cells, report: Report, today: date) -> list[NewPayment]:
    payments = []
    occurrences: Counter = Counter()
    for cell in cells:
        number = plot_number(cell.get("plot"), report, cell.line)
        paid_on = date_cell(cell.get("date"), report, cell.line, today)
        amount = number_cell(cell.get("amount"), "сумма", report, cell.line)
        purpose = (cell.get("purpose") or "").strip()[:500]
        kind = guess_kind(purpose)
        if combined_parts(purpose) is not None:
            kind = "combined"  # split below, after the reference is known
        if kind is None:
            report.error(
                cell.line,
                f"назначение «{cell.get('purpose')}» не понятно: нужно «членские», «целевые» или «электроэнергия»",
            )
        if amount == 0:
            report.error(cell.line, "сумма 0: оплаты без денег не бывает")
        if None in (number, paid_on, amount, kind) or amount == 0:
            continue
        reference = cell.get("reference")
        if not reference:
            # No bank reference: the payment's own data identify it, so re-importing is harmless too.
            key = f"{number}:{paid_on.isoformat()}:{amount}:{kind}"
            occurrences[key] += 1
            reference = f"file:{key}#{occurrences[key]}"
        payment = NewPayment(cell.line, number, paid_on, amount, kind, reference[:100], purpose)
        split = split_combined(payment)
        if isinstance(split, str):
            report.error(cell.line, split)
        else:
            payments.extend(split or [payment])
    return payments


def _store(payments: list[NewPayment], report: Report, check_only: bool = False) -> None:
    """Check plots and references against the database (two queries), then add the new payments."""
    plots = load_plots(p.number for p in payments)
    refs = [p.reference for p in payments]
    stored = {p.reference: p for p in db.session.scalars(select(Payment).where(Payment.reference.in_(refs)))}
    seen: dict[str, int] = {}
    new = []
    for p in payments:
        plot = plots.get(p.number)
        if plot is None:
            report.error(p.line, UNKNOWN_PLOT.format(p.number))
            continue
        if p.reference in seen:
            report.error(p.line, f"документ «{p.reference}» уже есть в строке {seen[p.reference]}")
            continue
        seen[p.reference] = p.line
        old = stored.get(p.reference)
        if old is not None:
            if (old.plot_id, old.paid_on, old.amount, old.kind) == (plot.id, p.paid_on, p.amount, p.kind):
                report.count(UNCHANGED)
            else:
                report.error(
                    p.line,
                    f"документ «{p.reference}» уже загружен с другими данными: уч. {old.plot.number}, "
                    f"{ru_day(old.paid_on)}, {format_money(old.amount)}, {KIND_TITLES[old.kind].lower()}",
                )
            continue
        new.append(
            {
                "plot_id": plot.id,
                "paid_on": p.paid_on,
                "amount": p.amount,
                "kind": p.kind,
                "reference": p.reference,
                "purpose": p.purpose,
                "source": p.source,
                "for_year": p.year if p.split else named_year(p.purpose),
                "for_month": named_month(p.purpose) if p.kind == Charge.ELECTRICITY and not p.split else None,
            }
        )
        report.change(
            f"уч. {p.number}, {ru_day(p.paid_on)}: {format_money(p.amount)} ₽, {KIND_TITLES[p.kind].lower()}",
            p.line,
            p.number,
        )
    if report.errors or check_only:
        return
    if new:
        db.session.execute(insert(Payment), new)  # one executemany, not a statement per row
    report.count("новых оплат", len(new))
