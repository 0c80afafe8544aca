"""The monthly email through a real SMTP server: the SMS's figures, the QR code (decoded back
with zbar), the receipt link, each email once only across runs."""

import socket
import sqlite3
import subprocess

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.jobs import queue, records
from snt.models import Account, EmailNotice, Job
from tests.helpers import DATA, SBER, page_text, sqlite_only


@pytest.fixture
def members(app, registry, cli, accounts):
    """Орлова (269, 270) chose email only, Петров (268) SMS and email, Белова (12а) SMS only."""
    cli("import-readings", str(DATA / "readings-cp1251.csv"))
    cli("requisites", "set", *(f"--{k.replace('_', '-')}={v}" for k, v in SBER.__dict__.items()))
    for plot, email, phone, plots, choice in [
        ("269", "orlova269@example.ru", "", "269,270", {"email_notices": "y"}),
        ("268", "petrov268@example.ru", "89165551268", "268", {"sms_consent": "y", "email_notices": "y"}),
        ("12а", "belova12a@example.ru", "89250001122", "12а", {"sms_consent": "y"}),
    ]:
        client = accounts.member(plot, email)
        data = {"plots": plots, "full_name": "", "contact_persons": "", "phone": phone, **choice}
        assert client.post("/my-data/edit", data=data).status_code == 302
        if plot == "268":
            text = page_text(client.get("/my-data/"))
            assert "SMS с показаниями присылать" in text
            assert "Письма с показаниями и QR-кодом присылать на petrov268@example.ru" in text


def zbar(png: bytes) -> dict[str, str]:
    decoded = subprocess.run(["zbarimg", "--raw", "-q", "-"], input=png, capture_output=True, check=True)
    return dict(part.split("=", 1) for part in decoded.stdout.decode("utf-8").strip().split("|")[1:])


def test_the_monthly_email_once_only(app, members, cli, mailbox):
    mailbox.clear()
    output = cli("send-email", "--period", "2022-05")
    assert "Письма за период 01 мая 2022 – 01 июня 2022 (2022-05)." in output
    assert "Отправлено: 3 из 3." in output
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == [
        "orlova269@example.ru", "orlova269@example.ru", "petrov268@example.ru"
    ]  # fmt: skip
    [to_269] = [m for m in mailbox.messages if "участок 269" in m["Subject"]]
    assert to_269["Subject"] == (
        "СНТ «Аникино»: электроэнергия за 01 мая 2022 – 01 июня 2022, участок 269: к оплате 4\u00a0121,45 ₽"
    )
    text = mailbox.text(to_269).replace("\u00a0", " ")
    assert "день (Т1): 520 кВт·ч, ночь (Т2): 217 кВт·ч." in text
    assert "Участок № 269. К оплате 4121.45. Оплатить до 5 числа." in text  # the SMS's sentence
    assert "Начислено за период: 4 121,45 ₽." in text
    assert (
        "Всего к оплате по участку 269: 4 121,45 ₽; назначение платежа: уч. 269: электроэнергия 4121,45"
        in text
    )
    assert "Квитанция для печати (PDF): https://snt.example/my-data/payments/receipt/269.pdf" in text
    [image] = [part for part in to_269.iter_attachments() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<qr>"
    assert 'src="cid:qr"' in to_269.get_body(preferencelist=("html",)).get_content()
    fields = zbar(image.get_content())
    assert (fields["Sum"], fields["PersAcc"]) == ("412145", "269")
    assert fields["PersonalAcc"] == SBER.account
    [to_268] = mailbox.to("petrov268@example.ru")
    assert "расход: 158 кВт·ч." in mailbox.text(to_268)

    again = cli("send-email", "--period", "2022-05")
    assert "Уже отправлены раньше и не повторяются: 3." in again and "Отправлять нечего." in again
    assert len(mailbox.messages) == 3
    with app.app_context():
        assert set(db.session.scalars(select(EmailNotice.status))) == {"sent"}


def test_dry_run_and_choices(app, members, cli, mailbox):
    mailbox.clear()
    output = cli("send-email", "--period", "2022-05", "--dry-run")
    assert "уч. 269 → orlova269@example.ru, QR-код на 4 121,45 ₽: начислено 4 121,45 ₽" in output
    assert "уч. 12а" not in output  # SMS only
    assert "Писем: 3. Будет отправлено сейчас: 3." in output
    assert mailbox.messages == []
    # The SMS go as before, to those who chose SMS.
    sms = cli("send-sms", "--period", "2022-05", "--dry-run")
    assert "уч. 268 →" in sms and "уч. 12а →" in sms and "уч. 269 →" not in sms


def test_a_mail_server_down_then_back(app, members, cli, mailbox):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    mail = app.extensions["mail"]  # Flask-Mail's settings, read from the config at start-up
    port, mail.port = mail.port, closed
    mailbox.clear()
    output = cli("send-email", "--period", "2022-05", fails=True)
    assert "НЕ ОТПРАВЛЕНО уч. 268 (petrov268@example.ru): почтовый сервер недоступен" in output
    assert "Отправка остановлена" in output and "Не отправлено ещё 2" in output
    mail.port = port
    assert "Отправлено: 3 из 3." in cli("send-email", "--period", "2022-05")
    assert len(mailbox.messages) == 3


def test_an_unconfirmed_or_blocked_account_gets_no_email(app, members, cli):
    with app.app_context():
        account = db.session.scalar(select(Account).where(Account.email == "petrov268@example.ru"))
        account.is_blocked = True
        db.session.commit()
    output = cli("send-email", "--period", "2022-05", "--dry-run")
    assert "petrov268" not in output and "Писем: 2." in output


@sqlite_only
def test_no_write_lock_is_held_while_the_mail_server_talks(app, members, cli, mailbox):
    """Shell transactions take SQLite's write lock (BEGIN IMMEDIATE); a slow mail server must not
    keep the site's writers waiting, so nothing is held open during the SMTP conversation."""
    mailbox.clear()
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    blocked: list[str] = []

    def a_writer_meanwhile() -> None:
        other = sqlite3.connect(path, timeout=0.2)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.rollback()
        except sqlite3.OperationalError as exc:
            blocked.append(str(exc))
        finally:
            other.close()

    mailbox.while_receiving = a_writer_meanwhile
    assert "Отправлено: 3 из 3." in cli("send-email", "--period", "2022-05")
    assert len(mailbox.messages) == 3
    assert blocked == []


def test_the_monthly_email_as_a_job(app, members, mailbox):
    """The send as a job (its logic, in Huey's immediate mode): the report is the shell's, and the
    job started again sends nobody a second letter."""
    mailbox.clear()
    with app.app_context():
        first = queue.submit("email", {"period": "2022-05"}, by=None)
        assert first is not None
        job = records.get(first.id)
        assert job is not None and (job.state, job.done, job.total) == (Job.DONE, 3, 3)
        assert records.lines(job) == ["Отправлено: 3 из 3."]
        again = queue.submit("email", {"period": "2022-05"}, by=None)
        assert again is not None
        assert records.lines(records.get(again.id)) == [
            "Уже отправлены раньше и не повторяются: 3.",
            "Отправлять нечего.",
        ]
    assert len(mailbox.messages) == 3


def test_the_admin_sends_the_month_s_emails_as_a_job(app, members, accounts, mailbox):
    """«Разослать письма» on the SMS page: a job whose page shows its progress and result; the
    same form again sends nothing, and «Сводка» counts what went."""
    import re

    treasurer = accounts.staff("treasurer")
    mailbox.clear()
    page = treasurer.get("/admin/sms/?period=2022-05")
    html = page.get_data(as_text=True)
    assert "Членам, выбравшим письма: к отправке 3." in page_text(page)
    form_html = html[html.index('action="/admin/sms/email"') :]
    form = dict(
        re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form_html[: form_html.index("</form>")])
    )
    done = treasurer.post("/admin/sms/email", data=form, follow_redirects=True)
    assert done.status_code == 200
    text = page_text(done)
    assert "Письма за месяц" in text and "Состояние: готово" in text and "Отправлено: 3 из 3." in text
    assert len(mailbox.messages) == 3
    again = treasurer.post("/admin/sms/email", data=form)
    assert again.status_code == 409 and len(mailbox.messages) == 3
    assert "Письма: за период 01 мая 2022 – 01 июня 2022 отправлено 3, не отправлено 0 из 3" in page_text(
        treasurer.get("/admin/")
    )


def test_the_monthly_email_carries_the_plots_one_code_for_its_whole_amount_due(app, members, cli, mailbox):
    """The same single figure and QR as the cabinet and the receipt: electricity and fees together,
    not one code per kind and year (issue 13 item 5)."""
    cli("accrue-fees", "--year", "2022", "--per-sotka", "1000", "--due", "30.06.2022")
    mailbox.clear()
    assert "Отправлено: 3 из 3." in cli("send-email", "--period", "2022-05")
    [to_269] = [m for m in mailbox.messages if "участок 269" in m["Subject"]]
    text = mailbox.text(to_269).replace("\u00a0", " ")
    combined = "уч. 269: членские 2022 7200,00; электроэнергия 4121,45"
    assert f"Всего к оплате по участку 269: 11 321,45 ₽; назначение платежа: {combined}" in text
    assert "Электроэнергия 2022:" not in text and "Членские взносы 2022:" not in text
    [image] = [part for part in to_269.iter_attachments() if part.get_content_type() == "image/png"]
    assert image.get_filename() == "qr-269.png" and image["Content-ID"] == "<qr>"
    html = to_269.get_body(preferencelist=("html",)).get_content().replace("\u00a0", " ")
    assert html.count('src="cid:qr"') == 1 and "11 321,45 ₽" in html
    fields = zbar(image.get_content())
    assert (fields["Sum"], fields["PersAcc"], fields["Purpose"]) == ("1132145", "269", combined)
    assert fields["PersonalAcc"] == SBER.account
