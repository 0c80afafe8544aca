"""What every import shares: plot numbers as written in files, numbers, and the all-or-nothing end."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt.dates import parse_date
from snt.extensions import db
from snt.imports.files import FileFormatError, Table, read_table
from snt.models import Charge, Plot
from snt.money import parse_decimal
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
    for row in table.rows:
        if any(has_control_characters(text) for text in row.values.values()):
            report.error(row.line, CONTROL_MESSAGE)
    return None if report.errors else table


CONTROL_MESSAGE = (
    "в строке есть невидимые управляющие символы (например, NUL): файл, похоже, повреждён — "
    "сохраните его из таблицы заново"
)


def plot_number(text: str, report: Report, line: int | None) -> str | None:
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


def number_cell(text: str, label: str, report: Report, line: int) -> Decimal | None:
    """A non-negative number with up to two decimals, or None with the reason in the report."""
    try:
        return parse_decimal(text)
    except ValueError as exc:
        reason = str(exc)
        if text.strip().startswith("-"):
            reason = f"«{text.strip()}» — отрицательное число"
        report.error(line, f"{label}: {reason}")
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
