"""A 360×740 phone: the menu by touch and by keyboard, wide tables, tap targets."""

import pytest

from snt.demo import DEMO_PASSWORDS
from tests.e2e.checks import focus_ring, page_problems, small_targets
from tests.e2e.conftest import DESKTOP, PHONE, demo_member

MENU = {
    "Финансы": ["Смета", "Отчёты", "Протоколы собраний", "Реквизиты для оплаты"],
    "Мои данные": ["Войти", "Зарегистрироваться"],
    "Помощь": ["Как работать с личным кабинетом", "Скачать инструкцию по работе с личным кабинетом",
               "Написать правлению"],
}  # fmt: skip


def box(locator) -> dict:
    return locator.bounding_box()


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_drop_down_opens_by_touch_inside_the_screen(browse_demo, size):
    visitor = browse_demo.person(size)
    visitor.open("/", "Объявления")
    nav = visitor.page.get_by_role("navigation", name="Главное меню")
    width = size["viewport"]["width"]
    for group, items in MENU.items():
        visitor.press(nav.locator("summary", has_text=group))
        panel = nav.locator("details[open] ul")
        assert panel.locator("a, button").all_inner_texts() == items
        assert box(panel)["x"] >= 0 and box(panel)["x"] + box(panel)["width"] <= width, group
        assert small_targets(visitor.page) == []
        assert page_problems(visitor.page) == []  # contrast of the open menu too
    # Only one drop-down is open at a time (<details name="menu">), without JavaScript.
    assert nav.locator("details[open]").count() == 1
    visitor.follow(nav.get_by_role("link", name="Написать правлению"), "Контакты")


def test_the_menu_works_by_touch_with_javascript_off(browse_demo):
    visitor = browse_demo.person(PHONE, java_script_enabled=False)
    visitor.open("/", "Объявления")
    visitor.menu("Финансы", "Реквизиты для оплаты", "Реквизиты для оплаты")
    nav = visitor.page.get_by_role("navigation", name="Главное меню")
    visitor.press(nav.locator("summary", has_text="Помощь"))
    assert nav.get_by_role("link", name="Написать правлению").is_visible()
    visitor.press(nav.locator("summary", has_text="Помощь"))  # a second tap closes it
    assert not nav.get_by_role("link", name="Написать правлению").is_visible()


def test_the_menu_works_by_keyboard_with_a_visible_focus(browse_demo):
    visitor = browse_demo.person(PHONE)
    visitor.open("/", "Объявления")
    page, keyboard = visitor.page, visitor.page.keyboard
    focused = []
    while len(focused) < 6:
        keyboard.press("Tab")
        ring = focus_ring(page)
        assert ring["width"] >= 2 and ring["contrast"] >= 3, ring
        focused.append(ring["element"])
        if "Финансы" in ring["element"]:
            break
    assert focused[:2] == ['a "Перейти к содержимому"', 'a "СНТ «Аникино»"']
    keyboard.press("Enter")  # opens the drop-down
    keyboard.press("Tab")
    ring = focus_ring(page)
    assert ring["element"] == 'a "Смета"' and ring["contrast"] >= 3, ring
    keyboard.press("Escape")  # progressive extra: closes it and returns to «Финансы»
    assert focus_ring(page)["element"] == 'summary "Финансы"'
    assert not page.get_by_role("link", name="Смета").is_visible()
    keyboard.press("Space")
    keyboard.press("Tab")
    with page.expect_navigation():
        keyboard.press("Enter")
    visitor.arrived("Смета")


def test_every_control_of_a_form_shows_its_focus(browse_demo):
    visitor = browse_demo.person(PHONE)
    visitor.open("/auth/register", "Зарегистрироваться")
    seen = set()
    for _ in range(40):
        visitor.page.keyboard.press("Tab")
        ring = focus_ring(visitor.page)
        if ring is None or ring["element"] in seen:
            continue
        seen.add(ring["element"])
        assert ring["width"] >= 2 and ring["contrast"] >= 3, ring
    assert {'input "plot_number"', 'input "consent"', 'input "Зарегистрироваться"'} <= seen


def test_the_electricity_table_scrolls_inside_its_box_with_the_plot_column_fixed(browse_demo):
    orlova = demo_member(browse_demo)
    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    page = orlova.page
    table_box = page.locator(".table-box")
    assert table_box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls, not the page
    plot_cell = page.locator('tbody tr[data-plot="269"] th').first
    period = page.locator("tr.period .period-label").first
    due = page.locator('tbody tr[data-plot="269"] td.due').first
    assert box(due)["x"] > 360  # out of view until the table is scrolled

    table_box.evaluate("b => b.scrollLeft = b.scrollWidth")
    left = box(table_box)["x"]
    assert abs(box(plot_cell)["x"] - left) <= 2, "the plot column stays at the left edge"
    assert left <= box(period)["x"] and box(period)["x"] + box(period)["width"] <= 360
    assert box(due)["x"] + box(due)["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_electricity_table_fits_a_desktop_screen(browse_demo):
    orlova = demo_member(browse_demo, DESKTOP)
    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    assert orlova.page.locator(".table-box").evaluate("b => b.scrollWidth <= b.clientWidth")


def test_the_payment_status_reads_without_sideways_scrolling(browse_demo):
    orlova = demo_member(browse_demo)
    orlova.menu("Мои данные", "Статус моих оплат", "Статус моих оплат от 6 июня 2022")
    cells = orlova.page.locator("table.status td.num")
    assert cells.count() == 20  # two plots × (general + four charges) × (due, prepaid)
    for i in range(cells.count()):
        cell = box(cells.nth(i))
        assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 360
    # Each value is labelled on the card (the column headers are hidden on a phone).
    labelled = orlova.page.locator("table.status tr.general").first.evaluate(
        """row => [...row.cells].map(c => {
            const label = getComputedStyle(c, '::before').content;
            return (label === 'none' ? '' : JSON.parse(label) + ': ') + c.innerText.trim(); })"""
    )
    assert [" ".join(cell.split()) for cell in labelled] == [
        "Общая информация", "Улица: 5", "Электрификация: Да", "Новый счетчик: Да", "Площадь участка: 7,2",
        "Сумма к оплате: 7 200,00", "Предоплата/аванс: 0,00",
    ]  # fmt: skip
    assert box(orlova.page.locator("table.status thead").first)["height"] <= 1  # for screen readers only


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/auth/login", "Вход в личный кабинет"),
        ("/auth/register", "Зарегистрироваться"),
        ("/contacts", "Контакты"),
        ("/auth/forgot", None),
    ],
)
def test_tap_targets_of_public_forms_are_44_px(browse_demo, path, heading):
    visitor = browse_demo.person(PHONE)
    visitor.open(path, heading)
    assert small_targets(visitor.page) == []


def test_tap_targets_of_cabinet_forms_are_44_px(browse_demo):
    orlova = demo_member(browse_demo)
    for item in ["Изменить регистрационные данные", "Изменить электропочту или пароль"]:
        orlova.menu("Мои данные", item, item)
        assert small_targets(orlova.page) == []


PUBLIC_PAGES = [
    ("/", "Объявления"),
    ("/page/charter", "Устав"),
    ("/page/board", "Правление"),
    ("/page/budget", "Смета"),
    ("/page/reports", "Отчёты"),
    ("/page/minutes", "Протоколы собраний"),
    ("/page/requisites", "Реквизиты для оплаты"),
    ("/page/privacy", "Политика обработки персональных данных"),
    ("/contacts", "Контакты"),
    ("/help", "Как работать с личным кабинетом"),
    ("/auth/forgot", None),
    ("/auth/confirm/resend", None),
    ("/no-such-page", "Такой страницы нет."),
]


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_public_pages_fit_the_screen_and_pass_the_page_checks(browse_demo, size):
    visitor = browse_demo.person(size)
    for path, heading in PUBLIC_PAGES:
        visitor.open(path, heading)  # checks width, labels, table headers, contrast
    visitor.follow(visitor.page.get_by_role("link", name="На главную"), "Объявления")
    first = visitor.page.get_by_role("heading", level=2).first
    visitor.follow(first.get_by_role("link"), first.inner_text())  # an announcement


def test_the_audit_log_reads_on_a_phone_without_sideways_scrolling(browse_demo):
    treasurer = browse_demo.person(PHONE)
    treasurer.open("/auth/login", "Вход в личный кабинет")
    treasurer.log_in_here("treasurer@example.ru", DEMO_PASSWORDS["treasurer@example.ru"])
    treasurer.open("/admin/audit/", "Журнал действий")  # checks the page width, names the culprits
    assert treasurer.page.evaluate("document.documentElement.scrollWidth") <= 360


def test_an_import_report_is_a_table_that_reads_on_a_phone(browse_demo):
    """The preview of a file with errors: a count per kind, then a card per line, errors first."""
    from tests.helpers import DATA

    treasurer = browse_demo.person(PHONE)
    treasurer.open("/auth/login", "Вход в личный кабинет")
    treasurer.log_in_here("treasurer@example.ru", DEMO_PASSWORDS["treasurer@example.ru"])
    treasurer.open("/admin/imports/", "Загрузка файлов казначея")
    treasurer.page.get_by_label("Оплаты", exact=True).check()
    treasurer.page.get_by_label("Файл", exact=True).set_input_files(str(DATA / "payments-utf8bom.csv"))
    treasurer.submit("Проверить файл", "Проверка файла: оплаты")  # checks the page width, names the culprits
    table = treasurer.page.get_by_role("table", name="Строки файла")
    first = table.locator("tbody tr").first
    assert "ошибка" in first.text_content() and "сумма 0" in first.text_content()
    assert treasurer.page.evaluate("document.documentElement.scrollWidth") <= 360
    cell = box(first.locator("td").last)
    assert cell["x"] >= 0 and cell["x"] + cell["width"] <= 360  # a card, not a row wider than the screen
