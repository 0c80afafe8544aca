"""The treasurer's requisites page (control keys as banks check them, audited) and the receipts
of every debtor in one PDF."""

import io
from dataclasses import asdict

from pypdf import PdfReader

from snt.payments.requisites import current_requisites
from tests.helpers import SBER, audit_actions, page_text


def test_treasurer_sets_the_requisites(app, accounts):
    treasurer = accounts.staff("treasurer")
    page = page_text(treasurer.get("/admin/requisites"))
    assert "Реквизиты ещё не заданы: QR-коды членам не показываются." in page
    response = treasurer.post("/admin/requisites", data=asdict(SBER))
    assert response.status_code == 302
    assert "Реквизиты сохранены." in page_text(treasurer.get("/admin/requisites"))
    with app.app_context():
        assert current_requisites() == SBER
    assert audit_actions(app).count("requisites.edit") == 1
    log = page_text(treasurer.get("/admin/audit/"))
    assert "Реквизиты для оплаты изменены" in log and "Расчётный счёт: — → 40703810538000001234" in log
    # The form shows what is stored; saving it unchanged writes nothing to the log.
    assert 'value="044525225"' in treasurer.get("/admin/requisites").get_data(as_text=True)
    treasurer.post("/admin/requisites", data=asdict(SBER))
    assert audit_actions(app).count("requisites.edit") == 1


def test_a_wrong_digit_is_refused_field_by_field(app, accounts):
    treasurer = accounts.staff("treasurer")
    wrong = asdict(SBER) | {
        "account": "40703810538000001235",
        "corr_account": "30101810400000000226",
        "inn": "123",
    }
    response = treasurer.post("/admin/requisites", data=wrong)
    assert response.status_code == 422
    text = page_text(response)
    assert "Расчётный счёт не сходится с БИК по контрольному ключу: проверьте каждую цифру." in text
    assert "Корреспондентский счёт не сходится с БИК по контрольному ключу" in text
    assert "ИНН организации — 10 цифр." in text
    with app.app_context():
        assert current_requisites() is None
    assert "requisites.edit" not in audit_actions(app)


def test_only_the_treasurer_sees_the_requisites(app, accounts):
    board = accounts.staff("board")
    assert 'href="/admin/requisites"' not in board.get("/admin/").get_data(as_text=True)
    assert "Квитанции всем должникам" not in page_text(board.get("/admin/exports/"))
    treasurer = accounts.staff("treasurer")
    assert 'href="/admin/requisites"' in treasurer.get("/admin/").get_data(as_text=True)
    assert "Квитанции всем должникам (PDF)" in page_text(treasurer.get("/admin/exports/"))


def test_receipts_of_all_debtors(app, reference, accounts):
    treasurer = accounts.staff("treasurer")
    treasurer.post("/admin/requisites", data=asdict(SBER))
    response = treasurer.get("/admin/receipts.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).replace(
        "\u00a0", " "
    )
    for plot in ("269", "270", "271"):
        assert f"Квитанция на оплату — участок {plot}" in text
    assert "Назначение платежа: Членские взносы 2022, участок 269" in text and "7 200,00" in text
    assert audit_actions(app)[-1] == "export.receipts"
    assert "Выгружены квитанции" in page_text(treasurer.get("/admin/audit/"))


def test_no_debtors_no_pdf(app, accounts):
    treasurer = accounts.staff("treasurer")
    response = treasurer.get("/admin/receipts.pdf")
    assert response.status_code == 302
    assert "Нет участков с суммой к оплате." in page_text(treasurer.get(response.headers["Location"]))
