"""What every import shares: plot numbers as written in files, numbers, and the all-or-nothing end."""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt.dates import parse_date
from snt.extensions import db
from snt.imports.files import FileFormatError, Table, read_table
from snt.models import Charge, Payment, Plot
from snt.money import format_money, parse_decimal
from snt.payments.purpose import combined_parts
from snt.plots import has_latin_lookalike, normalise_plot_number
from snt.reports import Report
from snt.text import has_control_characters


def load_table(data: bytes, filename: str, columns, report: Report) -> Table | None:
    """The file's table, or None with the reason in the report."""
    try:
        table = read_table(data, filename, columns)
    except FileFormatError as exc:
        report.error(None, str(exc))
        return None
    for name in table.ignored:
        report.warn(None, f"столбец «{name}» не распознан и пропущен")
    if report.skipped:  # lines the treasurer chose to leave out after a preview
        for row in table.rows:
            if row.line in report.skipped:  # still named in the report's table
                report.plots[row.line] = (row.get("plot") or row.get("number"))[:20]
        table.rows = [row for row in table.rows if row.line not in report.skipped]
    for row in table.rows:
        if has_control_characters("".join(row.values.values())):  # one search a row, not a cell
            report.error(row.line, CONTROL_MESSAGE)
    return None if report.errors else table


CONTROL_MESSAGE = (
    "в строке есть невидимые управляющие символы (например, NUL): файл, похоже, повреждён — "
    "сохраните его из таблицы заново"
)


def plot_number(text: str, report: Report, line: int | None) -> str | None:
    """A plot number from a file. Latin look-alike letters (12A for 12А) are fixed and reported.
    The line's plot, as read (or as written, if unreadable), is kept for the browser's table."""
    number = _plot_number(text.strip(), report, line)
    if line is not None and text.strip():
        report.plots[line] = number or text.strip()[:20]
    return number


def _plot_number(raw: str, report: Report, line: int | None) -> str | None:
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


UNKNOWN_PLOT = "участка № {} нет в реестре (проверьте номер или сначала загрузите реестр)"


def parse_number(text: str) -> Decimal:
    """A non-negative number with up to two decimals as files and people write it ('14 350',
    '9012,5'); ValueError with a Russian reason otherwise. The importers and the form where
    members pass their readings (snt/submissions) read numbers through this one function."""
    try:
        return parse_decimal(text)
    except ValueError as exc:
        if text.strip().startswith("-"):
            raise ValueError(f"«{text.strip()}» — отрицательное число") from exc
        raise


def number_cell(text: str, label: str, report: Report, line: int) -> Decimal | None:
    """A non-negative number with up to two decimals, or None with the reason in the report."""
    try:
        return parse_number(text)
    except ValueError as exc:
        report.error(line, f"{label}: {exc}")
        return None


def date_cell(text: str, report: Report, line: int, today: date) -> date | None:
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
