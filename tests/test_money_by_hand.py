"""Money by hand (issue 14, items 5 and 6): a payment reversed, never deleted; opening balances from
the old books, loaded once; a statement of another account refused unless chosen on purpose; its
unmatched payments listed for the treasurer instead of dropped."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Charge, Payment, Plot, UnmatchedPayment
from snt.payments.debtors import debtors
from snt.payments.requisites import save_requisites
from snt.payments.services import electricity_balances, payment_status
from tests.conftest import DATA
from tests.helpers import SBER, page_text, write_csv
from tests.test_import_payments import _statement

STATEMENT = str(DATA / "statement-1c-cp1251.txt")


@pytest.fixture
def orlova(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269"})
    return client


def enter(treasurer, amount="4 121,45", kind="electricity", purpose="наличными"):
    html = treasurer.get("/admin/plots/269").get_data(as_text=True)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html).group(1)
    data = {"paid_on": "04.06.2022", "amount": amount, "kind": kind, "purpose": purpose, "token": token}
    assert treasurer.post("/admin/plots/269/payment", data=data).status_code == 302


def reverse_link(treasurer) -> str:
    html = treasurer.get("/admin/plots/269").get_data(as_text=True)
    return re.search(r'href="(/admin/plots/269/payments/\d+/reverse)"', html).group(1)


def status_text(client) -> str:
    text = page_text(client.get("/my-data/payments/"))
    return text[text.index("Итого к оплате") :]


def test_a_reversed_payment_stays_listed_and_the_balances_are_as_before(orlova, accounts, app):
    treasurer = accounts.staff("treasurer")
    before = status_text(orlova)
    enter(treasurer)
    assert status_text(orlova) != before
    link = reverse_link(treasurer)
    assert "Сторно оплаты: участок № 269" in page_text(treasurer.get(link))
    refused = treasurer.post(link, data={"reason": " ", "amount": "4121.45"})
    assert refused.status_code == 422 and "Укажите причину сторно" in page_text(refused)
    done = treasurer.post(link, data={"reason": "внесено по ошибке", "amount": "4121.45"})
    assert done.status_code == 302
    assert "Оплата сторнирована: уч. 269, 4 121,45 ₽." in page_text(treasurer.get(done.headers["Location"]))
    again = treasurer.post(link, data={"reason": "ещё раз", "amount": "4121.45"})
    assert again.status_code == 422 and "уже сторнирована" in page_text(again)

    assert status_text(orlova) == before  # the reference case's balances, unchanged
    history = page_text(orlova.get("/my-data/payments/history"))
    assert "-4 121,45 Сторно оплаты от 04.06.2022: электроэнергия причина: «внесено по ошибке»" in history
    assert "сторно казначея" in history
    assert "4 121,45 Электроэнергия «наличными» сторнирована" in history
    assert "внесено казначеем" in history
    admin = page_text(treasurer.get("/admin/plots/269"))
    assert "— сторнирована" in admin and "Сторно оплаты от 04.06.2022, причина: «внесено по ошибке»" in admin
    log = page_text(treasurer.get("/admin/audit/"))
    assert "Оплата сторнирована" in log and "причина: «внесено по ошибке»" in log
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 2  # nothing deleted
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        assert electricity_balances([plot.id], date(2022, 7, 1))[plot.id] == Decimal("4121.45")


def test_reversal_is_the_treasurers_and_checks_the_amount_seen(orlova, accounts):
    treasurer = accounts.staff("treasurer")
    enter(treasurer, amount="100", kind="membership")
    link = reverse_link(treasurer)
    assert accounts.staff("board", "board2@example.ru").post(link, data={"reason": "x"}).status_code == 403
    stale = treasurer.post(link, data={"reason": "ошибка", "amount": "99.00"})
    assert stale.status_code == 422 and "откройте страницу участка заново" in page_text(stale)
    assert treasurer.get("/admin/plots/270/payments/1/reverse").status_code == 404


def test_opening_balances_count_everywhere_and_load_once(app, registry, cli, tmp_path):
    output = cli("import-balances", str(DATA / "balances.csv"))
    assert "уч. 269, членские взносы: долг 1 500,00 ₽ на 01.01.2021" in output
    assert "уч. 269, электроэнергия: аванс 250,50 ₽ на 01.01.2021" in output
    assert "начальных остатков — 3" in output and "Записано." in output
    # The readings of the year bill electricity; the carried-over advance stays and pays them.
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    with app.app_context():
        plots = {p.number: p for p in db.session.scalars(select(Plot))}
        debts = {s.plot.number: s for s in debtors()}
        assert debts["270"].balance.due >= Decimal("3000.00")
        assert debts["269"].balance.due_by_kind["membership"] >= Decimal("1500.00")
        [status] = payment_status([plots["269"]])
        rows = {(r.kind, r.title) for r in status.rows}
        assert ("membership", "Долг по прежнему учёту на 01.01.2021") in rows
        charged = db.session.scalar(
            select(func.sum(Charge.amount)).where(
                Charge.plot_id == plots["269"].id,
                Charge.kind == "electricity",
                Charge.period_start.is_not(None),
            )
        )
        sms = electricity_balances([plots["269"].id], date(2030, 1, 1))[plots["269"].id]
        assert sms == charged - Decimal("250.50")

    again = write_csv(
        tmp_path / "again.csv",
        [["Участок", "Статья", "На дату", "Долг"], ["271", "членские", "01.01.2021", "10"],
         ["269", "членские", "01.01.2022", "99"]],
    )  # fmt: skip
    refused = cli("import-balances", again, fails=True)
    assert (
        "строка 3: уч. 269, членские взносы: начальный остаток уже загружен (долг 1 500,00 ₽ на 01.01.2021)"
        in refused
    )
    assert "Ничего не записано." in refused
    with app.app_context():  # all or nothing: 271 was not loaded either
        assert "271" not in {s.plot.number for s in debtors()}


def test_opening_balances_file_errors(app, registry, cli, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [["Участок", "Статья", "На дату", "Долг", "Аванс"], ["999", "членские", "01.01.2021", "1", ""],
         ["269", "вода", "01.01.2021", "1", ""], ["270", "целевые", "01.01.2021", "1", "2"]],
    )  # fmt: skip
    output = cli("import-balances", bad, fails=True)
    assert "строка 3: статья «вода» не понятна" in output
    assert "строка 4: указаны и долг, и аванс" in output
    assert "участка № 999 нет в реестре" in output


def test_a_statement_of_another_account_is_refused_unless_chosen(app, registry, cli):
    with app.app_context():
        save_requisites(SBER)
        db.session.commit()
    refused = cli("import-payments", STATEMENT, fails=True)
    assert (
        "Это выписка другого счёта: выписка по счёту 40703810938000001234, а расчётный счёт товарищества — "
        "40703810538000001234. Ничего не записано." in refused
    )
    loaded = cli("import-payments", STATEMENT, "--other-account")
    assert "загружается по явному выбору, это записано в журнал действий" in loaded
    assert "нераспознанных платежей в списке — 1" in loaded
    again = cli("import-payments", STATEMENT, "--other-account")
    assert "без изменений — 3" in again
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UnmatchedPayment)) == 1
        from snt.models import AuditEntry

        actions = list(db.session.scalars(select(AuditEntry.action)))
        assert actions.count("import.other_account") == 1


def test_the_treasurer_assigns_an_unmatched_payment(app, registry, cli, accounts, tmp_path):
    ours = {"ПолучательСчет": "40703810938000001234", "Дата": "12.05.2022", "ДатаПоступило": "12.05.2022"}
    docs = [
        {**ours, "Номер": "8", "Сумма": "1500.00", "ПлательщикСчет": "8", "Плательщик": "ИВАНОВ И. И.",
         "НазначениеПлатежа": "за свет"},
        {**ours, "Номер": "9", "Сумма": "10.00", "ПлательщикСчет": "9", "Плательщик": "ООО РОМАШКА",
         "НазначениеПлатежа": "возврат"},
    ]  # fmt: skip
    (tmp_path / "s.txt").write_bytes(_statement(docs))
    assert "нераспознанных платежей в списке — 2" in cli("import-payments", str(tmp_path / "s.txt"))
    treasurer = accounts.staff("treasurer")
    assert "Нераспознанные платежи: ждут разбора — 2" in page_text(treasurer.get("/admin/imports/"))
    page = page_text(treasurer.get("/admin/payments/unmatched/"))
    assert "12.05.2022: 1 500,00 ₽ — ИВАНОВ И. И." in page and "Назначение: «за свет»" in page
    with app.app_context():
        ids = {u.payer: u.id for u in db.session.scalars(select(UnmatchedPayment))}
    first, second = ids["ИВАНОВ И. И."], ids["ООО РОМАШКА"]
    wrong = treasurer.post(
        f"/admin/payments/unmatched/{first}/assign",
        data={f"u{first}-plot": "999", f"u{first}-kind": "electricity"},
    )
    assert wrong.status_code == 422 and "Участка № 999 нет в реестре." in page_text(wrong)
    done = treasurer.post(
        f"/admin/payments/unmatched/{first}/assign",
        data={f"u{first}-plot": "269", f"u{first}-kind": "electricity"},
    )
    assert done.status_code == 302
    assert "Платёж 1 500,00 ₽ отнесён на участок № 269: электроэнергия." in page_text(
        treasurer.get(done.headers["Location"])
    )
    assert treasurer.post(f"/admin/payments/unmatched/{second}/foreign").status_code == 302
    page = page_text(treasurer.get("/admin/payments/unmatched/"))
    assert "Нераспознанных платежей нет." in page
    assert "отнесён на участок № 269, электроэнергия" in page and "не наш платёж" in page
    log = page_text(treasurer.get("/admin/audit/"))
    assert "Нераспознанный платёж отнесён на участок" in log and "Платёж отмечен «не наш платёж»" in log
    # The same statement again: nothing doubles, the assigned payment is recognised.
    assert "без изменений — 2" in cli("import-payments", str(tmp_path / "s.txt"))
    with app.app_context():
        payment = db.session.scalar(select(Payment))
        assert (payment.plot.number, payment.amount, payment.source) == (
            "269",
            Decimal("1500.00"),
            "statement",
        )
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 1


def test_an_electricity_debt_survives_billing_and_counts_in_the_sms_amount(app, registry, cli, tmp_path):
    debt = write_csv(
        tmp_path / "debt.csv",
        [["Участок", "Статья", "На дату", "Долг"], ["268", "электроэнергия", "01.01.2022", "700,10"]],
    )
    cli("import-balances", debt)
    cli("import-readings", str(DATA / "readings-cp1251.csv"))  # bills every period of 268 again
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "268"))
        bill_periods([plot.id])  # what a meter replacement or a registry change runs: keeps the debt
        db.session.commit()
        periods = db.session.scalar(
            select(func.sum(Charge.amount)).where(Charge.plot_id == plot.id, Charge.period_start.is_not(None))
        )
        assert periods > 0
        assert electricity_balances([plot.id], date(2030, 1, 1))[plot.id] == periods + Decimal("700.10")
        [status] = [s for s in debtors() if s.plot.number == "268"]
        assert status.balance.due == periods + Decimal("700.10")
