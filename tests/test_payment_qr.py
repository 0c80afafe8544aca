"""Pay in one scan: the ГОСТ QR on «Статус моих оплат», and the printable receipt."""

import io
import re
import subprocess

import pytest
import segno
from pypdf import PdfReader

from snt.extensions import db
from snt.payments.requisites import save_requisites
from tests.helpers import SBER, page_text

FEE_269 = (
    "ST00012|Name=СНТ «Аникино»|PersonalAcc=40703810538000001234|BankName=ПАО Сбербанк|BIC=044525225"
    "|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=500001001|PersAcc=269|Sum=720000"
    "|Purpose=Членские взносы 2022, участок 269"
)


@pytest.fixture
def orlova(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,270"})
    return client


@pytest.fixture
def with_requisites(app):
    with app.app_context():
        save_requisites(SBER)
        db.session.commit()


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


def test_no_qr_without_requisites(orlova):
    html = orlova.get("/my-data/payments/").get_data(as_text=True)
    assert svgs(html) == []


def test_qr_for_the_reference_fee(orlova, with_requisites):
    html = orlova.get("/my-data/payments/").get_data(as_text=True)
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Членские взносы 2022: 7 200,00 ₽ Членские взносы 2022, участок 269" in text
    # The code on the page is exactly the ГОСТ payload for plot 269's fee.
    expected = segno.make(FEE_269, error="m", encoding="utf-8").svg_inline(scale=3)
    assert expected in svgs(html)


def test_the_rendered_code_decodes_to_the_payload(orlova, with_requisites):
    # zbarimg comes from Debian's zbar-tools, installed by `make test` (Makefile: system-deps).
    png = io.BytesIO()
    segno.make(FEE_269, error="m", encoding="utf-8").save(png, kind="png", scale=4)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", "-"], input=png.getvalue(), capture_output=True, check=True
    )
    fields = dict(part.split("=", 1) for part in decoded.stdout.decode("utf-8").strip().split("|")[1:])
    assert fields["Sum"] == "720000"
    assert fields["PersAcc"] == "269"
    assert fields["Purpose"] == "Членские взносы 2022, участок 269"
    assert fields["Name"] == "СНТ «Аникино»"


def test_electricity_code_carries_period_and_readings(orlova, with_requisites):
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Электроэнергия 2022: 4 121,45 ₽ Электроэнергия 2022, участок 269, Т1 9532, Т2 3118" in text


def test_receipt_pdf_holds_plot_sums_and_purpose(orlova, with_requisites):
    response = orlova.get("/my-data/payments/receipt/269.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Квитанция на оплату — участок 269" in text
    assert "Членские взносы 2022" in text and "7 200,00" in text.replace("\u00a0", " ")
    assert "Назначение платежа: Членские взносы 2022, участок 269" in text
    assert "Р/с 40703810538000001234" in text


def test_receipt_of_another_members_plot_is_not_found(orlova, accounts):
    assert orlova.get("/my-data/payments/receipt/271.pdf").status_code == 404
