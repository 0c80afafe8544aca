"""The treasurer's sample files through the browser alone (issue 14, «Done when»): the registry,
then the readings, whose plot 12а needs a meter replacement first (the form opened from the
preview, prefilled from the file), then the payments file loaded without its bad line on purpose.
No shell, and no shell words on the way."""

from snt.demo import DEMO_PASSWORDS
from tests.conftest import DATA
from tests.e2e.conftest import DESKTOP
from tests.e2e.test_treasurer_money import upload, words


def upload_readings(treasurer, path) -> str:
    """The demo already holds readings on the file's dates: the file replaces them, on purpose."""
    nav = treasurer.page.get_by_role("navigation", name="Разделы администрирования")
    treasurer.follow(nav.get_by_role("link", name="Загрузка файлов", exact=True), "Загрузка файлов казначея")
    treasurer.page.get_by_label("Показания счётчиков", exact=True).check()
    treasurer.page.get_by_label("Файл", exact=True).set_input_files(str(path))
    treasurer.page.get_by_label(
        "Заменить уже загруженные показания на те же даты (для исправления ошибок в прошлой загрузке)"
    ).check()
    treasurer.submit("Проверить файл", "Проверка файла: показания счётчиков")
    return words(treasurer.text())


def confirm(treasurer) -> str:
    treasurer.submit("Загрузить в базу", "Загрузка файла")
    text = words(treasurer.text())
    assert "Файл загружен в базу." in text, text
    return text


def test_the_sample_files_in_the_browser(browse_demo, demo_site):
    treasurer = browse_demo.person(DESKTOP)
    treasurer.open("/auth/login", "Вход в личный кабинет")
    treasurer.log_in_here("treasurer@example.ru", DEMO_PASSWORDS["treasurer@example.ru"])
    treasurer.open("/admin/", "Администрирование: сводка")

    upload(
        treasurer, "Реестр участков", DATA / "registry-cp1251.csv", heading="Проверка файла: реестр участков"
    )
    confirm(treasurer)

    # The readings: 12а's new meter reads less than the old one did.
    readings = DATA / "readings-cp1251.csv"
    text = upload_readings(treasurer, readings)
    assert "В файле есть ошибки — загрузить его нельзя." in text
    assert "Участок 12а: показание ниже прежнего. Это замена счётчика?" in text
    assert treasurer.page.get_by_role("button", name="Загрузить в базу").count() == 0
    treasurer.follow(
        treasurer.page.get_by_role("link", name="Это замена счётчика?"), "Замена счётчика: участок № 12а"
    )
    assert treasurer.page.get_by_label("Дата замены", exact=True).input_value() == "01.04.2022"
    treasurer.submit("Записать замену счётчика", "Участок № 12а")
    assert "замена счётчика 01.04.2022" in words(treasurer.text())
    assert "Участок 12а: показание ниже прежнего" not in upload_readings(treasurer, readings)
    confirm(treasurer)

    # The payments: line 4 has no money; the rest loads on purpose, the skipped line named.
    upload(treasurer, "Оплаты", DATA / "payments-utf8bom.csv", heading="Проверка файла: оплаты")
    text = words(treasurer.text())
    assert "сумма 0: оплаты без денег не бывает" in text
    assert treasurer.page.get_by_role("button", name="Загрузить в базу").count() == 0
    treasurer.submit("Загрузить без строк с ошибками", "Загрузка файла: оплаты")
    text = words(treasurer.text())
    assert "Файл загружен в базу." in text and "1 пропущенная строка" in text
    assert "сумма 0: оплаты без денег не бывает" in text

    log = words(treasurer.open("/admin/audit/", "Журнал действий").text())
    assert "Записана замена счётчика" in log and "пропущены строки с ошибками: 4" in log
    for page_text in (log, text):
        assert "flask " not in page_text and "SNT_" not in page_text
