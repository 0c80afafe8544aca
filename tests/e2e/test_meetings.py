"""A general meeting in the browser (issue 16): the board creates it, uploads and attaches a
document, sends the notice; a member sees «Собрания», the banner and the material."""

from datetime import timedelta

from snt import clock
from snt.demo import DEMO_PASSWORDS
from snt.templating import ru_date
from tests.e2e.conftest import DESKTOP, PHONE, demo_member
from tests.e2e.people import Person
from tests.e2e.test_board import section
from tests.helpers import PDF


def test_board_sends_a_meeting_notice_and_a_member_sees_it(browse_demo, demo_site, tmp_path):
    with demo_site.app.app_context():
        held_on = clock.today() + timedelta(days=30)
    board: Person = browse_demo.person(DESKTOP)
    board.open("/auth/login", "Вход в личный кабинет")
    board.log_in_here("board@example.ru", DEMO_PASSWORDS["board@example.ru"])
    board.follow(board.page.get_by_role("link", name="Администрирование"), "Администрирование: сводка")

    section(board, "Документы", "Документы")
    draft = tmp_path / "smeta-2027.pdf"
    draft.write_bytes(PDF)
    board.page.get_by_label("Файл").set_input_files(str(draft))
    board.fill(Название="Проект сметы на 2027 год")
    board.submit("Загрузить")

    section(board, "Собрания", "Общие собрания")
    board.follow(board.page.get_by_role("link", name="Новое собрание"), "Новое общее собрание")
    board.page.get_by_label("очно-заочное").check()
    board.fill(
        **{
            "Дата собрания (для заочного — последний день приёма бюллетеней)": held_on.isoformat(),
            "Время начала": "11:00",
            "Место проведения": "Площадка у правления",
            "Повестка дня": "Утверждение сметы на 2027 год\nВыборы ревизионной комиссии",
        }
    )
    board.submit("Сохранить")
    assert f"Последний день рассылки уведомления {held_on - timedelta(days=14):%d.%m.%Y}" in board.text()
    board.page.get_by_label("Документ из раздела «Документы»").select_option(label="Проект сметы на 2027 год")
    board.submit("Прикрепить")
    assert "Проект сметы на 2027 год — открыт" in board.text()
    # A job on the task queue (run at once by the test site): its page shows the progress and the result.
    board.page.set_default_timeout(90_000)
    board.submit("Разослать уведомление")
    board.page.set_default_timeout(10_000)
    assert "Уведомление об общем собрании" in board.text() and "Состояние: готово" in board.text()
    assert "Писем отправлено:" in board.text()
    board.follow(board.page.get_by_role("link", name="К собранию"), f"Общее собрание {ru_date(held_on)}")
    assert "Журнал уведомлений" in board.text() and "orlova269@example.ru" in board.text()
    assert len(demo_site.mailbox.to("orlova269@example.ru")) == 1

    member = demo_member(browse_demo, PHONE)
    assert "Общее собрание:" in member.text()  # the banner on the cabinet's page
    member.follow(
        member.page.get_by_role("navigation", name="Главное меню").get_by_role(
            "link", name="Собрания", exact=True
        ),
        "Общие собрания",
    )
    member.follow(
        member.page.get_by_role("link", name=ru_date(held_on), exact=True),
        f"Общее собрание {ru_date(held_on)}",
    )
    assert "Утверждение сметы на 2027 год" in member.text()
    with member.page.expect_download() as download:
        member.press(member.page.get_by_role("link", name="Проект сметы на 2027 год"))
    assert download.value.suggested_filename == "smeta-2027.pdf"
