"""`flask import-plots`: the registry. Updates plots, adds new ones, never deletes any.

A column the file has sets that field (an empty text cell clears it); a column it lacks leaves
the field as it is. The owner columns describe a person (snt.models.Person), matched as
snt.imports.owners says. Several rows with the same plot number are its co-owners, one row each:
their plot columns (street, area…) are either repeated alike or left empty after the first row.
"""

import re
from datetime import date

from sqlalchemy import select

from snt.dates import parse_date
from snt.extensions import db
from snt.imports.common import load_table, number_cell, plot_number
from snt.imports.files import Column
from snt.imports.owners import PERSON_ATTR, NewPlot, Owners, persist_new
from snt.models import Account, Plot
from snt.money import format_quantity
from snt.plots import normalise_phone, plot_sort_key
from snt.registry import claims
from snt.reports import UNCHANGED, Report, report_unit

# The first column whose pattern is a word of a header takes it, so «Кадастровый номер участка»
# and «Дата вступления в члены» come before the columns their other words would match.
COLUMNS = [
    Column("cadastral_number", "кадастровый номер", r"кадастр\w*|cadastral"),
    Column("number", "участок", r"участ\w*|plot|уч", required=True),
    Column("street", "улица", r"улица|street|линия|проезд"),
    Column("area", "площадь", r"площадь|area|сот\w*|sotka\w*"),
    Column("electrified", "электрификация", r"электриф\w*|electrified|электричество"),
    Column("two_tariff", "счётчик", r"сч[её]тчик\w*|meter|тариф\w*|учет"),
    Column("owner_name", "владелец", r"владел\w*|собственн\w*|фио|owner|name"),
    Column("email", "эл. почта", r"почта|e?mail|электропочта"),
    Column("phone", "телефон", r"телефон\w*|phone|тел|мобильный"),
    Column("postal_address", "почтовый адрес", r"почтов\w*|адрес|address|postal"),
    Column("member_since", "дата вступления", r"вступлен\w*|since|принят\w*"),
    Column("is_member", "член товарищества", r"член\w*|member\w*"),
]
LABELS = {c.field: c.label for c in COLUMNS}
PLOT_FIELDS = ("street", "area", "electrified", "two_tariff", "cadastral_number")
OWNER_FIELDS = ("owner_name", "email", "phone", "postal_address", "member_since", "is_member")
_YES = {"да", "yes", "true", "1", "+", "y", "д", "есть"}
_NO = {"нет", "no", "false", "0", "-", "n", "н"}


@report_unit()
def import_plots(
    data: bytes,
    filename: str,
    *,
    dry_run: bool = False,
    by: Account | None = None,
    skip: dict[int, str] | None = None,
) -> Report:
    """Add and update the registry's plots from a file; report plots the file does not list."""
    report = Report("plots", filename, dry_run, by=by, skipped=dict(skip or {}))
    table = load_table(data, filename, COLUMNS, report)
    if table is None:
        return report
    parsed: dict[str, list[tuple[int, dict]]] = {}  # number -> its rows (co-owners)
    fields = [c.field for c in COLUMNS if c.field in table.fields and c.field != "number"]
    for row in table.rows:
        number = plot_number(row.get("number"), report, row.line)
        values = _values(row, fields, report)
        if number is None or values is None:
            continue
        if number in parsed and not _co_owner_rows(parsed[number][0][1], values):
            report.error(
                row.line,
                f"участок {number} уже есть в строке {parsed[number][0][0]}: несколько строк одного участка — "
                "это его совладельцы, и в каждой нужен владелец (ФИО или электропочта)",
            )
            continue
        parsed.setdefault(number, []).append((row.line, values))
    merged = {number: _merge(number, rows, report) for number, rows in parsed.items()}
    if report.errors:
        report.rows = len(table.rows)
        return report
    existing = {p.number: p for p in db.session.scalars(select(Plot))}
    owners = Owners(report, set(fields) & {"owner_name", "email"}, LABELS, existing.values())
    with db.session.no_autoflush:  # nothing is read back meanwhile; flush once at the end
        _apply(merged, existing, owners, report)
    missing = sorted((p for n, p in existing.items() if n not in merged), key=lambda p: p.sort_key)
    if missing:
        report.warn(
            None,
            f"в файле нет {len(missing)} участков из базы (они не удалены): "
            + ", ".join(p.number for p in missing[:50])
            + (" …" if len(missing) > 50 else ""),
        )
    report.rows = len(table.rows)
    return report


def _co_owner_rows(first: dict, values: dict) -> bool:
    """Whether a second row of a plot is a co-owner's: both rows name an owner."""
    return all(v.get("owner_name") or v.get("email") for v in (first, values))


def _merge(number: str, rows: list[tuple[int, dict]], report: Report) -> tuple[int, dict, list]:
    """A plot's rows as (first line, plot values, [(line, owner values)]): a plot column may be
    repeated alike on its co-owners' rows or left empty there, but not differ."""
    plot_values: dict = {}
    seen: dict[str, int] = {}
    for line, values in rows:
        for name, value in values.items():
            if name not in PLOT_FIELDS:
                continue
            if name not in plot_values or (value not in ("", None) and plot_values[name] in ("", None)):
                plot_values[name], seen[name] = value, line
            elif value not in ("", None) and value != plot_values[name]:
                report.error(
                    line,
                    f"уч. {number}: {LABELS[name]} {_shown(name, value)}, а в строке {seen[name]} "
                    f"{_shown(name, plot_values[name])} — в строках совладельцев одного участка поля участка "
                    "повторяют одинаково или оставляют пустыми",
                )
    owner_rows = [(line, {f: v for f, v in values.items() if f in OWNER_FIELDS}) for line, values in rows]
    return rows[0][0], plot_values, owner_rows


def _apply(
    merged: dict[str, tuple[int, dict, list]], existing: dict[str, Plot], owners: Owners, report: Report
) -> None:
    new_plots = []
    for number, (line, plot_values, owner_rows) in merged.items():
        plot = existing.get(number)
        if plot is None:
            if "area" not in plot_values:
                report.warn(line, f"у нового участка {number} не указана площадь: взносы за сотку будут 0")
            new_plot = NewPlot(number, plot_values)
            owners.apply(new_plot, owner_rows)
            new_plots.append(new_plot)
            report.change(f"добавлен участок {number}", line, number)
            report.count("добавлено участков")
            continue
        named = set(plot_values).union(*(values for _, values in owner_rows))
        fields = [c.field for c in COLUMNS if c.field in named]
        before = _snapshot(plot, fields)
        for name, value in plot_values.items():
            setattr(plot, name, value)
        owners.apply(plot, owner_rows)
        after = _snapshot(plot, fields)
        diffs = [
            f"{LABELS[f]} {_shown_all(f, before[f])} → {_shown_all(f, after[f])}"
            for f in fields
            if before[f] != after[f]
        ]
        if not diffs:
            report.count(UNCHANGED)
            continue
        plot.sort_key = plot_sort_key(plot.number)
        diffs += _reopen_if_new_owner(plot, before, after, report)
        report.change(f"уч. {number}: " + "; ".join(diffs), line, number)
        report.count("изменено участков")
    persist_new(new_plots)


def _reopen_if_new_owner(plot: Plot, before: dict, after: dict, report: Report) -> list[str]:
    """A new owner on record sends the plot's verified claims back to the board (snt.registry.claims)."""
    old_owner, new_owner = (", ".join(x for x in s.get("owner_name", ()) if x) for s in (before, after))
    old_email, new_email = (next((x for x in s.get("email", ()) if x), "") for s in (before, after))
    if not claims.owner_changed(old_owner, new_owner, old_email, new_email):
        return []
    reopened = claims.reopen_claims_of_new_owner(plot)
    if not reopened:
        return []
    report.count("участков, чьи заявки снова ждут правления")
    return ["снова ждут подтверждения правлением: " + ", ".join(c.account.login for c in reopened)]


def _snapshot(plot: Plot, fields: list[str]) -> dict:
    """The plot's registry fields as the file's columns name them; an owner field is the tuple of
    its owners' values."""
    shown = {}
    for name in fields:
        if name in OWNER_FIELDS:
            values = tuple(getattr(o, PERSON_ATTR.get(name, name)) for o in plot.owners)
            keep_empty = name in ("owner_name", "is_member")  # one per owner; others: those given
            shown[name] = values if keep_empty else tuple(v for v in values if v not in ("", None))
        else:
            shown[name] = getattr(plot, name)
    return shown


def _shown_all(name: str, value) -> str:
    if isinstance(value, tuple):
        return ", ".join(_shown(name, v) for v in value) if value else "—"
    return _shown(name, value)


def _values(row, fields: list[str], report: Report) -> dict | None:
    values: dict = {}
    errors_before = len(report.errors)
    for field in fields:
        text = row.get(field)
        if field in _KEEP_WHEN_EMPTY and not text:
            continue  # an empty cell leaves a number or a yes/no as it is
        values[field] = _PARSERS[field](text, report, row.line)
    if len(report.errors) > errors_before:
        return None
    return values


def _choice(parse, field: str, expected: str):
    """A parser of a yes/no-like cell that reports what it did not understand."""

    def parsed(text: str, report: Report, line: int):
        value = parse(text)
        if value is None:
            report.error(line, f"{LABELS[field]}: «{text}» — не понятно, нужно {expected}")
        return value

    return parsed


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


def _cadastral(text: str, report: Report, line: int) -> str:
    """A cadastral number such as 50:20:0010203:123 (district:area:quarter:plot)."""
    value = text.strip()
    if value and not re.fullmatch(r"[0-9]{2}:[0-9]{2}:[0-9]{6,7}:[0-9]{1,7}", value):
        report.error(line, f"«{value}» — не кадастровый номер (нужно вида 50:20:0010203:123)")
    return value


def _date(text: str, report: Report, line: int) -> date | None:
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        report.error(line, f"дата вступления: {exc}")
        return None


def _email(text: str, report: Report, line: int) -> str:
    if not text:
        return ""
    # Imported here: email_validator loads DNS and IDNA tables, which every command would pay for.
    from email_validator import EmailNotValidError, validate_email

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
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if field == "area":
        return format_quantity(value)
    return f"«{value}»" if value else "—"


_KEEP_WHEN_EMPTY = {"area", "electrified", "two_tariff", "is_member"}
_PARSERS = {
    "cadastral_number": _cadastral,
    "street": lambda text, report, line: text[:40],
    "area": lambda text, report, line: number_cell(text, "площадь", report, line),
    "electrified": _choice(_yes_no, "electrified", "«Да» или «Нет»"),
    "two_tariff": _choice(_two_tariff, "two_tariff", "«однотарифный» или «двухтарифный»"),
    "owner_name": lambda text, report, line: text[:200],
    "email": _email,
    "phone": _phone,
    "postal_address": lambda text, report, line: text[:300],
    "member_since": _date,
    "is_member": _choice(_yes_no, "is_member", "«Да» или «Нет»"),
}
