"""Tables from treasurers' files: CSV (any of ; , tab; UTF-8, UTF-8 with BOM or Windows-1251)
and .xlsx, with headers in Russian or English in any case and order.

Every row keeps the line number a person sees in their editor (or the Excel row number), so
reports can point at it.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

ENCODINGS = ("utf-8-sig", "cp1251")  # utf-8 strictly first: cp1251 decodes almost any bytes
HEADER_SEARCH_ROWS = 10  # a title line or two above the header is common in Excel files
_TOKENS = re.compile(r"[a-zа-я0-9]+")
# An .xlsx is a zip of XML: a small file can declare or inflate to gigabytes. The largest import
# (a decade of payments of 2,000 plots) fits well inside these bounds.
XLSX_MAX_ROWS = 100_000
XLSX_MAX_COLUMNS = 50
XLSX_MAX_UNPACKED_BYTES = 100 * 1024 * 1024
_UNREADABLE_XLSX = "Файл не читается как таблица Excel (.xlsx)."


class FileFormatError(ValueError):
    """The file as a whole cannot be read; the message is Russian."""


@dataclass(frozen=True)
class Column:
    field: str
    label: str  # Russian, for messages: «участок»
    patterns: str  # a regex matched against each word of the header, e.g. r"участ\w*|plot"
    required: bool = False


@dataclass
class Row:
    line: int
    values: dict[str, str]  # field -> the cell's text, stripped ("" when empty or absent)

    def get(self, field: str) -> str:
        return self.values.get(field, "")


@dataclass
class Table:
    rows: list[Row]
    fields: set[str]  # fields whose column the file has
    ignored: list[str]  # header names not recognised


def read_table(data: bytes, filename: str, columns: list[Column]) -> Table:
    """Read a CSV or .xlsx file into rows of the given columns. Raises FileFormatError."""
    if not data.strip():
        raise FileFormatError("Файл пуст.")
    if filename.lower().endswith(".xls") and not data.startswith(b"PK"):
        raise FileFormatError("Старый формат .xls не читается: сохраните файл в Excel как .xlsx или CSV.")
    if data.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _map(_xlsx_cells(data), columns)
    problem: FileFormatError | None = None
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return _map(_csv_cells(text), columns)
        except FileFormatError as exc:
            problem = problem or exc  # the UTF-8 reading's message is the more telling one
    raise problem or FileFormatError("Файл не читается: ожидалась кодировка UTF-8 или Windows-1251.")


def _csv_cells(text: str) -> list[tuple[int, list[str]]]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    cells = []
    line = 1
    try:
        for record in reader:
            cells.append((line, [c.strip() for c in record]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FileFormatError(f"строка {line}: файл CSV повреждён ({exc}).") from exc
    return cells


def _xlsx_cells(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's non-empty rows, read within our own bounds (never the declared <dimension>)."""
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(_UNREADABLE_XLSX) from exc
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # openpyxl would pad every row to the declared width
        rows = sheet.iter_rows(max_row=XLSX_MAX_ROWS + 1, max_col=XLSX_MAX_COLUMNS + 1, values_only=True)
        cells = []
        for number, values in enumerate(rows, start=1):
            if values.count(None) == len(values):  # missing or empty rows cost nothing
                continue
            if number > XLSX_MAX_ROWS:
                raise FileFormatError(
                    f"В файле больше {XLSX_MAX_ROWS // 1000} тысяч строк. Разделите его на несколько "
                    "файлов (например, по годам) и загрузите по очереди."
                )
            if values[XLSX_MAX_COLUMNS] is not None:
                raise FileFormatError(
                    f"строка {number}: в файле больше {XLSX_MAX_COLUMNS} столбцов. Оставьте в таблице только "
                    "нужные столбцы и сохраните её снова."
                )
            cells.append((number, [_cell_text(v) for v in values[:XLSX_MAX_COLUMNS]]))
        return cells
    except FileFormatError:
        raise
    except (IndexError, KeyError, TypeError, ValueError, OSError, zipfile.BadZipFile) as exc:
        # A damaged sheet: a shared-string index past the table's end, a number that is not one…
        raise FileFormatError(_UNREADABLE_XLSX) from exc
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook whose parts would inflate past XLSX_MAX_UNPACKED_BYTES, before reading any.

    zipfile never inflates a member past its declared size, so the declared sizes are a real bound.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileFormatError(_UNREADABLE_XLSX) from exc
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        raise FileFormatError(
            f"Файл .xlsx в распакованном виде больше {XLSX_MAX_UNPACKED_BYTES // (1024 * 1024)} МБ: "
            "такую таблицу прочитать нельзя. Сохраните её как CSV или разделите на несколько файлов."
        )


def _cell_text(value) -> str:
    """Excel's typed values as the text a CSV would carry (numbers without float noise)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Да" if value else "Нет"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def normalise_header(text: str) -> list[str]:
    return _TOKENS.findall(text.lower().replace("ё", "е"))


def _match(header: str, columns: list[Column]) -> Column | None:
    """The first column (in the spec's order) one of whose patterns is a word of the header."""
    words = normalise_header(header)
    for column in columns:
        if any(re.fullmatch(column.patterns, word) for word in words):
            return column
    return None


def _find_header(cells: list[tuple[int, list[str]]], columns: list[Column]):
    """The first of the top rows that names every required column: (line, names, columns)."""
    candidates = [(line, row) for line, row in cells if any(row)][:HEADER_SEARCH_ROWS]
    if not candidates:
        raise FileFormatError("В файле нет ни одной строки с данными.")
    required = [c for c in columns if c.required]
    for line, header in candidates:
        matched = [_match(name, columns) if name else None for name in header]
        if all(c in matched for c in required):
            return line, header, matched
    matched = [_match(name, columns) if name else None for name in candidates[0][1]]
    missing = ", ".join(f"«{c.label}»" for c in required if c not in matched)
    raise FileFormatError(
        f"Не найдены столбцы {missing}. В первой строке файла должны быть заголовки, например: "
        + "; ".join(c.label for c in columns)
        + ". Файл должен быть в кодировке UTF-8 или Windows-1251."
    )


def _map(cells: list[tuple[int, list[str]]], columns: list[Column]) -> Table:
    header_line, header, matched = _find_header(cells, columns)
    seen: dict[str, str] = {}
    for name, column in zip(header, matched, strict=True):
        if column is None:
            continue
        if column.field in seen:
            raise FileFormatError(
                f"строка {header_line}: два столбца «{column.label}»: «{seen[column.field]}» и «{name}»."
            )
        seen[column.field] = name
    rows = []
    for line, row in cells:
        if line <= header_line or not any(row):
            continue
        values = {c.field: (row[i] if i < len(row) else "") for i, c in enumerate(matched) if c}
        rows.append(Row(line=line, values=values))
    ignored = [name for name, column in zip(header, matched, strict=True) if name and column is None]
    return Table(rows=rows, fields=set(seen), ignored=ignored)
