"""`flask import-plots`: the registry. Updates plots, adds new ones, never deletes any.

A column the file has sets that field (an empty text cell clears it); a column it lacks leaves
the field as it is.
"""

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from snt.extensions import db
from snt.imports.common import load_table, number_cell, plot_number
from snt.imports.files import Column
from snt.models import Account, Plot
from snt.money import format_quantity
from snt.plots import normalise_phone, plot_sort_key
from snt.registry import claims
from snt.reports import UNCHANGED, Report, report_unit

COLUMNS = [
    Column("number", "участок", r"участ\w*|plot|уч", required=True),
    Column("street", "улица", r"улица|street|линия|проезд"),
    Column("area", "площадь", r"площадь|area|сот\w*|sotka\w*"),
    Column("electrified", "электрификация", r"электриф\w*|electrified|электричество"),
    Column("two_tariff", "счётчик", r"сч[её]тчик\w*|meter|тариф\w*|учет"),
    Column("owner_name", "владелец", r"владел\w*|собственн\w*|фио|owner|name"),
    Column("email", "эл. почта", r"почта|e?mail|электропочта"),
    Column("phone", "телефон", r"телефон\w*|phone|тел|мобильный"),
]
LABELS = {c.field: c.label for c in COLUMNS}
_YES = {"да", "yes", "true", "1", "+", "y", "д", "есть"}
_NO = {"нет", "no", "false", "0", "-", "n", "н"}


@report_unit()
def import_plots(data: bytes, filename: str, *, dry_run: bool = False, by: Account | None = None) -> Report:
    """Add and update the registry's plots from a file; report plots the file does not list."""
    report = Report("plots", filename, dry_run, by=by)
    table = load_table(data, filename, COLUMNS, report)
    if table is None:
        return report
    parsed: dict[str, tuple[int, dict]] = {}
    for row in table.rows:
        number = plot_number(row.get("number"), report, row.line)
        values = _values(row, [c.field for c in COLUMNS[1:] if c.field in table.fields], report)
        if number is None or values is None:
            continue
        if number in parsed:
            report.error(row.line, f"участок {number} уже есть в строке {parsed[number][0]}")
            continue
        parsed[number] = (row.line, values)
    if report.errors:
        report.rows = len(table.rows)
        return report
    existing = {p.number: p for p in db.session.scalars(select(Plot))}
    _store(parsed, existing, report)
    missing = sorted((p for n, p in existing.items() if n not in parsed), key=lambda p: p.sort_key)
    if missing:
        report.warn(
            None,
            f"в файле нет {len(missing)} участков из базы (они не удалены): "
            + ", ".join(p.number for p in missing[:50])
            + (" …" if len(missing) > 50 else ""),
        )
    report.rows = len(table.rows)
    return report


def _store(parsed: dict[str, tuple[int, dict]], existing: dict[str, Plot], report: Report) -> None:
    """Add the new plots and update the changed ones, reporting each."""
    for number, (line, values) in parsed.items():
        plot = existing.get(number)
        if plot is None:
            if "area" not in values:
                report.warn(line, f"у нового участка {number} не указана площадь: взносы за сотку будут 0")
            db.session.add(Plot(number=number, **values))
            report.changes.append(f"добавлен участок {number}")
            report.count("добавлено участков")
            continue
        diffs = [
            f"{LABELS[f]} {_shown(f, getattr(plot, f))} → {_shown(f, v)}"
            for f, v in values.items()
            if getattr(plot, f) != v
        ]
        if not diffs:
            report.count(UNCHANGED)
            continue
        old_owner, old_email = plot.owner_name, plot.email
        for field, value in values.items():
            setattr(plot, field, value)
        plot.sort_key = plot_sort_key(plot.number)
        if claims.owner_changed(old_owner, plot.owner_name, old_email, plot.email):
            reopened = claims.reopen_claims_of_new_owner(plot)
            if reopened:
                diffs.append(
                    "снова ждут подтверждения правлением: " + ", ".join(c.account.login for c in reopened)
                )
                report.count("участков, чьи заявки снова ждут правления")
        report.changes.append(f"уч. {number}: " + "; ".join(diffs))
        report.count("изменено участков")


def _values(row, fields: list[str], report: Report) -> dict | None:
    values: dict = {}
    errors_before = len(report.errors)
    for field in fields:
        text = row.get(field)
        if field in ("street", "owner_name"):
            values[field] = text[: 40 if field == "street" else 200]
        elif field == "area" and text:
            values[field] = number_cell(text, "площадь", report, row.line)
        elif field in ("electrified", "two_tariff") and text:
            parse = _yes_no if field == "electrified" else _two_tariff
            values[field] = parse(text)
            if values[field] is None:
                expected = "«однотарифный» или «двухтарифный»" if field == "two_tariff" else "«Да» или «Нет»"
                report.error(row.line, f"{LABELS[field]}: «{text}» — не понятно, нужно {expected}")
        elif field == "email":
            values[field] = _email(text, report, row.line)
        elif field == "phone":
            values[field] = _phone(text, report, row.line)
    if len(report.errors) > errors_before:
        return None
    return values


def _yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    return True if value in _YES else False if value in _NO else None


def _two_tariff(text: str) -> bool | None:
    value = text.strip().lower().replace("ё", "е")
    if value.startswith(("двух", "два", "2", "нов", "день", "two", "dual")):
        return True
    if value.startswith(("одно", "один", "1", "стар", "single", "one")):
        return False
    return _yes_no(value)  # the seed's «Новый счетчик: Да/Нет»


def _email(text: str, report: Report, line: int) -> str:
    if not text:
        return ""
    try:
        return validate_email(text, check_deliverability=False, allow_smtputf8=False).normalized.lower()
    except EmailNotValidError:
        report.error(line, f"«{text}» — не адрес электропочты")
        return ""


def _phone(text: str, report: Report, line: int) -> str:
    if not text:
        return ""
    try:
        return normalise_phone(text, mobile=False)
    except ValueError as exc:
        report.error(line, str(exc))
        return ""


def _shown(field: str, value) -> str:
    if field == "two_tariff":
        return "двухтарифный" if value else "однотарифный"
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if field == "area":
        return format_quantity(value)
    return f"«{value}»" if value else "—"
