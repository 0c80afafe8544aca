"""The treasurer's money without a shell (issue 14, items 5 and 6), on the demo partnership.

The sample 1C statement is for account 4070381**09**38…, not the demo's 4070381**05**38…: it is
refused with both numbers, then loaded with «Выписка по другому счёту» ticked; its unknown payer
waits in «Нераспознанные платежи» and is assigned to plot 270. A cash payment is entered on plot
269 and reversed; the opening balances of the old books are loaded. Орлова then sees all of it.
"""

import re

from snt.demo import DEMO_PASSWORDS
from tests.conftest import DATA
from tests.e2e.conftest import DESKTOP, PHONE


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def upload(treasurer, kind: str, path, other_account: bool = False, heading: str = "") -> None:
    nav = treasurer.page.get_by_role("navigation", name="Разделы администрирования")
    treasurer.follow(nav.get_by_role("link", name="Загрузка файлов", exact=True), "Загрузка файлов казначея")
    treasurer.page.get_by_label(kind, exact=True).check()
    treasurer.page.get_by_label("Файл", exact=True).set_input_files(str(path))
    if other_account:
        treasurer.page.get_by_label("Выписка по другому счёту: всё равно загрузить").check()
    treasurer.submit("Проверить файл", heading)


def test_the_treasurers_month_of_money_in_the_browser(browse_demo, demo_site):
    treasurer = browse_demo.person(DESKTOP)
    treasurer.open("/auth/login", "Вход в личный кабинет")
    treasurer.log_in_here("treasurer@example.ru", DEMO_PASSWORDS["treasurer@example.ru"])
    treasurer.follow(
        treasurer.page.get_by_role("link", name="Администрирование"), "Администрирование: сводка"
    )

    # The statement of another account: refused, both numbers shown.
    statement = DATA / "statement-1c-cp1251.txt"
    upload(treasurer, "Оплаты", statement, heading="Проверка файла: оплаты")
    text = words(treasurer.text())
    assert (
        "выписка по счёту 40703810938000001234, а расчётный счёт товарищества — 40703810538000001234" in text
    )
    assert treasurer.page.get_by_role("button", name="Загрузить в базу").count() == 0

    # Loaded on purpose; the unknown payer is listed, with its money written Russian-style.
    upload(treasurer, "Оплаты", statement, other_account=True, heading="Проверка файла: оплаты")
    text = words(treasurer.text())
    assert "загружается по явному выбору, это записано в журнал действий" in text
    assert "НЕИЗВЕСТНЫЙ ПЛАТЕЛЬЩИК, 0,00 ₽" in text and "«Нераспознанные платежи»" in text
    treasurer.submit("Загрузить в базу", "Загрузка файла")
    assert "Файл загружен в базу." in treasurer.text()

    nav = treasurer.page.get_by_role("navigation", name="Разделы администрирования")
    treasurer.follow(
        nav.get_by_role("link", name="Нераспознанные платежи", exact=True), "Нераспознанные платежи"
    )
    item = treasurer.page.get_by_role("region", name="Платёж НЕИЗВЕСТНЫЙ ПЛАТЕЛЬЩИК")
    assert "25.05.2022: 0,00 ₽ — НЕИЗВЕСТНЫЙ ПЛАТЕЛЬЩИК" in words(item.inner_text())
    item.get_by_label("Участок", exact=True).fill("270")
    item.get_by_label("Членские взносы", exact=True).check()
    treasurer.follow(item.get_by_role("button", name="Отнести на участок"), "Нераспознанные платежи")
    assert "Платёж 0,00 ₽ отнесён на участок № 270: членские взносы." in words(treasurer.text())
    assert "Нераспознанных платежей нет." in treasurer.text()

    # Cash at the office hours, entered and then reversed with a reason.
    treasurer.open("/admin/plots/269", "Участок № 269")
    treasurer.press(treasurer.page.locator("summary", has_text="Внести оплату вручную"))
    treasurer.fill(
        **{"Дата оплаты": "05.06.2022", "Сумма, ₽": "1 000", "Назначение": "наличными в правлении"}
    )
    treasurer.page.get_by_label("Целевые взносы", exact=True).check()
    treasurer.submit("Внести оплату", "Участок № 269")
    assert "Оплата внесена: уч. 269, 1 000,00 ₽." in words(treasurer.text())
    row = treasurer.page.locator("tr", has_text="наличными в правлении")
    treasurer.follow(row.get_by_role("link", name="Сторнировать"), "Сторно оплаты: участок № 269")
    treasurer.fill(Причина="ошибка: деньги за соседа")
    treasurer.submit("Сторнировать оплату", "Участок № 269")
    assert "Оплата сторнирована: уч. 269, 1 000,00 ₽." in words(treasurer.text())

    # Opening balances from the old books, once.
    upload(treasurer, "Начальные остатки", DATA / "balances.csv", heading="Проверка файла: начальные остатки")
    assert "уч. 270, целевые взносы: долг 3 000,00 ₽ на 01.01.2021" in words(treasurer.text())
    treasurer.submit("Загрузить в базу", "Загрузка файла")
    assert "Файл загружен в базу." in treasurer.text()
    upload(treasurer, "Начальные остатки", DATA / "balances.csv", heading="Проверка файла: начальные остатки")
    assert "начальный остаток уже загружен" in treasurer.text()

    log = words(treasurer.open("/admin/audit/", "Журнал действий").text())
    for action in ("Загружена выписка по другому счёту", "Нераспознанный платёж отнесён на участок",
                   "Оплата сторнирована", "Загружены начальные остатки"):  # fmt: skip
        assert action in log

    # What Орлова sees.
    orlova = browse_demo.person(PHONE)
    orlova.open("/auth/login", "Вход в личный кабинет")
    orlova.log_in_here("269", DEMO_PASSWORDS["269"], re.compile("^Статус моих оплат от"))  # the newest load
    status = words(orlova.text())
    assert "Долг по прежнему учёту на 01.01.2021" in status
    assert "Участок 269, членские взносы: 1 500,00 ₽ — просрочено (срок оплаты был 1 января 2021)." in status
    assert "Участок 270, целевые взносы: 3 000,00 ₽ — просрочено (срок оплаты был 1 января 2021)." in status
    assert "Долг по прежнему учёту на 01.01.2021 3 000,00" in status
    orlova.menu("Мои данные", "Мои платежи", "Мои платежи")
    history = words(orlova.text())
    assert "12 мая 2022 269 7 200,00 Членские взносы 2022" in history
    assert "банковская выписка" in history
    assert "25 мая 2022 270 0,00 Членские взносы «Взнос» банковская выписка" in history
    assert "1 000,00 Целевые взносы «наличными в правлении» сторнирована" in history
    assert (
        "-1 000,00 Сторно оплаты от 05.06.2022: целевые взносы причина: «ошибка: деньги за соседа»" in history
    )
    assert (
        "250,50 Электроэнергия «аванс по прежнему учёту на 01.01.2021» остаток из прежнего учёта" in history
    )
