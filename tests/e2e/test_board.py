"""A board member in the browser: approves a member's claim, publishes an announcement; the
member sees the plot's figures and the announcement."""

from snt.demo import DEMO_PASSWORDS
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.people import Person

PASSWORD = "Garden-250!"


def section(board: Person, name: str, heading: str) -> None:
    """Choose a section in the admin area's own menu."""
    nav = board.page.get_by_role("navigation", name="Разделы администрирования")
    board.follow(nav.get_by_role("link", name=name, exact=True), heading)


def approve(board: Person, plot: str) -> None:
    row = board.page.locator("tr", has=board.page.get_by_role("rowheader", name=plot, exact=True))
    board.follow(row.get_by_role("button", name="Подтвердить"))


def test_board_approves_a_claim_and_publishes_an_announcement(browse_demo):
    member = browse_demo.person(PHONE)
    member.open("/", "Объявления")
    member.register("250", "new250@example.ru", PASSWORD)
    member.open_emailed_link("new250@example.ru", "/auth/confirm/", "250")
    member.enter_plots("250,251")
    assert "250 — ожидает подтверждения правлением" in member.text()
    assert "251 — ожидает подтверждения правлением" in member.text()

    board: Person = browse_demo.person(DESKTOP)
    board.open("/auth/login", "Вход в личный кабинет")
    board.log_in_here("board@example.ru", DEMO_PASSWORDS["board@example.ru"])
    board.follow(board.page.get_by_role("link", name="Администрирование"), "Администрирование: сводка")
    section(board, "Заявки на участки", "Заявки на участки")
    approve(board, "250")
    approve(board, "251")
    assert "Заявок нет." in board.text()  # the pending list is empty now

    section(board, "Объявления", "Объявления")
    board.follow(board.page.get_by_role("link", name="Новое объявление"), "Новое объявление")
    board.fill(Заголовок="Отключение электричества 20 июня", Текст="С 10:00 до 14:00 — **ремонт линии**.")
    board.press(board.page.get_by_label("Опубликовать (без отметки — черновик, его видит только правление)"))
    board.submit("Сохранить")

    member.open("/", "Объявления")
    assert "Отключение электричества 20 июня" in member.text()
    member.menu("Мои данные", "Статус моих оплат")
    assert "Участок 250" in member.text() and "Участок 251" in member.text()
    assert "ожидает подтверждения правлением" not in member.text()
