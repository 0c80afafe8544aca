"""Requests that once answered 500 (issue 11, item 9): each now gets a page a person can read."""

import io
import re
import zipfile
from pathlib import Path

import pytest

from tests.helpers import page_text, write_xlsx

NUL_REFUSED = "В адресе страницы есть недопустимый символ"


def test_a_receipt_for_a_plot_with_a_letter(app, registry, accounts):
    owner = accounts.member("12а", "belova12a@example.ru")
    response = owner.get("/my-data/payments/receipt/12%D0%B0.pdf")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.isascii()  # gunicorn refuses any other header
    assert "filename*=UTF-8''kvitanciya-12%D0%B0.pdf" in disposition


@pytest.mark.parametrize(
    "url",
    [
        "/my-data/payments/?plot=%00",
        "/admin/plots/%00",
        "/admin/plots/?q=%00",
        "/admin/audit/?actor=%00",
        "/admin/members/?q=a%00b",
        "/page/charter%00",
    ],
)
def test_a_nul_in_a_url_parameter_is_refused_with_a_message(app, registry, accounts, url):
    treasurer = accounts.staff("treasurer")
    response = treasurer.get(url)
    assert response.status_code == 400
    assert NUL_REFUSED in page_text(response)


def test_an_address_the_outbox_cannot_name_a_file_after(app, registry, client):
    app.config["MAIL_SERVER"] = None
    response = client.post(
        "/auth/register",
        data={
            "plot_number": "268",
            "email": "x/y@mail.ru",
            "password": "Sad-2022-ok",
            "password2": "Sad-2022-ok",
            "consent": "y",
        },
    )
    assert response.status_code == 200
    [saved] = list((Path(app.instance_path) / "outbox").iterdir())
    assert "/" not in saved.name and "x_y" in saved.name
    assert "To: x/y@mail.ru" in saved.read_text(encoding="utf-8")


def _with_sheet_cells(path: str, replace: dict[str, str]) -> str:
    """The workbook at `path` with parts of its first sheet's XML replaced (a damaged file)."""
    source = Path(path).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                for pattern, replacement in replace.items():
                    text, count = re.subn(pattern, replacement, text, count=1)
                    assert count == 1, pattern
                data = text.encode()
            new.writestr(item, data)
    Path(path).write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize(
    ("damage", "what"),
    [
        (  # Excel keeps text in a shared table; this cell points past its end
            {r'<c r="A2" t="inlineStr"><is><t>269</t></is></c>': '<c r="A2" t="s"><v>999</v></c>'},
            "shared string out of range",
        ),
        ({r'<c r="C2" t="n"><v>9012</v>': '<c r="C2" t="n"><v>много</v>'}, "a number that is not one"),
    ],
)
def test_a_damaged_xlsx_is_refused_with_a_message(app, registry, cli, tmp_path, damage, what):
    rows = [["Участок", "Дата", "День", "Ночь"], ["269", "01.05.2022", 9012, 2901]]
    path = _with_sheet_cells(write_xlsx(tmp_path / "damaged.xlsx", rows), damage)
    output = cli("import-readings", path, fails=True)
    assert "Файл не читается как таблица Excel (.xlsx)" in output, what


@pytest.mark.parametrize("page", ["²", "٣", "１", "-1", "99999999999999999999999", "1e3", ""])
def test_a_page_number_that_is_not_one_shows_the_first_page(app, registry, accounts, page):
    treasurer = accounts.staff("treasurer")
    response = treasurer.get("/admin/plots/", query_string={"page": page})
    assert response.status_code == 200
    assert "Реестр участков" in page_text(response)


@pytest.mark.parametrize("url", ["/announcements/99999999999999999999", "/admin/members/2147483648"])
def test_an_id_larger_than_any_database_integer_is_not_found(app, registry, accounts, url):
    treasurer = accounts.staff("treasurer")
    response = treasurer.get(url)
    assert response.status_code == 404
    assert "Такой страницы нет." in page_text(response)
