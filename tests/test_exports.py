"""Exports of the registry and the debtors: CSV for Russian Excel and XLSX, with formula
escaping in both (read back as a spreadsheet would)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from snt.extensions import db
from snt.models import Plot
from snt.registry.exports import escape_cell
from tests.helpers import audit_actions

EVIL = ['=HYPERLINK("http://evil","x")', "+7 999", "-1+1", "@SUM(A1)", "\tTab", "\rCR"]


@pytest.mark.parametrize("value", EVIL)
def test_escape_cell_prefixes_formula_starts(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Орлова", "ivan@example.ru", "12а", "", None, 5])
def test_escape_cell_leaves_the_rest(value):
    assert escape_cell(value) == value


@pytest.fixture
def evil_registry(app, reference):
    with app.app_context():
        plot = db.session.query(Plot).filter_by(number="271").one()
        plot.owner_name, plot.email, plot.street = EVIL[0], EVIL[3], EVIL[2]
        db.session.commit()


def test_csv_opens_in_russian_excel_and_runs_no_formula(app, evil_registry, accounts):
    board = accounts.staff("board")
    response = board.get("/admin/exports/debtors.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    assert "attachment; filename=dolzhniki-" in response.headers["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Участок", "Улица", "Владелец"]
    by_plot = {row[0]: row for row in table[1:]}
    assert by_plot["269"][-2:] == ["11321,45", "0,00"]  # decimal comma
    assert by_plot["271"][1:3] == ["'-1+1", '\'=HYPERLINK("http://evil","x")']
    assert "'@SUM(A1)" in by_plot["271"]
    for row in table:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_xlsx_has_numbers_and_no_formulas(app, evil_registry, accounts):
    board = accounts.staff("board")
    for name in ("registry", "debtors"):
        response = board.get(f"/admin/exports/{name}.xlsx")
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [c.value for c in cells]
        assert '\'=HYPERLINK("http://evil","x")' in values and "'-1+1" in values
    debtors = load_workbook(io.BytesIO(board.get("/admin/exports/debtors.xlsx").data)).active
    row = next(r for r in debtors.iter_rows(values_only=True) if r[0] == "269")
    assert row[-2] == pytest.approx(11321.45) and row[-1] == 0
    assert (
        audit_actions(app).count("export.registry") == 1 and audit_actions(app).count("export.debtors") == 2
    )


def test_registry_csv_lists_every_plot(app, reference, accounts):
    board = accounts.staff("board")
    text = board.get("/admin/exports/registry.csv").data.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert (
        lines[0] == "Участок;Улица;Площадь, сотки;Электрификация;Новый счётчик;Владелец;Электропочта;Телефон;"
        "Почтовый адрес;Член товарищества;Дата вступления;Кадастровый номер"
    )  # issue 16 added the columns from «Почтовый адрес» on; co-owners have rows of their own
    assert lines[1] == "269;5;7,20;Да;Да;Владелец 269;orlova269@example.ru;;;Да;;"
    assert len(lines) == 4
    assert board.get("/admin/exports/registry.pdf").status_code == 404
