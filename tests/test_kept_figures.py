"""Issue 12 item 2: the cabinet pages keep the figures they compute until the ledger changes
(snt/figures.py, snt/models/versions.py), and every write that changes them is seen at once."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import event, insert, select, text

from snt import figures
from snt.extensions import db
from snt.models import DataImport, Payment, Plot, PlotClaim
from snt.models.versions import TRACKED
from snt.payments.entry import reverse_payment
from snt.payments.requisites import save_requisites
from snt.settings import save_settings
from tests.helpers import SBER, page_text, sqlite_only, write_csv
from tests.test_payment_qr import orlova  # noqa: F401  (fixture)

PAYMENTS, READINGS, PROFILE = "/my-data/payments/", "/my-data/electricity/", "/my-data/"


def version(app) -> int:
    with app.app_context():
        return current()


def current() -> int:
    return db.session.scalar(text("SELECT value FROM ledger_version WHERE id = 1"))


def statements(app, client, url: str) -> int:
    """The SQL statements one request sends (what is kept is not dropped first)."""
    return len(sent(app, client, url))


def sent(app, client, url: str) -> list[str]:
    """The SQL of one request (what is kept is not dropped first)."""
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args, **kwargs: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return seen


def warm(client) -> dict[str, str]:
    """Each cabinet page twice, the second from what was kept: both the same."""
    pages = {}
    client.get(PROFILE)  # shows the flash message of the fixture's last form, once
    for url in (PAYMENTS, READINGS, PROFILE):
        first = page_text(client.get(url))
        assert page_text(client.get(url)) == first
        pages[url] = first
    return pages


@pytest.mark.parametrize("url", [PAYMENTS, READINGS, PROFILE])
def test_a_page_asked_again_reads_no_history(app, orlova, url):  # noqa: F811
    computing = statements(app, orlova, url)
    assert statements(app, orlova, url) < computing


@pytest.mark.parametrize("url", [PAYMENTS, READINGS, PROFILE])
def test_a_page_reads_the_ledger_version_once(app, orlova, url):  # noqa: F811
    """The payments page keeps two figures (balances, the drawn blocks): one version read serves both."""
    for _ in range(2):
        versions = [s for s in sent(app, orlova, url) if "ledger_version" in s]
        assert len(versions) == 1


@pytest.mark.parametrize("url", [PAYMENTS, READINGS, PROFILE])
def test_a_page_reads_the_version_and_the_meeting_banner_in_one_statement(app, orlova, url):  # noqa: F811
    """snt/pagereads.py: the banner's meeting is looked up by the statement that reads the version."""
    for _ in range(2):
        meeting = [s for s in sent(app, orlova, url) if "FROM meeting" in s]
        assert len(meeting) == 1 and "FROM ledger_version" in meeting[0]


@pytest.mark.parametrize("table", TRACKED)
def test_every_write_to_a_tracked_table_changes_the_version(app, reference, table):
    """Whoever writes (a command, a page, a shell session, plain SQL): the triggers bump it, even for
    an update that leaves the values as they were."""
    with app.app_context():
        save_settings({"electricity_due_day": "6"}, None)
        save_requisites(SBER)
        db.session.add(DataImport(kind="payments", filename="june.csv", rows=1))
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(
            Payment(plot=plot, paid_on=date(2022, 6, 20), amount=Decimal("1.00"), kind="electricity")
        )
        db.session.commit()
    before = version(app)
    with app.app_context():
        column = "value" if table == "board_setting" else "id"
        db.session.execute(text(f"UPDATE {table} SET {column} = {column}"))
        db.session.commit()
    assert version(app) != before


def test_an_insert_and_a_delete_change_the_version(app, reference):
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        before = current()
        payment = Payment(plot=plot, paid_on=date(2022, 6, 20), amount=Decimal("1.00"), kind="electricity")
        db.session.add(payment)
        db.session.commit()
        inserted = current()
        db.session.delete(payment)
        db.session.commit()
        assert len({before, inserted, current()}) == 3


@sqlite_only
def test_an_insert_of_many_rows_is_one_statement_and_changes_the_version(app, reference):
    """SQLite gets a Core insert of many rows as one multi-row statement, not one statement per row
    (snt.database.batch_inserts); the ledger's row trigger still changes the version."""
    with app.app_context():
        plot_id = db.session.scalar(select(Plot.id).where(Plot.number == "269"))
        before = current()
        one = {"plot_id": plot_id, "amount": Decimal("1.00"), "kind": "electricity"}
        rows = [{**one, "paid_on": date(2022, 6, day)} for day in (20, 21, 22)]
        calls = []
        listener = lambda conn, cursor, sql, *args: calls.append(sql)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            db.session.execute(insert(Payment.__table__), rows)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.commit()
        [sql] = [sql for sql in calls if sql.startswith("INSERT INTO payment")]
        assert sql.count("(?, ?") == 3  # the three rows' values in the one statement
        assert current() != before


def test_a_payment_import_is_seen_at_once(app, orlova, cli, tmp_path):  # noqa: F811
    before = warm(orlova)
    assert "к оплате 4 121,45" in before[READINGS]
    rows = [["участок", "дата", "сумма", "назначение"], ["269", "20.06.2022", "1000,00", "свет"]]
    cli("import-payments", write_csv(tmp_path / "june.csv", rows))
    assert "оплачено частично, осталось 3 121,45" in page_text(orlova.get(READINGS))
    assert page_text(orlova.get(PAYMENTS)) != before[PAYMENTS]
    assert page_text(orlova.get(PROFILE)) != before[PROFILE]


def test_a_reversal_is_seen_at_once(app, orlova, cli, tmp_path):  # noqa: F811
    rows = [["участок", "дата", "сумма", "назначение"], ["269", "20.06.2022", "1000,00", "свет"]]
    cli("import-payments", write_csv(tmp_path / "june.csv", rows))
    paid = warm(orlova)
    assert "осталось 3 121,45" in paid[READINGS]
    with app.app_context():
        payment = db.session.scalar(select(Payment).where(Payment.amount == Decimal("1000.00")))
        reverse_payment(payment.id, "1000.00", "не наш платёж", None)
        db.session.commit()
    assert "к оплате 4 121,45" in page_text(orlova.get(READINGS))
    assert page_text(orlova.get(PAYMENTS)) != paid[PAYMENTS]


def test_a_readings_import_and_a_correction_are_seen_at_once(app, orlova, cli, tmp_path):  # noqa: F811
    before = warm(orlova)
    assert "01 июня 2022 – 01 июля 2022" not in before[READINGS]
    rows = [["участок", "дата", "день", "ночь"], ["269", "01.07.2022", "9600", "3200"]]
    cli("import-readings", write_csv(tmp_path / "july.csv", rows))
    july = page_text(orlova.get(READINGS))
    assert "01 июня 2022 – 01 июля 2022" in july and "68 82 150" in july  # 9600−9532, 3200−3118
    assert page_text(orlova.get(PAYMENTS)) != before[PAYMENTS]
    rows = [["участок", "дата", "день", "ночь"], ["269", "01.07.2022", "9610", "3200"]]
    cli("import-readings", "--replace", write_csv(tmp_path / "fixed.csv", rows))
    assert "78 82 160" in page_text(orlova.get(READINGS))


def test_a_tariff_is_seen_at_once(app, orlova, cli, tmp_path):  # noqa: F811
    rows = [["участок", "дата", "день", "ночь"], ["269", "01.05.2021", "8000", "2000"]]
    cli("import-readings", write_csv(tmp_path / "old.csv", rows))
    assert "тариф не задан" in page_text(orlova.get(READINGS))
    warm(orlova)
    cli("set-tariff", "--from", "01.01.2021", "--single", "5", "--day", "6", "--night", "2")
    assert "тариф не задан" not in page_text(orlova.get(READINGS))


def test_a_settings_change_is_seen_at_once(app, orlova):  # noqa: F811
    before = warm(orlova)
    assert "05.06.2022" in before[PAYMENTS] or "5 июня 2022" in before[PAYMENTS]
    with app.app_context():
        save_settings({"electricity_due_day": "20"}, None)
        db.session.commit()
    after = page_text(orlova.get(PAYMENTS))
    assert "20.06.2022" in after or "20 июня 2022" in after


def test_an_ownership_approved_is_seen_at_once_and_no_other_plot(app, accounts, reference, cli):
    gromov = accounts.member("271", "someone@example.ru")  # not the registry's address: waits
    assert "ожидает подтверждения правлением" in page_text(gromov.get(PAYMENTS))
    with app.app_context():
        claim = db.session.scalar(select(PlotClaim).where(PlotClaim.status != PlotClaim.VERIFIED))
        claim_id, login = claim.id, claim.account.login
    cli("claims", "approve", str(claim_id), "--plot", "271", "--account", login)
    shown = page_text(gromov.get(PAYMENTS))
    assert "ожидает подтверждения правлением" not in shown and "Членские взносы" in shown
    assert "269" not in shown


def test_what_is_kept_is_bounded_oldest_first(app, reference):
    with app.app_context():
        computed = []
        for key in range(figures.MAX_ENTRIES + 1):
            figures.kept(("test", key), lambda key=key: computed.append(key) or key)
        assert (
            figures.kept(("test", figures.MAX_ENTRIES), lambda: computed.append("again"))
            == figures.MAX_ENTRIES
        )
        figures.kept(("test", 0), lambda: computed.append("again"))
        assert computed.count("again") == 1  # the oldest went, the newest stayed
