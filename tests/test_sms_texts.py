"""The monthly SMS and email tell the plot's real electricity balance (issue 13 item 4): the
seed's text when the balance is the month's charge, else the arrears or the advance named."""

from datetime import date

import pytest
from sqlalchemy import select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Plot, Reading
from tests.helpers import page_text, whole_form, write_csv

SEED = "СНТ Аникино: Т1 520, Т2 217. К оплате 4121.45. Оплатить до 5 числа."
ARREARS = "СНТ Аникино: Т1 520, Т2 217. К оплате 6485.45, в т.ч. долг 2364.00. Оплатить до 5 числа."
ADVANCE = "СНТ Аникино: Т1 520, Т2 217. К оплате 2121.45 с учётом аванса 2000.00. Оплатить до 5 числа."
PAID = "СНТ Аникино: Т1 520, Т2 217. За месяц 4121.45, оплачено авансом."


@pytest.fixture
def orlova(reference, accounts):
    """269 alone (so the text names no plot), with a phone, SMS and email chosen."""
    client = accounts.member("269", "orlova269@example.ru")
    data = {"plots": "269", "phone": "89031221105", "sms_consent": "y", "email_notices": "y"}
    assert client.post("/my-data/edit", data=data).status_code == 302
    return client


def pay(cli, tmp_path, amount: str, purpose: str = "электроэнергия") -> None:
    rows = [["участок", "дата", "сумма", "назначение"], ["269", "04.06.2022", amount, purpose]]
    assert "новых оплат — 1" in cli("import-payments", write_csv(tmp_path / f"{amount}.csv", rows))


def may_sms(cli) -> str:
    output = cli("send-sms", "--period", "2022-05", "--dry-run")
    [line] = [line for line in output.splitlines() if line.startswith("уч. 269 → 89031221105")]
    return line.split("): ", 1)[1]


def add_unpaid_march(app) -> None:
    """March 2022: 300 day + 120 night kWh = 2 046,00 + 318,00 = 2 364,00 ₽, unpaid."""
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(Reading(plot=plot, taken_on=date(2022, 3, 1), day=8712, night=2781, total=11493))
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()


def test_nothing_else_owed_is_the_seed_text(orlova, cli):
    assert may_sms(cli) == SEED


def test_arrears_are_named(orlova, app, cli):
    add_unpaid_march(app)
    assert may_sms(cli) == ARREARS


def test_an_advance_is_named(orlova, cli, tmp_path):
    pay(cli, tmp_path, "2000,00")
    assert may_sms(cli) == ADVANCE


@pytest.mark.parametrize("amount", ["4121,45", "5000,00"])
def test_paid_in_advance_asks_for_nothing(orlova, cli, tmp_path, amount):
    pay(cli, tmp_path, amount)
    assert may_sms(cli) == PAID


def test_a_later_period_is_not_in_the_balance(orlova, app, cli, tmp_path):
    """The May SMS sent late, after June was billed, still asks for May's balance only."""
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(Reading(plot=plot, taken_on=date(2022, 7, 1), day=9600, night=3150, total=12750))
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()
    assert may_sms(cli) == SEED


def test_the_email_tells_the_same_sentence(orlova, app, cli, tmp_path, mailbox):
    add_unpaid_march(app)
    mailbox.clear()
    assert "Отправлено: 1 из 1." in cli("send-email", "--period", "2022-05")
    [message] = mailbox.to("orlova269@example.ru")
    assert message["Subject"].endswith("участок 269: к оплате 6\u00a0485,45 ₽")
    text = mailbox.text(message)
    assert "Участок № 269. К оплате 6485.45, в т.ч. долг 2364.00. Оплатить до 5 числа." in text
    assert text.index("в т.ч. долг") < text.index("Начислено за период")


def test_the_due_day_setting_reaches_the_text(orlova, accounts, cli):
    board = accounts.staff("board")
    board.post("/admin/settings/", data=whole_form(electricity_due_day="10", sms_part_price="0"))
    assert may_sms(cli) == SEED.replace("до 5 числа", "до 10 числа")


def test_parts_and_cost_in_the_dry_run_and_on_the_admin_page(orlova, accounts, cli, app):
    add_unpaid_march(app)
    output = cli("send-sms", "--period", "2022-05", "--dry-run")
    assert f"уч. 269 → 89031221105 (2 SMS, {len(ARREARS)} зн.): {ARREARS}" in output
    assert "Стоимость: цена одной части SMS не задана" in output
    board = accounts.staff("board")
    board.post("/admin/settings/", data=whole_form(electricity_due_day="5", sms_part_price="3,95"))
    output = cli("send-sms", "--period", "2022-05", "--dry-run")
    assert "Сообщений: 1, частей SMS: 2." in output
    assert "Стоимость отправки: 2 × 3,95 ₽ = 7,90 ₽." in output
    treasurer = accounts.staff("treasurer")
    text = page_text(treasurer.get("/admin/sms/?period=2022-05"))
    assert (
        "будет отправлено 89031221105 (2 SMS," in text and "Стоимость отправки: 2 × 3,95 ₽ = 7,90 ₽." in text
    )
