"""One QR per plot for its whole amount due (issue 13 item 5), decoded back with zbarimg; the
per-line codes behind «По отдельности» carry their own period's readings; the importers split a
payment whose purpose has the combined form into its kinds."""

import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Payment, Plot, Reading
from tests.helpers import SBER, page_text, write_csv
from tests.test_import_payments import _statement
from tests.test_payment_qr import with_requisites  # noqa: F401  (fixture)

COMBINED_269 = "уч. 269: членские 2022 7200,00; электроэнергия 4121,45"
IN_CSV = f'"{COMBINED_269}"'  # quoted, as Excel writes a cell holding the delimiter


@pytest.fixture
def orlova(reference, accounts, with_requisites):  # noqa: F811
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,270"})
    return client


def zbar(png: bytes) -> dict[str, str]:
    decoded = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=png, capture_output=True, check=True)
    return dict(part.split("=", 1) for part in decoded.stdout.decode("utf-8").strip().split("|")[1:])


def test_one_code_for_the_plot_total(orlova):
    response = orlova.get("/my-data/payments/qr/269.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=qr-269.png")
    fields = zbar(response.data)
    assert (fields["Sum"], fields["PersAcc"], fields["Purpose"]) == ("1132145", "269", COMBINED_269)
    assert fields["PersonalAcc"] == SBER.account and len(fields["Purpose"]) <= 210  # ГОСТ field limit


def test_the_page_shows_the_plot_code_requisites_and_the_lines_behind_a_disclosure(orlova):
    html = orlova.get("/my-data/payments/").get_data(as_text=True)
    section = html.split('id="plot-269"')[1].split('id="plot-270"')[0]
    assert "Всего по участку 269: <strong>11\u00a0321,45 ₽</strong>" in section
    assert 'href="/my-data/payments/qr/269.png" download>Сохранить QR-код</a>' in section
    assert f'<dt>Расчётный счёт</dt><dd><span class="value">{SBER.account}</span></dd>' in section
    assert f'<dt>Назначение платежа</dt><dd><span class="value">{COMBINED_269}</span></dd>' in section
    plot_code, lines = section.split("<summary>По отдельности</summary>")
    assert len(re.findall(r"<svg", plot_code)) == 1
    assert len(re.findall(r"<svg", lines)) == 2  # membership 2022, electricity 2022


def test_a_past_periods_code_carries_that_periods_readings(orlova, app):
    """An unpaid period of 2021 (01.12.2021 – 01.04.2022): its code names 9012/2901, not June's."""
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(Reading(plot=plot, taken_on=date(2021, 12, 1), day=8912, night=2851, total=11763))
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Электроэнергия 2021: 814,50 ₽ Электроэнергия 2021, участок 269, Т1 9012, Т2 2901" in text
    assert "Электроэнергия 2022: 4 121,45 ₽ Электроэнергия 2022, участок 269, Т1 9532, Т2 3118" in text
    html = orlova.get("/my-data/payments/").get_data(as_text=True)
    assert "уч. 269: членские 2022 7200,00; электроэнергия 4935,95" in html
    with app.app_context():
        from snt.models import Account
        from snt.payments.qr import payment_codes
        from snt.payments.requisites import current_requisites
        from snt.payments.services import payment_status
        from snt.registry.access import verified_plots

        account = db.session.scalar(select(Account).where(Account.email == "orlova269@example.ru"))
        codes = payment_codes(payment_status(verified_plots(account, "269")), current_requisites())
        past = next(c for key, c in codes.items() if key[1:3] == ("electricity", 2021))
        fields = zbar(past.png())
    assert fields["Purpose"] == "Электроэнергия 2021, участок 269, Т1 9012, Т2 2901"
    assert (fields["Sum"], fields["PaymPeriod"]) == ("81450", "122021")


def test_another_members_code_is_not_found(orlova):
    assert orlova.get("/my-data/payments/qr/271.png").status_code == 404


def test_nothing_due_no_code(orlova, cli, tmp_path):
    rows = [["участок", "дата", "сумма", "назначение"], ["269", "04.06.2022", "11321,45", IN_CSV]]
    cli("import-payments", write_csv(tmp_path / "p.csv", rows))
    assert orlova.get("/my-data/payments/qr/269.png").status_code == 404


def booked(app) -> list[tuple]:
    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(
                select(Payment.kind, Payment.amount, Payment.for_year, Payment.reference).order_by(Payment.id)
            )
        ]


def test_a_combined_payment_from_a_file_is_split_into_its_kinds(orlova, app, cli, tmp_path):
    rows = [
        ["участок", "дата", "сумма", "назначение", "номер"],
        ["269", "04.06.2022", "11 321,45", IN_CSV, "P-9"],
    ]
    path = write_csv(tmp_path / "p.csv", rows)
    assert "новых оплат — 2" in cli("import-payments", path)
    assert booked(app) == [
        ("membership", Decimal("7200.00"), 2022, "P-9/membership"),
        ("electricity", Decimal("4121.45"), None, "P-9/electricity"),
    ]
    assert "без изменений — 2" in cli("import-payments", path)
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Участок 269, " not in text.split("Итого к оплате")[1].split("Общая информация")[0]


def test_a_combined_payment_whose_sum_differs_is_refused(orlova, app, cli, tmp_path):
    rows = [["участок", "дата", "сумма", "назначение"], ["269", "04.06.2022", "10 000,00", IN_CSV]]
    output = cli("import-payments", write_csv(tmp_path / "p.csv", rows), fails=True)
    assert "строка 2: сумма 10 000,00 не равна сумме частей в назначении (11 321,45)" in output.replace(
        "\xa0", " "
    )
    rows[1] = ["270", "04.06.2022", "11321,45", IN_CSV]
    output = cli("import-payments", write_csv(tmp_path / "q.csv", rows), fails=True)
    assert "в назначении участок 269, а платёж — по участку 270" in output
    assert booked(app) == []


def test_a_combined_payment_in_a_bank_statement_is_split(orlova, app, cli, tmp_path):
    doc = {
        "ПолучательСчет": "40703810938000001234", "Дата": "05.06.2022", "Сумма": "11321.45", "Номер": "7",
        "ПлательщикСчет": "4081", "НазначениеПлатежа": COMBINED_269,
    }  # fmt: skip
    (tmp_path / "s.txt").write_bytes(_statement([doc]))
    assert "новых оплат — 2" in cli("import-payments", "--other-account", str(tmp_path / "s.txt"))
    assert [(k, a) for k, a, _, _ in booked(app)] == [
        ("membership", Decimal("7200.00")),
        ("electricity", Decimal("4121.45")),
    ]


def receipt_text(client, number: str) -> str:
    import io

    from pypdf import PdfReader

    response = client.get(f"/my-data/payments/receipt/{number}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    return "\n".join(page.extract_text() for page in pages).replace("\u00a0", " ")


def test_the_receipt_has_issue_and_due_dates_periods_readings_total_and_the_plot_code(orlova, cli):
    cli("accrue-fees", "--year", "2022", "--per-sotka", "1000", "--due", "30.06.2022")
    text = receipt_text(orlova, "269")
    assert f"Дата выставления: {date.today():%d.%m.%Y}" in text
    assert "Членские взносы 2022 30.06.2022 7 200,00 0,00" in text
    assert "Электроэнергия 2022 05.06.2022 4 121,45 0,00" in text
    assert "период 01.05.2022 – 01.06.2022, Т1 9532, Т2 3118: 4 121,45 ₽" in text
    assert "Итого к оплате 11 321,45 0,00" in text
    assert f"Всего по участку 269: 11 321,45 ₽\nНазначение платежа: {COMBINED_269}" in text
