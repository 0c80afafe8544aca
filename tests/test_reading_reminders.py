"""The reminder to pass readings (issue 15 item 5): one per member and period, through the
monthly SMS's outbox rules, to a real HTTP gateway and a real SMTP server."""

from datetime import date

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.models import ReadingReminder
from tests.helpers import Gateway

TEXT = "СНТ Аникино: передайте показания до 30 июня на сайте snt.example"


@pytest.fixture
def gateway(app, httpserver):
    gateway = Gateway()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(gateway)
    app.config.update(SMS_BACKEND="smsru", SMSRU_URL=httpserver.url_for("/"), SMSRU_API_ID="test-key")
    return gateway


@pytest.fixture
def orlova(app, reference, accounts):
    """Орлова chose SMS and email for plots 269 and 270; Громов (271) chose neither."""
    app.config["TODAY"] = date(2022, 6, 20)  # the window's first day
    client = accounts.member("269", "orlova269@example.ru")
    data = {"plots": "269,270", "phone": "89031221105", "sms_consent": "y", "email_notices": "y"}
    assert client.post("/my-data/edit", data=data).status_code == 302
    accounts.member("271", "gromov271@example.ru")
    return client


def reminders(app) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(ReadingReminder).order_by(ReadingReminder.id))
        return [(r.channel, r.address, r.status) for r in rows]


def test_the_reminder_goes_once_per_period_by_sms_and_email(app, orlova, cli, gateway, mailbox):
    preview = cli("readings-remind", "--dry-run")
    assert "Приём показаний на 1 июля 2022 открыт до 30 июня 2022. К отправке: 2" in preview
    assert f"SMS 89031221105 (уч. 269, 270): {TEXT}" in preview
    assert "Пробный запуск (--dry-run): ничего не отправлено." in preview
    assert gateway.calls == 0 and reminders(app) == []

    assert "Отправлено: 2." in cli("readings-remind")
    assert gateway.delivered == [("79031221105", TEXT)]
    [mail] = [m for m in mailbox.to("orlova269@example.ru") if "передайте показания" in m["Subject"]]
    assert mail["Subject"] == "СНТ «Аникино»: передайте показания счётчика до\u00a030\u00a0июня"
    assert "Пора передать показания счётчика участков № 269, 270 на 1 июля 2022." in mailbox.text(mail)
    assert "https://snt.example/my-data/readings/" in mailbox.text(mail)

    again = cli("readings-remind")
    assert "К отправке: 0, уже отправлено раньше: 2" in again
    assert gateway.calls == 1
    assert reminders(app) == [("sms", "89031221105", "sent"), ("email", "orlova269@example.ru", "sent")]


def test_the_reminder_text_is_one_sms_part(app):
    from snt.notices.services import segments
    from snt.submissions.reminders import reminder_text

    with app.test_request_context():
        assert reminder_text("СНТ Аникино", date(2022, 6, 30)) == TEXT
        assert segments(TEXT) == 1
        app.config["SITE_URL"] = "https://snt-anikino-podmoskovie.example.ru"
        text = reminder_text("СНТ Аникино", date(2022, 6, 30))
        assert text == "СНТ Аникино: передайте показания счётчика до 30 июня в личном кабинете"
        assert segments(text) == 1


def test_no_reminder_once_every_plot_has_its_reading_or_when_the_window_is_closed(app, orlova, cli, gateway):
    for plot, values in (("269", {"day": "9990", "night": "3300"}), ("270", {"day": "347", "night": "244"})):
        data = {f"u{plot}-{k}": v for k, v in values.items()}
        assert orlova.post(f"/my-data/readings/{plot}", data=data).status_code == 302
    assert "К отправке: 0" in cli("readings-remind")
    app.config["TODAY"] = date(2022, 6, 10)
    assert "Приём показаний закрыт; откроется 20.06.2022." in cli("readings-remind")
    assert gateway.calls == 0


def test_old_submissions_and_their_photos_are_deleted_after_the_boards_period(app, orlova, cli):
    from tests.helpers import jpeg_with_gps
    from tests.helpers import send_reading as send

    send(orlova, day="9990", night="3300", photo=jpeg_with_gps())
    with app.app_context():
        from snt.submissions import photos, retention

        assert len(list(photos.folder().iterdir())) == 2  # full size and small
        assert retention.purge(on=date.today()) == 0
        assert retention.purge(on=date.today().replace(year=date.today().year + 2)) == 1
        assert list(photos.folder().iterdir()) == []
