"""Small files that unpack into huge ones (issue 11, item 7): the treasurer's .xlsx imports and the
board's document upload read them within fixed bounds and answer with a Russian message."""

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

from snt.imports.files import XLSX_MAX_COLUMNS, XLSX_MAX_ROWS, XLSX_MAX_UNPACKED_BYTES
from tests.helpers import audit_actions, page_text, write_xlsx

ROWS = [
    ["Участок", "Дата", "День", "Ночь"],
    ["269", "01.05.2022", 9012, 2901],
    ["270", "01.05.2022", 344, 244],
]
MB = 1024 * 1024


def _patched(path: str, sheet: dict[str, str], extra: tuple[str, int] | None = None) -> str:
    """The workbook with its sheet's XML edited and, optionally, an extra member of `size` zeros
    written in 1 MB chunks (the test never holds it in memory)."""
    source = Path(path).read_bytes()
    out = Path(path)
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for pattern, replacement in sheet.items():
                    text, count = re.subn(pattern, replacement, text, count=1)
                    assert count == 1, pattern
                data = text.encode()
            new.writestr(item.filename, data)
        if extra:
            name, size = extra
            with new.open(name, "w") as member:
                for _ in range(size // MB):
                    member.write(bytes(MB))
    return path


def peak_memory(action) -> tuple[object, int]:
    """What `action()` returns and the most Python memory it held at once, in bytes."""
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_xlsx_declaring_a_whole_sheet_range_is_read_by_its_real_rows(app, registry, cli, tmp_path):
    path = _patched(
        write_xlsx(tmp_path / "bomb.xlsx", ROWS), {r'<dimension ref="[^"]+"': '<dimension ref="A1:XFD10000"'}
    )
    assert Path(path).stat().st_size < 8 * 1024
    output, peak = peak_memory(lambda: cli("import-readings", path, "--dry-run"))
    assert "новых показаний — 2" in output
    assert peak < 30 * MB  # openpyxl would pad 10,000 rows to 16,384 columns: 1.4 GB


def test_an_xlsx_with_too_many_rows_is_refused(app, registry, cli, tmp_path):
    far = XLSX_MAX_ROWS + 1
    path = _patched(
        write_xlsx(tmp_path / "rows.xlsx", ROWS),
        {"</sheetData>": f'<row r="{far}"><c r="A{far}" t="n"><v>1</v></c></row></sheetData>'},
    )
    output = cli("import-readings", path, fails=True)
    assert "В файле больше 100 тысяч строк. Разделите его на несколько файлов" in output


def test_an_xlsx_with_too_many_columns_is_refused(app, registry, cli, tmp_path):
    column = "AY"  # the 51st
    assert XLSX_MAX_COLUMNS == 50
    path = _patched(
        write_xlsx(tmp_path / "wide.xlsx", ROWS),
        {
            '<c r="D2" t="n"><v>2901</v></c>': f'<c r="D2" t="n"><v>2901</v></c><c r="{column}2" t="n"><v>7</v></c>'
        },
    )
    output = cli("import-readings", path, fails=True)
    assert "строка 2: в файле больше 50 столбцов" in output


def test_an_xlsx_that_unpacks_past_the_bound_is_refused_before_reading(app, registry, accounts, tmp_path):
    size = XLSX_MAX_UNPACKED_BYTES + MB
    path = _patched(write_xlsx(tmp_path / "zeros.xlsx", ROWS), {}, extra=("xl/media/image1.bin", size))
    assert Path(path).stat().st_size < 1 * MB
    treasurer = accounts.staff("treasurer")

    def upload():
        with open(path, "rb") as handle:
            return treasurer.post(
                "/admin/imports/",
                data={"kind": "readings", "file": (handle, "zeros.xlsx")},
                content_type="multipart/form-data",
            )

    response, peak = peak_memory(upload)
    assert response.status_code == 422
    assert "Файл .xlsx в распакованном виде больше 100 МБ" in page_text(response)
    assert peak < 30 * MB


def test_a_document_whose_mimetype_member_inflates_to_hundreds_of_megabytes(app, accounts, tmp_path):
    path = tmp_path / "Отчёт.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("mimetype", "w") as member:
        member.write(b"application/vnd.oasis.opendocument.spreadsheet")
        for _ in range(200):
            member.write(bytes(MB))
    assert path.stat().st_size < 1 * MB
    board = accounts.staff("board")

    def upload():
        with open(path, "rb") as handle:
            data = {"file": (handle, path.name), "title": "", "category": "reports", "visibility": "public"}
            return board.post("/admin/documents/", data=data, content_type="multipart/form-data")

    response, peak = peak_memory(upload)
    assert response.status_code == 422
    assert "Файл «Отчёт.ods» назван как .ods, но внутри не документ OpenDocument." in page_text(response)
    assert peak < 30 * MB  # the member was never inflated
    assert "document.upload" not in audit_actions(app)
    assert not list((Path(app.instance_path) / "documents").iterdir())
