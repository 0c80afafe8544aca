"""What I owe, by when, and how to pay (issue 13), walked on a phone as member 269 would.

The reference case plus an unpaid March for 269 (300 day + 120 night kWh = 2 364,00 ₽); nothing
paid. Then a bank payment «за май 2022» arrives: May reads «оплачено», March still «к оплате»,
the total drops by exactly that payment, and «Мои платежи» lists it.
"""

import re
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.imports.payments import import_payments
from snt.models import Account, Plot, PlotClaim, Reading, utcnow
from snt.passwords import hash_password
from snt.payments.requisites import save_requisites
from tests.e2e.conftest import PHONE, LiveSite
from tests.helpers import SBER, add_reference_case

PASSWORD = "Sad-2022-ok"
MAY, MARCH = "01 мая 2022 – 01 июня 2022", "01 марта 2022 – 01 апреля 2022"


def money_case() -> None:
    add_reference_case()
    plots = {p.number: p for p in db.session.scalars(select(Plot))}
    db.session.add(Reading(plot=plots["269"], taken_on=date(2022, 3, 1), day=8712, night=2781, total=11493))
    db.session.flush()
    bill_periods([plots["269"].id])
    save_requisites(SBER)
    account = Account(
        login_plot=plots["269"], email="orlova269@example.ru", email_confirmed_at=utcnow(),
        password_hash=hash_password(PASSWORD), full_name="Орлова Наталья Викторовна", pd_consent_at=utcnow(),
    )  # fmt: skip
    account.claims = [
        PlotClaim(plot=plots[n], status=PlotClaim.VERIFIED, decided_at=utcnow()) for n in ("269", "270")
    ]
    db.session.add(account)


@pytest.fixture
def money_site(tmp_path, smtp_server, mailbox):
    live = LiveSite(tmp_path, smtp_server[0].port, mailbox).seed(money_case).start()
    yield live
    live.stop()


@pytest.fixture
def browse_money(browser, money_site):
    from tests.e2e.conftest import _contexts

    yield from _contexts(browser, money_site)


def total(person) -> Decimal:
    text = person.page.locator("#summary-total").inner_text().replace("\u00a0", " ")
    amount = re.search(r"Итого к оплате: ([\d ]+,\d\d) ₽", text).group(1)
    return Decimal(amount.replace(" ", "").replace(",", "."))


def period_status(person, period: str) -> str:
    body = person.page.locator("tbody", has=person.page.locator("tr.period", has_text=period))
    return " ".join(
        body.locator('tr[data-plot="269"] td.due .due-mark').inner_text().replace("\u00a0", " ").split()
    )


def test_269_pays_may_on_a_phone(browse_money, money_site):
    orlova = browse_money.person(PHONE)
    orlova.open("/auth/login", "Вход в личный кабинет")
    orlova.log_in_here("269", PASSWORD, re.compile("^Статус моих оплат"))

    # The summary first: 7 200 + 2 364 + 4 121,45 for 269, 7 200 + 13,64 for 270.
    assert total(orlova) == Decimal("20899.09")
    lines = orlova.page.locator(".due-lines li").all_inner_texts()
    assert "Участок 269, электроэнергия: 6 485,45 ₽ — просрочено (срок оплаты был 5 апреля 2022)." in [
        " ".join(line.replace("\u00a0", " ").split()) for line in lines
    ]
    # One QR per plot, and it decodes to the plot's total.
    png = orlova.page.request.get("/my-data/payments/qr/269.png").body()
    decoded = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=png, capture_output=True, check=True)
    assert "|Sum=1368545|" in decoded.stdout.decode()
    # The per-line codes wait behind «По отдельности».
    details = orlova.page.locator("details.qr-codes").first
    assert not details.evaluate("d => d.open")
    orlova.press(details.locator("summary"))
    assert details.evaluate("d => d.open")

    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    assert period_status(orlova, MAY) == "к оплате 4 121,45"
    assert period_status(orlova, MARCH) == "к оплате 2 364,00"
    assert orlova.page.locator("svg.chart").count() == 2  # 269 and 270

    # The bank statement arrives: «за май 2022», exactly May's charge.
    with money_site.app.app_context():
        rows = (
            "участок;дата;сумма;назначение\r\n269;04.06.2022;4121,45;Электроэнергия за май 2022, уч. 269\r\n"
        )
        assert import_payments(rows.encode(), "p.csv").written

    orlova.page.reload()
    orlova.arrived("Показания моих счетчиков электричества")
    assert period_status(orlova, MAY) == "оплачено"
    assert period_status(orlova, MARCH) == "к оплате 2 364,00"  # the payment named May, not the oldest

    orlova.menu("Мои данные", "Статус моих оплат", re.compile("^Статус моих оплат"))
    assert total(orlova) == Decimal("20899.09") - Decimal("4121.45")

    orlova.menu("Мои данные", "Мои платежи", "Мои платежи")
    row = orlova.row("table.payments tbody tr")
    assert row[:4] == [
        "4 июня 2022",
        "269",
        "4 121,45",
        "Электроэнергия за май 2022 «Электроэнергия за май 2022, уч. 269»",
    ]
    assert row[4] == "файл оплат"
    orlova.follow(
        orlova.page.get_by_role("link", name="Акт сверки по участку 269"), "Акт сверки по участку 269"
    )
