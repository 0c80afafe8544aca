"""An очное meeting in the browser (issue 17): the board creates it with the rules in the agenda
form, registers one owner in person and one by proxy (uploading the proxy's document), enters the
show of hands, closes the count (the results go by email as a job) and downloads the protocol,
whose text read back from the PDF carries the numbers."""

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from snt.demo import DEMO_PASSWORDS
from snt.extensions import db
from snt.models import Person, Plot
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_meeting_votes import FEES, REPORT, _log_in
from tests.helpers import PDF


def _owner(app, number: str) -> str:
    with app.app_context():
        return db.session.scalar(select(Person).join(Person.plots).where(Plot.number == number)).full_name


def test_the_board_registers_attendance_enters_hands_and_gets_the_protocol(browse_demo, demo_site, tmp_path):
    app = demo_site.app
    app.config["CLOCK_NOW"] = "2026-12-01T10:00"
    with app.app_context():
        members = db.session.scalar(
            select(func.count()).select_from(Person).where(Person.is_member.is_(True))
        )
    first, second = _owner(app, "221"), _owner(app, "222")

    board = _log_in(browse_demo.person(DESKTOP), "board@example.ru", DEMO_PASSWORDS["board@example.ru"])
    board.open("/admin/meetings/new", "Новое общее собрание")
    board.press(board.page.get_by_label("очное", exact=True))
    board.fill(
        **{
            "Дата собрания (для заочного — последний день приёма бюллетеней)": "2026-12-20",
            "Время начала": "11:00",
        }
    )
    board.fill(**{"Место проведения": "Здание правления", "Повестка дня": f"{FEES}\n{REPORT}"})
    board.page.get_by_label("Вопрос 1: вид").select_option("fees")
    board.submit("Сохранить")
    assert "Собрание 20.12.2026 сохранено." in board.text()
    board.follow(
        board.page.get_by_role("link", name="Регистрация, голосование и подсчёт"),
        "Голосование и подсчёт: собрание 20 декабря 2026",
    )
    board.page.get_by_label("Собственник").select_option(label=f"{first} (уч. 221)")
    board.submit("Отметить присутствие")
    assert f"{first}: присутствие отмечено (лично)." in board.text()
    board.page.get_by_label("Собственник").select_option(label=f"{second} (уч. 222)")
    board.fill(**{"Представитель по доверенности": "Сидоров С. С."})
    document = tmp_path / "doverennost.pdf"
    document.write_bytes(PDF)
    board.page.get_by_label("Доверенность (скан: PDF, JPEG или PNG)").set_input_files(str(document))
    board.submit("Отметить присутствие")
    assert f"{second}: присутствие отмечено (по доверенности (Сидоров С. С.))." in board.text()
    for number, votes in ((f"1. {FEES}", ("2", "0", "0")), (f"2. {REPORT}", ("1", "1", "0"))):
        board.page.get_by_label("Вопрос", exact=True).select_option(label=number)
        board.fill(**dict(zip(("За", "Против", "Воздержались"), votes, strict=True)))
        board.submit("Внести голосование по вопросу")
    assert "Голосование по вопросу 2 внесено." in board.text()

    app.config["CLOCK_NOW"] = "2026-12-20T13:00"
    board.fill(
        **{
            "Председатель собрания": "Смирнов А. П.",
            "Секретарь собрания": "Лебедева А. М.",
            "Счётная комиссия": "Волков Д. С.",
        }
    )
    board.submit("Закрыть подсчёт голосов")
    assert "Итоги рассылаются по электронной почте" in board.text()
    with board.page.expect_download() as download:
        board.press(board.page.get_by_role("link", name="Протокол (PDF)"))
    text = " ".join(
        " ".join(
            p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages
        ).split()
    )
    assert "Форма проведения: очное. Дата проведения: 20 декабря 2026, 11:00." in text
    assert f"Членов товарищества по реестру: {members}." in text
    assert "лично — 1, по доверенности — 1" in text
    assert f"1. {FEES}" in text and "Участвовали: 2. За: 2. Против: 0. Воздержались: 0." in text
    assert f"2. {REPORT}" in text and "Участвовали: 2. За: 1. Против: 1. Воздержались: 0." in text
    assert f"{second} (уч. 222; член), по доверенности (Сидоров С. С.)" in text
    assert demo_site.mailbox.messages, "the results went by email"
