"""General meetings (issue 16): the legal deadlines on a fake clock, the notice over real SMTP
once per owner even after a crash halfway, the list for letters, the delivery log and its PDF,
the members' «Собрания» and banner, and `flask meeting notice-dry-run`."""

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from snt.extensions import db
from snt.meetings import notice
from snt.models import Meeting, MeetingNotice, Person
from tests.helpers import DATA, PDF, page_text

MEETING_DAY = date(2026, 12, 20)
AGENDA = "Утверждение сметы на 2027 год\nВыборы председателя правления"
OWNERS_WITH_EMAIL = ["belova12a@example.ru", "orlova269@example.ru", "petrov268@example.ru"]


class Boom(Exception):
    """A crash halfway through the send (the process dies between two owners)."""


@pytest.fixture
def owners(app, cli):
    """The sample registry: Петров (268), Орлова (269, 270), Громов (271, no email), Белова (12а)."""
    cli("import-plots", str(DATA / "registry-cp1251.csv"))
    with app.app_context():
        gromov = db.session.scalar(select(Person).where(Person.full_name == "Громов Алексей"))
        gromov.postal_address = "301000, Тульская обл., г. Тула, ул. Мира, д. 5, кв. 7"
        db.session.commit()


def at(app, when: str) -> None:
    """Set the site's clock (local time in the partnership's zone, or an aware ISO time)."""
    app.config["CLOCK_NOW"] = when


def new_meeting(board, **changes) -> int:
    data = {
        "form": "in_person",
        "held_on": MEETING_DAY.isoformat(),
        "starts_at": "11:00",
        "place": "Правление, ул. 5, д. 1",
        "agenda": AGENDA,
    } | changes
    response = board.post("/admin/meetings/new/save", data=data)
    assert response.status_code == 302, page_text(response)
    return int(response.headers["Location"].rsplit("/", 1)[1])


@pytest.fixture
def board(app, owners, accounts):
    at(app, "2026-11-20T10:00")
    return accounts.staff("board")


def test_the_meeting_page_shows_the_deadlines(app, board):
    meeting_id = new_meeting(board)
    text = page_text(board.get(f"/admin/meetings/{meeting_id}"))
    assert (
        "Последний день рассылки уведомления 06.12.2026 (за 14 дн. до собрания, 217-ФЗ ст. 17 ч. 13)" in text
    )
    assert "Последний день открыть материалы 13.12.2026 (за 7 дн., ст. 17 ч. 17)" in text
    assert "1. Утверждение сметы на 2027 год" not in text  # an <ol>: the browser numbers it
    assert "Утверждение сметы на 2027 год Выборы председателя правления" in text


def test_a_notice_13_days_before_is_refused_14_days_passes(app, board, mailbox):
    meeting_id = new_meeting(board)
    at(app, "2026-12-07T09:00")  # 13 days before
    response = board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    assert response.status_code == 409
    text = page_text(response)
    assert (
        "Уведомление о собрании 20.12.2026 нужно было разослать не позднее 06.12.2026: не менее чем за 14 дней "
        "до собрания (217-ФЗ, ст. 17, ч. 13). Сегодня 07.12.2026 — поздно. Самая ранняя законная дата собрания "
        "при рассылке сегодня — 21.12.2026" in text
    )
    assert mailbox.messages == []
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).notice_started_at is None
    at(app, "2026-12-06T23:59")  # 14 days before, the last minute of the day in Moscow
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={}).status_code == 302
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == OWNERS_WITH_EMAIL


def test_the_day_is_counted_in_the_partnerships_time_zone(app, board):
    meeting_id = new_meeting(board)
    at(app, datetime(2026, 12, 6, 21, 30, tzinfo=UTC).isoformat())  # 00:30 on 7 December in Moscow
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={}).status_code == 409
    app.config["TIMEZONE"] = "Europe/Kaliningrad"  # 23:30 on 6 December there
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={}).status_code == 302


def test_a_longer_period_from_the_charter_and_never_shorter_than_the_law(app, board):
    from snt.settings import SettingsError, save_settings

    with app.app_context():
        save_settings({"meeting_notice_days": "20"}, by=None)
        with pytest.raises(SettingsError, match="не меньше 14"):
            save_settings({"meeting_notice_days": "13"}, by=None)
        with pytest.raises(SettingsError, match="не меньше 7"):
            save_settings({"meeting_materials_days": "6"}, by=None)
    meeting_id = new_meeting(board)
    at(app, "2026-12-06T09:00")  # 14 days: lawful, but the charter asks 20
    response = board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    assert response.status_code == 409
    assert (
        "не позднее 30.11.2026: не менее чем за 20 дней до собрания (217-ФЗ, ст. 17, ч. 13, и устав"
        in page_text(response)
    )


def test_the_notice_goes_once_per_owner_even_after_a_crash_halfway(app, board, mailbox):
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    sent_before_crash = []

    def crash_after_the_first(_: int) -> None:
        sent_before_crash.append(1)
        raise Boom

    with app.app_context():
        with pytest.raises(Boom):
            notice.send_notice(db.session.get(Meeting, meeting_id), None, progress=crash_after_the_first)
        db.session.remove()
    assert len(mailbox.messages) == 1
    at(app, "2026-12-18T10:00")  # resuming is never refused, even two days before the meeting
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={}).status_code == 302
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == OWNERS_WITH_EMAIL
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={}).status_code == 302  # nothing left
    assert len(mailbox.messages) == 3
    [to_orlova] = mailbox.to("orlova269@example.ru")
    assert to_orlova["Subject"] == "СНТ «Аникино»: уведомление об общем собрании 20 декабря 2026"
    body = mailbox.text(to_orlova).replace("\r\n", "\n")
    assert "Здравствуйте, Орлова Наталья Викторовна!" in body
    assert "уведомляет о проведении общего собрания членов товарищества в очной форме." in body
    assert "Когда и где: 20 декабря 2026, 11:00, Правление, ул. 5, д. 1." in body
    assert "1. Утверждение сметы на 2027 год\n2. Выборы председателя правления" in body
    assert f"https://snt.example/meetings/{meeting_id}" in body


def test_the_notice_is_a_job_shown_with_progress_and_safe_to_rerun(app, board, mailbox, monkeypatch):
    """The button starts the notice and leaves the sending to a job on the task queue; the worker
    dies after the second email; the board reruns the job from its page: the rest goes, nobody
    gets two."""
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    original = notice.claim_draft
    claims = []

    def dies_before_the_second(meeting, draft):
        claims.append(draft.address)
        if len(claims) == 2:
            raise RuntimeError("worker killed")
        return original(meeting, draft)

    monkeypatch.setattr(notice, "claim_draft", dies_before_the_second)
    response = board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    assert response.status_code == 302 and "/admin/jobs/" in response.headers["Location"]
    job_page = response.headers["Location"]
    text = page_text(board.get(job_page))
    assert "Уведомление об общем собрании" in text and "Состояние: ошибка" in text
    assert "обработано 1 из 3" in text and "Запустить снова" in text
    assert [m["X-Envelope-To"] for m in mailbox.messages] == claims[:1]
    monkeypatch.setattr(notice, "claim_draft", original)
    assert board.post(f"{job_page}/rerun", data={}).status_code == 302
    text = page_text(board.get(job_page))
    assert "Состояние: готово" in text and "обработано 2 из 2" in text
    assert "Уже отправлены раньше и не повторяются: 1. Писем отправлено: 2." in text
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == OWNERS_WITH_EMAIL
    assert "К собранию" in text
    assert board.post(f"{job_page}/rerun", data={}).status_code == 302  # done: nothing happens
    assert len(mailbox.messages) == 3
    with app.app_context():
        assert db.session.query(Meeting).count() == 1


def test_a_crash_between_claim_and_send_is_held_not_resent(app, board, mailbox):
    """The row was committed as pending and the process died before the mail server answered: the
    owner may have got the email, so a rerun holds it and the board decides."""
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        original = notice._send_email

        def die_before_sending(m, draft, send=None):
            raise Boom

        notice._send_email = die_before_sending
        try:
            with pytest.raises(Boom):
                notice.send_notice(meeting, None)
        finally:
            notice._send_email = original
        db.session.remove()
    assert mailbox.messages == []
    text = page_text(board.post(f"/admin/meetings/{meeting_id}/notice", data={}, follow_redirects=True))
    assert "Писем отправлено: 2." in text
    assert "Не отправляются повторно (1): прошлый запуск прервался, письма могли дойти." in text
    text = page_text(board.get(f"/admin/meetings/{meeting_id}"))
    assert "Могли не дойти" in text and "Белова Ирина (belova12a@example.ru) Отправить ещё раз" in text
    assert "belova12a@example.ru" not in [m["X-Envelope-To"] for m in mailbox.messages]
    with app.app_context():
        row = db.session.scalar(select(MeetingNotice).where(MeetingNotice.address == "belova12a@example.ru"))
        row_id = row.id
    text = page_text(
        board.post(f"/admin/meetings/{meeting_id}/retry", data={"row": row_id}, follow_redirects=True)
    )
    assert "Белова Ирина: отправлено." in text
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == OWNERS_WITH_EMAIL


def test_letters_board_notice_log_and_its_pdf(app, board, mailbox):
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    letters = page_text(board.get(f"/admin/meetings/{meeting_id}/letters"))
    assert "1 Громов Алексей 271 301000, Тульская обл., г. Тула, ул. Мира, д. 5, кв. 7" in letters
    assert "Орлова" not in letters
    assert "скачайте PDF (A4)" in letters
    letters_pdf = board.get(f"/admin/meetings/{meeting_id}/letters.pdf")
    assert letters_pdf.status_code == 200 and letters_pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(letters_pdf.data))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4, portrait
    letters_text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "владельцы без электропочты — письма об общем собрании 20 декабря 2026" in letters_text
    assert "Владельцев: 1." in letters_text
    assert "1 Громов Алексей 271 301000, Тульская обл., г. Тула, ул. Мира, д. 5, кв. 7" in letters_text
    assert "Орлова" not in letters_text

    poster = board.get(f"/admin/meetings/{meeting_id}/board.pdf")
    assert poster.status_code == 200 and poster.mimetype == "application/pdf"
    poster_text = PdfReader(io.BytesIO(poster.data)).pages[0].extract_text()
    assert "УВЕДОМЛЕНИЕ" in poster_text and "Размещено на щите" in poster_text
    assert "1. Утверждение сметы на 2027 год" in poster_text

    jpeg = b"\xff\xd8\xff\xe0" + b"0" * 100
    response = board.post(
        f"/admin/meetings/{meeting_id}/board",
        data={"posted_on": "2026-12-02", "photo": (io.BytesIO(jpeg), "shchit.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert board.get(f"/admin/meetings/{meeting_id}/board-photo").data == jpeg
    bad = board.post(
        f"/admin/meetings/{meeting_id}/board",
        data={"posted_on": "2026-12-02", "photo": (io.BytesIO(b"GIF89a"), "x.gif")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "Нужна фотография в формате JPEG или PNG." in page_text(bad)

    page = page_text(board.get(f"/admin/meetings/{meeting_id}"))
    assert "Информационный щит: размещено 02.12.2026, фото приложено." in page
    assert "Громов Алексей 271 письмо по почтовому адресу" in page

    pdf = board.get(f"/admin/meetings/{meeting_id}/log.pdf")
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    for name, channel in [
        ("Петров Сергей Николаевич", "электропочта"),
        ("Орлова Наталья Викторовна", "электропочта"),
        ("Громов Алексей", "письмо по почтовому"),
        ("Белова Ирина", "электропочта"),
    ]:
        assert name in text and channel in text
    assert text.count("01.12.2026 10:00") == 4 + 3  # every owner's line has its time; the start, site, footer
    assert "Объявление на сайте: опубликовано 01.12.2026 10:00, закреплено до 20 декабря 2026." in text

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(board.get(f"/admin/meetings/{meeting_id}/log.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Владелец", "Участки", "Канал")
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {
        "Петров Сергей Николаевич",
        "Орлова Наталья Викторовна",
        "Громов Алексей",
        "Белова Ирина",
    }
    assert by_name["Орлова Наталья Викторовна"][1:6] == (
        "269, 270", "электропочта", "orlova269@example.ru", "отправлено", "01.12.2026 10:00"
    )  # fmt: skip
    assert by_name["Орлова Наталья Викторовна"][6].startswith("принято почтовым сервером (<")


def test_the_announcement_is_pinned_until_the_meeting(app, board, client, mailbox):
    with app.app_context():
        from snt.models import Announcement

        db.session.add(Announcement(title="Новость поновее", body="…", published_at=datetime(2026, 12, 5)))
        db.session.commit()
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    at(app, "2026-12-10T10:00")
    text = page_text(client.get("/"))
    assert text.index("Общее собрание членов товарищества 20 декабря 2026") < text.index("Новость поновее")
    at(app, "2026-12-21T10:00")
    text = page_text(client.get("/"))
    assert text.index("Новость поновее") < text.index("Общее собрание членов товарищества 20 декабря 2026")


def test_materials_missing_seven_days_ahead_warn_on_the_summary(app, board):
    meeting_id = new_meeting(board)
    at(app, "2026-12-12T10:00")
    assert "материалы не открыты" not in page_text(board.get("/admin/"))
    at(app, "2026-12-13T10:00")
    warning = (
        "Собрание 20.12.2026: материалы не открыты владельцам за 7 дней (не позднее 13.12.2026). "
        "Прикрепите документы на странице собрания."
    )
    assert warning in page_text(board.get("/admin/"))
    assert "Собрание 20.12.2026: уведомление не разослано, а последний срок — 06.12.2026." in page_text(
        board.get("/admin/")
    )
    from snt.public import documents

    with app.app_context():
        document = documents.upload(
            io.BytesIO(PDF), "Смета.pdf", "Проект сметы 2027", "budget", False, by=None
        )
        document_id = document.id
    at(app, "2026-12-14T10:00")  # a day late
    assert (
        board.post(f"/admin/meetings/{meeting_id}/materials", data={"document": document_id}).status_code
        == 302
    )
    assert "Проект сметы 2027 — открыт 14.12.2026 10:00" in page_text(
        board.get(f"/admin/meetings/{meeting_id}")
    )
    assert "Собрание 20.12.2026: материалы открыты с опозданием — 14.12.2026 вместо 13.12.2026" in page_text(
        board.get("/admin/")
    )
    at(app, "2026-12-21T10:00")
    assert "материалы" not in page_text(board.get("/admin/"))


def test_members_see_meetings_the_banner_and_materials_if_verified(app, board, accounts, client):
    from snt.public import documents

    with app.app_context():
        document_id = documents.upload(
            io.BytesIO(PDF), "Смета.pdf", "Проект сметы 2027", "budget", False, by=None
        ).id
    meeting_id = new_meeting(board)
    board.post(f"/admin/meetings/{meeting_id}/materials", data={"document": document_id})
    member = accounts.member("269", "orlova269@example.ru")  # verified: the registry's email
    stranger = accounts.member("271", "someone@example.ru")  # waits for the board
    assert "Общее собрание:" not in page_text(member.get("/my-data/payments/"))  # no notice yet
    at(app, "2026-12-01T10:00")
    board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    assert "Собрания" in page_text(member.get("/"))
    for path in ("/my-data/payments/", "/my-data/electricity/", "/my-data/"):
        assert (
            "Общее собрание: 20 декабря 2026, 11:00, Правление, ул. 5, д. 1. Повестка и материалы"
            in page_text(member.get(path))
        )
    assert "Общее собрание:" not in page_text(member.get("/contacts"))
    listing = page_text(member.get("/meetings/"))
    assert "Предстоящие 20 декабря 2026 — очное собрание, вопросов: 2" in listing
    page = member.get(f"/meetings/{meeting_id}")
    assert "Проект сметы 2027" in page_text(page)
    assert member.get(f"/meetings/{meeting_id}/materials/{document_id}").data == PDF
    assert "ещё не подтверждён" in page_text(stranger.get(f"/meetings/{meeting_id}"))
    assert stranger.get(f"/meetings/{meeting_id}/materials/{document_id}").status_code == 403
    assert client.get("/meetings/").status_code == 302  # a guest logs in first
    at(app, "2026-12-21T10:00")
    assert "Общее собрание:" not in page_text(member.get("/my-data/payments/"))
    assert "Прошедшие 20 декабря 2026" in page_text(member.get("/meetings/"))


def test_meeting_form_errors_in_russian(app, board):
    cases = [
        ({"held_on": ""}, "Укажите дату собрания"),
        ({"held_on": "2026-11-01"}, "Дата собрания уже прошла."),
        ({"place": ""}, "Укажите место проведения собрания."),
        ({"starts_at": ""}, "Укажите время начала, например 11:00."),
        ({"agenda": "  \n "}, "Впишите вопросы повестки, каждый с новой строки."),
        ({"form": "other"}, "Not a valid choice"),
    ]
    for change, message in cases:
        data = {
            "form": "in_person",
            "held_on": "2026-12-20",
            "starts_at": "11:00",
            "place": "П",
            "agenda": "В",
        }
        response = board.post("/admin/meetings/new/save", data=data | change)
        assert response.status_code == 422, change
        assert message in page_text(response) or (
            message == "Not a valid choice" and "Проверьте поля" in page_text(response)
        )
    absentee = new_meeting(board, form="absentee", starts_at="", place="")
    text = page_text(board.get(f"/admin/meetings/{absentee}"))
    assert (
        "Бюллетени принимаются заочное голосование, бюллетени принимаются до 20 декабря 2026 включительно"
        in text
    )


def test_a_noticed_meeting_keeps_what_the_owners_were_told(app, board, mailbox):
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    board.post(f"/admin/meetings/{meeting_id}/notice", data={})
    data = {
        "form": "in_person",
        "held_on": "2026-12-27",
        "starts_at": "11:00",
        "place": "П",
        "agenda": AGENDA,
    }
    response = board.post(f"/admin/meetings/{meeting_id}/save", data=data, follow_redirects=True)
    assert "Уведомление уже разослано: дату, время, место, форму и повестку менять нельзя." in page_text(
        response
    )
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).held_on == MEETING_DAY


def test_notice_dry_run_in_the_shell(app, board, cli, runner):
    meeting_id = new_meeting(board)
    output = cli("meeting", "notice-dry-run", str(meeting_id))
    assert "Собрание № 1: очное, 20 декабря 2026, 11:00, Правление, ул. 5, д. 1." in output
    assert "Сегодня 20.11.2026. Разослать уведомление не позднее 06.12.2026 (за 14 дн.)." in output
    assert "письмо: Орлова Наталья Викторовна (уч. 269, 270) → orlova269@example.ru" in output
    assert "почта: Громов Алексей (уч. 271) → 301000, Тульская обл." in output
    assert "Писем: 3, будет отправлено сейчас: 3. Писем по почте: 1." in output
    help_text = runner.invoke(args=["meeting", "--help"]).output
    assert "Общие собрания: уведомление, его сроки и рассылка." in help_text
    assert (
        "Показать, кто и каким способом получит уведомление"
        in runner.invoke(args=["meeting", "notice-dry-run", "--help"]).output
    )
    at(app, "2026-12-10T10:00")
    assert "РАССЫЛКА НЕВОЗМОЖНА: Уведомление о собрании 20.12.2026 нужно было разослать" in cli(
        "meeting", "notice-dry-run", str(meeting_id)
    )
    assert "нужно было разослать не позднее 06.12.2026" in cli(
        "meeting", "send-notice", str(meeting_id), fails=True
    )
    assert "Собрания № 99 нет." in cli("meeting", "notice-dry-run", "99", fails=True)


def test_sms_as_an_extra_channel_to_those_who_chose_it(app, board, accounts, mailbox):
    """Петров chose SMS in his cabinet: with the board's tick he gets an SMS besides the email."""
    petrov = accounts.member("268", "petrov268@example.ru")
    data = {
        "plots": "268",
        "full_name": "",
        "contact_persons": "",
        "phone": "89165551268",
        "sms_consent": "y",
    }
    assert petrov.post("/my-data/edit", data=data).status_code == 302
    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    assert board.post(f"/admin/meetings/{meeting_id}/notice", data={"sms": "y"}).status_code == 302
    sms_log = (Path(app.instance_path) / "outbox" / "sms.log").read_text(encoding="utf-8")
    assert (
        f"79165551268\tСНТ Аникино: общее собрание 20.12.2026 11:00. Повестка: https://snt.example/meetings/{meeting_id}"
        in sms_log
    )
    assert len(mailbox.to("petrov268@example.ru")) == 2  # the email (and the earlier confirmation link)
    with app.app_context():
        rows = db.session.scalars(select(MeetingNotice).where(MeetingNotice.channel == "sms")).all()
        assert [(r.person_name, r.address, r.status) for r in rows] == [
            ("Петров Сергей Николаевич", "89165551268", "sent")
        ]
    board.post(f"/admin/meetings/{meeting_id}/notice", data={"sms": "y"})  # nothing twice
    assert (Path(app.instance_path) / "outbox" / "sms.log").read_text(encoding="utf-8").count(
        "общее собрание"
    ) == 1


def test_the_meeting_page_runs_a_bounded_number_of_queries(app, board, cli, tmp_path):
    """The notice's plan, the log and the letters: the same number of queries for 5 or 45 owners."""
    from tests.helpers import counting_statements, write_csv

    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    board.post(f"/admin/meetings/{meeting_id}/notice", data={})

    def queries() -> int:
        with counting_statements(app) as counter:
            assert board.get(f"/admin/meetings/{meeting_id}").status_code == 200
            assert board.get(f"/admin/meetings/{meeting_id}/letters").status_code == 200
        return counter.count

    few = queries()
    rows = [["Участок", "Владелец", "Почтовый адрес"]] + [
        [str(n), f"Иванов {n}", f"ул. {n}"] for n in range(300, 340)
    ]
    cli("import-plots", write_csv(tmp_path / "more.csv", rows))
    assert queries() == few
    pdf = PdfReader(io.BytesIO(board.get(f"/admin/meetings/{meeting_id}/letters.pdf").data))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Владельцев: 41." in text
    assert "41 Иванов 339 339 ул. 339" in text


def test_a_mail_server_down_then_back(app, board, mailbox):
    import socket

    meeting_id = new_meeting(board)
    at(app, "2026-12-01T10:00")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    mail = app.extensions["mail"]
    port, mail.port = mail.port, closed
    text = page_text(board.post(f"/admin/meetings/{meeting_id}/notice", data={}, follow_redirects=True))
    assert "Писем отправлено: 0." in text and "отправка остановлена: почтовый сервер недоступен" in text
    text = page_text(board.get(f"/admin/meetings/{meeting_id}"))
    assert "Белова Ирина 12а электропочта belova12a@example.ru не отправлено" in text
    mail.port = port
    at(app, "2026-12-15T10:00")  # the notice was started in time: going on later is allowed
    text = page_text(board.post(f"/admin/meetings/{meeting_id}/notice", data={}, follow_redirects=True))
    assert "Писем отправлено: 3." in text
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == OWNERS_WITH_EMAIL
