"""What every import shares: plot numbers as written in files, numbers, and the all-or-nothing end."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt import audit
from snt.extensions import db
from snt.imports.files import FileFormatError, Table, parse_date, read_table
from snt.imports.report import ImportReport, totals_text
from snt.models import Charge, DataImport, Payment, Plot
from snt.money import format_money, parse_decimal
from snt.payments.purpose import combined_parts
from snt.plots import has_latin_lookalike, normalise_plot_number
from snt.text import has_control_characters


def load_table(data: bytes, filename: str, columns, report: ImportReport) -> Table | None:
    """The file's table, or None with the reason in the report."""
    try:
        table = read_table(data, filename, columns)
    except FileFormatError as exc:
        report.error(None, str(exc))
        return None
    for name in table.ignored:
        report.warn(None, f"столбец «{name}» не распознан и пропущен")
    for row in table.rows:
        if any(has_control_characters(text) for text in row.values.values()):
            report.error(row.line, CONTROL_MESSAGE)
    return None if report.errors else table


CONTROL_MESSAGE = (
    "в строке есть невидимые управляющие символы (например, NUL): файл, похоже, повреждён — "
    "сохраните его из таблицы заново"
)


def plot_number(text: str, report: ImportReport, line: int | None) -> str | None:
    """A plot number from a file. Latin look-alike letters (12A for 12А) are fixed and reported."""
    raw = text.strip()
    if not raw:
        report.error(line, "не указан номер участка")
        return None
    try:
        return normalise_plot_number(raw, fix_lookalikes=False)
    except ValueError as exc:
        if not has_latin_lookalike(raw.lower()):
            report.error(line, str(exc))
            return None
    try:
        number = normalise_plot_number(raw)
    except ValueError as exc:
        report.error(line, str(exc))
        return None
    report.warn(line, f"в номере участка «{raw}» латинская буква вместо русской; принято как «{number}»")
    return number


def plots_by_number(numbers: Iterable[str]) -> dict[str, Plot]:
    """The registry's plots with these numbers: one query."""
    wanted = sorted(set(numbers))
    if not wanted:
        return {}
    return {p.number: p for p in db.session.scalars(select(Plot).where(Plot.number.in_(wanted)))}


UNKNOWN_PLOT = "участка № {} нет в реестре (проверьте номер или сначала загрузите реестр: flask import-plots)"


def number_cell(text: str, label: str, report: ImportReport, line: int) -> Decimal | None:
    """A non-negative number with up to two decimals, or None with the reason in the report."""
    try:
        return parse_decimal(text)
    except ValueError as exc:
        reason = str(exc)
        if text.strip().startswith("-"):
            reason = f"«{text.strip()}» — отрицательное число"
        report.error(line, f"{label}: {reason}")
        return None


def date_cell(text: str, report: ImportReport, line: int, today: date) -> date | None:
    """A date not in the future, or None with the reason in the report."""
    try:
        value = parse_date(text)
    except ValueError as exc:
        report.error(line, str(exc))
        return None
    if value > today:
        report.error(line, f"дата {value:%d.%m.%Y} ещё не наступила")
        return None
    return value


# The audit log's action for each kind of report (snt.audit.ACTIONS names them).
AUDIT_ACTIONS = {
    "plots": "import.plots",
    "readings": "import.readings",
    "payments": "import.payments",
    "meter": "meter.replace",
    "fees": "fees.accrue",
    "tariff": "tariff.set",
}


def finish(report: ImportReport, rows: int, record: bool = True) -> ImportReport:
    """All or nothing: commit only a clean, real (not dry) run that changed something.

    `record` adds a DataImport row: its date is the «Статус моих оплат от …» of members' pages.
    The audit log's entry (by `report.by`; None is the shell) lands in the same commit.
    """
    if report.errors or report.dry_run or not report.changed:
        db.session.rollback()
        return report
    if record:
        db.session.add(DataImport(kind=report.kind, filename=report.filename[:255], rows=rows))
    if report.kind in AUDIT_ACTIONS:
        few = report.changes if len(report.changes) <= 3 else []
        audit.record(
            AUDIT_ACTIONS[report.kind],
            report.by,
            label=report.filename or "; ".join(report.changes[:1]),
            details="; ".join([*few, totals_text(report)]).strip("; "),
        )
    db.session.commit()
    report.written = True
    return report


@dataclass
class NewPayment:
    line: int
    number: str
    paid_on: date
    amount: Decimal
    kind: str
    reference: str
    purpose: str = ""
    source: str = Payment.FILE
    split: bool = False  # one kind of a combined payment: `year` is its own, not read from the purpose
    year: int | None = None


def split_combined(payment: NewPayment) -> list[NewPayment] | str | None:
    """A payment whose purpose has the combined form of the plot's QR code («уч. 269: членские 2022
    7200,00; электроэнергия 4121,45») as one payment per kind; a Russian reason when the purpose
    and the payment disagree; None for any other purpose."""
    found = combined_parts(payment.purpose)
    if found is None:
        return None
    number, parts = found
    try:
        number = normalise_plot_number(number)
    except ValueError:
        return f"в назначении «{payment.purpose}» не номер участка"
    if number != payment.number:
        return f"в назначении участок {number}, а платёж — по участку {payment.number}"
    total = sum((part.amount for part in parts), Decimal(0))
    if total != payment.amount:
        return (
            f"сумма {format_money(payment.amount)} не равна сумме частей в назначении ({format_money(total)}): "
            "непонятно, как её разделить"
        )
    return [
        replace(
            payment,
            amount=part.amount,
            kind=part.kind,
            reference=f"{payment.reference}/{part.kind}"[:100],
            split=True,
            year=part.year,
        )
        for part in parts
    ]


def guess_kind(text: str) -> str | None:
    """'Оплата электроэнергии' -> electricity; 'целевой взнос' -> target; 'членские' -> membership."""
    value = text.lower().replace("ё", "е")
    if "электр" in value or "свет" in value or value.strip() == "electricity":
        return Charge.ELECTRICITY
    if "целев" in value or value.strip() == "target":
        return Charge.TARGET
    if "членск" in value or "взнос" in value or value.strip() == "membership":
        return Charge.MEMBERSHIP
    return None
