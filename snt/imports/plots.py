"""`flask import-plots`: the registry. Updates plots, adds new ones, never deletes any.

A column the file has sets that field (an empty text cell clears it); a column it lacks leaves
the field as it is. The owner columns describe a person (snt.models.Person): a row's owner is
found by email, then by name among the plot's own owners, then by name and postal address among
all owners; a namesake with neither in common is a new person, and the report lists each such
uncertain match for the treasurer to check instead of merging two people into one.
"""

import re
from collections import defaultdict
from datetime import date

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from snt.dates import parse_date
from snt.extensions import db
from snt.imports.common import load_table, number_cell, plot_number
from snt.imports.files import Column
from snt.models import Account, Person, Plot
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
PERSON_ATTR = {"owner_name": "full_name"}  # the other owner fields are named alike on Person
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
    parsed: dict[str, tuple[int, dict]] = {}
    fields = [c.field for c in COLUMNS if c.field in table.fields and c.field != "number"]
    for row in table.rows:
        number = plot_number(row.get("number"), report, row.line)
        values = _values(row, fields, report)
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
    owners = _Owners(report, set(fields) & {"owner_name", "email"}, existing.values())
    with db.session.no_autoflush:  # nothing is read back meanwhile; flush once at the end
        _apply(parsed, existing, owners, report)
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


def _apply(
    parsed: dict[str, tuple[int, dict]], existing: dict[str, Plot], owners: "_Owners", report: Report
) -> None:
    for number, (line, values) in parsed.items():
        plot = existing.get(number)
        plot_values = {f: v for f, v in values.items() if f in PLOT_FIELDS}
        owner_values = {f: v for f, v in values.items() if f in OWNER_FIELDS}
        if plot is None:
            if "area" not in values:
                report.warn(line, f"у нового участка {number} не указана площадь: взносы за сотку будут 0")
            plot = Plot(number=number, **plot_values)
            db.session.add(plot)
            owners.apply(plot, owner_values, line)
            report.change(f"добавлен участок {number}", line, number)
            report.count("добавлено участков")
            continue
        before = _snapshot(plot, values)
        for field, value in plot_values.items():
            setattr(plot, field, value)
        owners.apply(plot, owner_values, line)
        after = _snapshot(plot, values)
        diffs = [
            f"{LABELS[f]} {_shown(f, before[f])} → {_shown(f, after[f])}"
            for f in values
            if before[f] != after[f]
        ]
        if not diffs:
            report.count(UNCHANGED)
            continue
        plot.sort_key = plot_sort_key(plot.number)
        diffs += _reopen_if_new_owner(plot, before, after, report)
        report.change(f"уч. {number}: " + "; ".join(diffs), line, number)
        report.count("изменено участков")


def _reopen_if_new_owner(plot: Plot, before: dict, after: dict, report: Report) -> list[str]:
    """A new owner on record sends the plot's verified claims back to the board (snt.registry.claims)."""
    old_owner, new_owner = before.get("owner_name", ""), after.get("owner_name", "")
    old_email, new_email = before.get("email", ""), after.get("email", "")
    if not claims.owner_changed(old_owner or "", new_owner or "", old_email or "", new_email or ""):
        return []
    reopened = claims.reopen_claims_of_new_owner(plot)
    if not reopened:
        return []
    report.count("участков, чьи заявки снова ждут правления")
    return ["снова ждут подтверждения правлением: " + ", ".join(c.account.login for c in reopened)]


def _snapshot(plot: Plot, values: dict) -> dict:
    """The plot's registry fields as the file's columns name them (owner fields: its first owner)."""
    first = plot.owners[0] if plot.owners else None
    shown = {}
    for field in values:
        if field in ("owner_name", "email", "phone"):
            shown[field] = getattr(plot, field)
        elif field in OWNER_FIELDS:
            shown[field] = getattr(first, field) if first else None
        else:
            shown[field] = getattr(plot, field)
    return shown


def _key(text: str) -> str:
    return " ".join(text.casefold().replace("ё", "е").split())


class _Owners:
    """Finds or makes the person a row describes (see the module docstring)."""

    def __init__(self, report: Report, identity_columns: set[str], plots):
        self.report = report
        self.plot_numbers: dict[int, list[str]] = defaultdict(list)  # id(person) -> numbers, for messages
        for plot in plots:
            for owner in plot.owners:
                self.plot_numbers[id(owner)].append(plot.number)
        self.identifies = bool(identity_columns)  # the file names owners (by name or email)
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        for person in db.session.scalars(select(Person)):
            self._remember(person)
        self.set_on_line: dict[int, tuple[int, dict]] = {}  # person id(obj) -> (line, values)

    def _remember(self, person: Person) -> None:
        if person.email:
            self.by_email.setdefault(person.email.lower(), person)
        if person.full_name:
            self.by_name[_key(person.full_name)].append(person)

    def apply(self, plot: Plot, values: dict, line: int) -> None:
        if not values:
            return
        person = self._find(plot, values, line)
        if person is None:
            if self.identifies and plot.owners:
                plot.owners.clear()  # the row names no owner: an empty cell clears the field
            return
        self._check_consistent(person, values, line)
        for field, value in values.items():
            setattr(person, PERSON_ATTR.get(field, field), value)
        if person not in plot.owners:
            plot.owners.clear()  # the row names another owner than the plot had
            plot.owners.append(person)
            self.plot_numbers[id(person)].append(plot.number)

    def _find(self, plot: Plot, values: dict, line: int) -> Person | None:
        name, email = values.get("owner_name", ""), values.get("email", "")
        if not self.identifies:  # only phone, address or membership columns: the plot's owner
            return plot.owners[0] if plot.owners else None
        if not (name or email):
            return None
        found = self._on_plot(plot, name, email) or self._elsewhere(plot, name, email, values, line)
        if found is not None:
            return found
        person = Person(full_name=name, email=email)
        db.session.add(person)
        self._remember(person)
        return person

    @staticmethod
    def _on_plot(plot: Plot, name: str, email: str) -> Person | None:
        """The plot's own owner with this email, or with this name (a changed email)."""
        by_email = next((o for o in plot.owners if email and o.email.lower() == email), None)
        return by_email or next((o for o in plot.owners if name and _key(o.full_name) == _key(name)), None)

    def _elsewhere(self, plot: Plot, name: str, email: str, values: dict, line: int) -> Person | None:
        """An owner of other plots: the same email, or the same name and postal address. A namesake
        with neither in common is reported, and None returned (a new person is made)."""
        if email and email in self.by_email:
            return self.by_email[email]
        namesakes = self.by_name.get(_key(name), []) if name else []
        address = _key(values.get("postal_address", ""))
        same = next((p for p in namesakes if address and _key(p.postal_address) == address), None)
        if same is None and namesakes:
            self._uncertain(plot, name, namesakes, line)
        return same

    def _uncertain(self, plot: Plot, name: str, namesakes: list[Person], line: int) -> None:
        where = "; ".join(
            "уч. "
            + (", ".join(self.plot_numbers.get(id(person), [])) or "—")
            + (f", {person.postal_address}" if person.postal_address else "")
            + (f", {person.email}" if person.email else "")
            for person in namesakes[:5]
        )
        self.report.warn(
            line,
            f"уч. {plot.number}: владелец «{name}» совпадает по имени с уже известным ({where}), но ни "
            "электропочта, ни почтовый адрес не совпали — заведён отдельный владелец, не объединён. "
            "Если это один человек, укажите ему одинаковую электропочту или почтовый адрес и загрузите "
            "реестр снова",
        )

    def _check_consistent(self, person: Person, values: dict, line: int) -> None:
        earlier = self.set_on_line.get(id(person))
        if earlier is not None:
            first_line, first = earlier
            differ = [LABELS[f] for f, v in values.items() if f in first and first[f] != v]
            if differ:
                self.report.warn(
                    line,
                    f"у владельца «{person.full_name or values.get('owner_name', '')}» в строке {first_line} "
                    f"другие значения ({', '.join(differ)}); принято из строки {line}",
                )
        self.set_on_line[id(person)] = (line, values)


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
