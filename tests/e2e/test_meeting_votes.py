"""Voting in the browser (issue 17): two members vote online, a third is too late, the board
enters a paper ballot with its scan, closes the count and downloads the protocol, whose text read
back from the PDF carries the numbers."""

import io
from datetime import date, time

from pypdf import PdfReader
from sqlalchemy import func, select

from snt.demo import DEMO_PASSWORDS
from snt.extensions import db
from snt.meetings import rules
from snt.models import Account, Meeting, Person, Plot, PlotClaim, utcnow
from snt.passwords import hash_password
from snt.settings import save_settings
from tests.e2e.conftest import DESKTOP, PHONE, demo_member
from tests.e2e.people import Person as Visitor
from tests.e2e.test_board import section
from tests.helpers import PDF

FEES, REPORT = "Размер членского взноса на 2027 год", "Отчёт правления за 2026 год"
PASSWORD = "Sad-2026-golos"


def _prepare(app) -> tuple[int, int]:
    """An заочное meeting ending 20.12.2026 with its rules; the устав allows e-voting; owners of
    221 and 222 get verified accounts. Returns the meeting's id and the number of members."""
    app.config["CLOCK_NOW"] = "2026-12-10T10:00"
    with app.app_context():
        save_settings({"meeting_e_voting_clause": "п. 9.12 устава"}, by=None)
        meeting = Meeting(
            form=Meeting.ABSENTEE, held_on=date(2026, 12, 20), starts_at=time(10), agenda=f"{FEES}\n{REPORT}"
        )
        db.session.add(meeting)
        db.session.flush()
        rules.save_questions(
            meeting, {1: ("fees", "two_thirds", "owners"), 2: ("reports", "majority", "members")}, by=None
        )
        for number in ("221", "222"):
            plot = db.session.scalar(select(Plot).where(Plot.number == number))
            account = Account(
                email=f"owner{number}@example.ru",
                email_confirmed_at=utcnow(),
                pd_consent_at=utcnow(),
                password_hash=hash_password(PASSWORD),
                login_plot=plot,
            )
            account.claims = [
                PlotClaim(plot=plot, status=PlotClaim.VERIFIED, decided_at=utcnow(), reason="тест")
            ]
            db.session.add(account)
        db.session.commit()
        members = db.session.scalar(
            select(func.count()).select_from(Person).where(Person.is_member.is_(True))
        )
        return meeting.id, members


def _log_in(visitor: Visitor, login: str, password: str) -> Visitor:
    visitor.open("/auth/login", "Вход в личный кабинет")
    return visitor.log_in_here(login, password)


def _vote(visitor: Visitor, meeting_id: int, *answers: str) -> None:
    visitor.open(f"/meetings/{meeting_id}/vote", "Голосование: общее собрание 20 декабря 2026")
    for question, answer in zip((FEES, REPORT), answers, strict=True):
        group = visitor.page.get_by_role("group", name=question)
        visitor.press(group.get_by_label(answer, exact=True))
    visitor.submit("Отправить бюллетень")


def test_two_vote_online_one_late_the_board_enters_paper_closes_and_gets_the_protocol(
    browse_demo, demo_site, tmp_path
):
    app = demo_site.app
    meeting_id, members = _prepare(app)

    orlova = demo_member(browse_demo, PHONE)
    _vote(orlova, meeting_id, "за", "за")
    assert "Квитанция: бюллетень получен" in orlova.text()
    assert f"{FEES} — за {REPORT} — за" in orlova.text()
    assert "Итоги голосования будут видны здесь после окончания приёма бюллетеней." in orlova.text()
    assert len(demo_site.mailbox.to("orlova269@example.ru")) == 1  # the receipt

    second = _log_in(browse_demo.person(DESKTOP), "221", PASSWORD)
    _vote(second, meeting_id, "против", "воздержался")
    assert "Квитанция: бюллетень получен" in second.text()

    late = _log_in(browse_demo.person(PHONE), "222", PASSWORD)
    late.open(f"/meetings/{meeting_id}/vote", "Голосование: общее собрание 20 декабря 2026")
    for question in (FEES, REPORT):
        late.press(late.page.get_by_role("group", name=question).get_by_label("за", exact=True))

    board = _log_in(browse_demo.person(DESKTOP), "board@example.ru", DEMO_PASSWORDS["board@example.ru"])
    board.follow(board.page.get_by_role("link", name="Администрирование"), "Администрирование: сводка")
    section(board, "Собрания", "Общие собрания")
    board.follow(board.page.get_by_role("link", name="20 декабря 2026"), "Общее собрание 20 декабря 2026")
    board.follow(
        board.page.get_by_role("link", name="Голосование и подсчёт"),
        "Голосование и подсчёт: собрание 20 декабря 2026",
    )
    with app.app_context():
        paper_person = db.session.scalar(select(Person).join(Person.plots).where(Plot.number == "223"))
        paper_name = paper_person.full_name
    board.page.get_by_label("Собственник").select_option(label=f"{paper_name} (уч. 223)")
    board.press(board.page.get_by_role("group", name=f"1. {FEES}").get_by_label("за", exact=True))
    board.press(board.page.get_by_role("group", name=f"2. {REPORT}").get_by_label("против", exact=True))
    scan = tmp_path / "byulleten-223.pdf"
    scan.write_bytes(PDF)
    board.page.get_by_label("Скан подписанного бюллетеня (PDF, JPEG или PNG)").set_input_files(str(scan))
    board.submit("Внести бюллетень")
    assert f"Бумажный бюллетень {paper_name} внесён." in board.text()
    assert f"Бюллетеней получено: 3 (членов — 3 из {members}" in board.text()

    app.config["CLOCK_NOW"] = "2026-12-21T00:00"  # the deadline has passed in Moscow
    late.submit("Отправить бюллетень")
    assert "Приём бюллетеней закончился 20 декабря 2026 включительно. Бюллетень не принят." in late.text()

    board.open(f"/admin/meetings/{meeting_id}/votes")
    board.fill(
        **{
            "Председатель собрания": "Смирнов А. П.",
            "Секретарь собрания": "Лебедева А. М.",
            "Счётная комиссия": "Волков Д. С.\nКузнецова О. И.",
        }
    )
    board.submit("Закрыть подсчёт голосов")
    assert "Подсчёт голосов закрыт. Протокол готов к скачиванию." in board.text()
    with board.page.expect_download() as download:
        board.press(board.page.get_by_role("link", name="Протокол (PDF)"))
    text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
        ).split()
    )
    assert "Форма проведения: заочное." in text
    assert f"Членов товарищества по реестру: {members}." in text
    assert "Приняли участие членов товарищества: 3; собственников без членства: 0." in text
    assert f"Кворум отсутствует: для кворума нужно не менее {members // 2 + 1} членов" in text
    assert f"1. {FEES}" in text and "Участвовали: 3. За: 2. Против: 1. Воздержались: 0." in text
    assert f"2. {REPORT}" in text and "Участвовали: 3. За: 1. Против: 1. Воздержались: 1." in text
    assert "Решение: НЕ ПРИНЯТО (нет кворума)." in text
    assert "Приложение: бюллетени (3)" in text and f"{paper_name} (уч. 223; член), бумажный" in text

    orlova.open(f"/meetings/{meeting_id}/vote")
    assert "Итоги голосования" in orlova.text() and "Кворум (более половины членов" in orlova.text()
