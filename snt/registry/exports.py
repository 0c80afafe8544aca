"""The registry and the debtors as CSV (for Russian Excel) and XLSX.

Any text cell starting with = + - @ (or a tab or carriage return) is prefixed with an
apostrophe by `escape_cell`, in both formats, so a spreadsheet never runs an owner's name
or an email as a formula (CSV injection).
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from snt import audit
from snt.database import write_transaction
from snt.models import KIND_TITLES, Account, Charge
from snt.registry import services as registry

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    """A text value Excel would read as a formula gets a leading apostrophe; others pass."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list]
    money_columns: frozenset[int] = frozenset()


def to_csv(table: Table) -> bytes:
    """UTF-8 with BOM and ';', decimal comma: what Russian Excel opens by double-click."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([escape_cell(h) for h in table.header])
    for row in table.rows:
        writer.writerow([_csv_text(escape_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook  # here: openpyxl is slow to import and only exports need it
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([escape_cell(h) for h in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(escape_cell(v)) for v in row])
    for index in table.money_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            cell.number_format = "#,##0.00"
    for column, title in enumerate(table.header, start=1):
        width = max([len(str(title))] + [len(str(r[column - 1] or "")) for r in table.rows[:500]])
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(width + 2, 60)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    return value


def registry_table(query: str = "") -> Table:
    """One row per owner (co-owners on rows of their own, the plot's columns repeated; a plot with
    no owner on record has one row): the file `flask import-plots` reads back."""
    header = ["Участок", "Улица", "Площадь, сотки", "Электрификация", "Новый счётчик", "Владелец",
              "Электропочта", "Телефон", "Почтовый адрес", "Член товарищества", "Дата вступления",
              "Кадастровый номер"]  # fmt: skip
    rows = []
    for p in registry.find_plots(query):
        owners = [
            [o.full_name, o.email, o.phone, o.postal_address, o.is_member, o.member_since] for o in p.owners
        ] or [["", "", "", "", None, None]]
        for owner in owners:
            rows.append([p.number, p.street, p.area, p.electrified, p.two_tariff, *owner, p.cadastral_number])
    return Table(title="Реестр", header=header, rows=rows)


def debtors_table(query: str = "") -> Table:
    """Plots with a debt: the sum due per charge kind and in total."""
    header = ["Участок", "Улица", "Владелец", "Телефон", "Электропочта"]
    header += [f"{KIND_TITLES[k]}, к оплате" for k in Charge.KINDS] + ["Всего к оплате", "Предоплата"]
    rows = []
    for status in registry.with_balances(registry.find_plots(query), debt="debt"):
        plot = status.plot
        by_kind = {k: sum((r.due for r in status.rows if r.kind == k), Decimal("0.00")) for k in Charge.KINDS}
        rows.append(
            [plot.number, plot.street, plot.owner_name, plot.phone, plot.email]
            + [by_kind[k] for k in Charge.KINDS]
            + [status.due, status.prepaid]
        )
    money = frozenset(range(5, len(header)))
    return Table(title="Должники", header=header, rows=rows, money_columns=money)


TABLES = {"registry": registry_table, "debtors": debtors_table}
FORMATS = {
    "csv": (to_csv, "text/csv"),  # Werkzeug adds the charset to text/* types
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
FILE_NAMES = {"registry": "reestr", "debtors": "dolzhniki"}


@dataclass
class ExportFile:
    body: bytes
    mimetype: str
    filename: str


def export(name: str, fmt: str, query: str, by: Account | None) -> ExportFile:
    """The `name` table (see TABLES) as a `fmt` file, audited: the files carry owners' contacts.

    The table is built before the write unit, so the lock is held only for the audit entry."""
    table = TABLES[name](query)
    write, mimetype = FORMATS[fmt]
    body = write(table)
    with write_transaction():
        audit.record(f"export.{name}", by, details=f"{fmt.upper()}, строк: {len(table.rows)}")
    return ExportFile(body, mimetype, f"{FILE_NAMES[name]}-{date.today():%Y-%m-%d}.{fmt}")
