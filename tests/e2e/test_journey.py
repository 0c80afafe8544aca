"""The seed's journey on a phone, typed by field labels: register, confirm, log in, enter plots,
read both tables (the reference case), change the phone, log out; and the contact form."""

from tests.e2e.conftest import BOARD_EMAIL, PHONE

PASSWORD = "Sad-2022-ok"
MAY_JUNE_269 = ["269", "9012", "2901", "11913", "9532", "3118", "12650", "520", "217", "737",
                "4 370,41", "3 546,40", "575,05", "4 121,45 к оплате"]  # fmt: skip
MAY_JUNE_270 = ["270", "344", "244", "588", "346", "244", "590", "2", "0", "2",
                "11,86", "13,64", "0,00", "13,64 к оплате"]  # fmt: skip


def test_member_journey_on_a_phone(browse, site):
    orlova = browse.person(PHONE)
    orlova.open("/", "Объявления")
    orlova.register("269", "orlova269@example.ru", PASSWORD)
    assert "Мы отправили письмо на адрес orlova269@example.ru" in orlova.text()

    orlova.open_emailed_link("orlova269@example.ru", "/auth/confirm/", "269")
    assert "Адрес электропочты подтверждён" in orlova.text()
    orlova.log_out()
    orlova.log_in("269", PASSWORD, "269")

    orlova.enter_plots("270,269")
    assert "Данные сохранены." in orlova.text()
    assert "269 — подтверждён" in orlova.text() and "270 — подтверждён" in orlova.text()

    orlova.menu("Мои данные", "Статус моих оплат", "Статус моих оплат")
    assert orlova.row('caption:text("Участок 269") >> xpath=.. >> tr.general') == [
        "Общая информация", "5", "Да", "Да", "7,2", "11 321,45", "0,00"
    ]  # fmt: skip
    assert orlova.row('caption:text("Участок 270") >> xpath=.. >> tr.general')[-2:] == ["7 213,64", "0,00"]
    assert "Членские взносы 2022 7 200,00 0,00" in orlova.text()

    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    periods = orlova.page.locator("tr.period").all_inner_texts()
    assert periods == ["01 мая 2022 – 01 июня 2022", "01 апреля 2022 – 01 мая 2022"]  # newest first
    assert orlova.row('tbody:nth-of-type(1) tr[data-plot="269"]') == MAY_JUNE_269
    assert orlova.row('tbody:nth-of-type(1) tr[data-plot="270"]') == MAY_JUNE_270

    orlova.menu("Мои данные", "Изменить регистрационные данные", "Изменить регистрационные данные")
    orlova.fill(Мобильный="+7 (903) 122-11-05").submit("Сохранить", "269")
    assert "Мобильный 89031221105" in orlova.text()

    orlova.log_out()
    assert "Вы вышли из личного кабинета." in orlova.text()
    orlova.open("/my-data/payments/", "Вход в личный кабинет")  # the cabinet is closed again


def test_contact_form_reaches_the_board(browse, site):
    visitor = browse.person(PHONE)
    visitor.open("/", "Объявления")
    visitor.menu("Помощь", "Написать правлению", "Контакты")
    visitor.submit("Отправить", "Контакты")
    # Errors stand next to their fields and are announced by them.
    name = visitor.page.get_by_label("Ваше имя", exact=True)
    assert name.get_attribute("aria-invalid") == "true"
    assert (
        visitor.page.locator(f"#{name.get_attribute('aria-describedby')}").inner_text()
        == "Обязательное поле."
    )

    visitor.fill(**{
        "Ваше имя": "Громов Пётр",
        "Адрес электропочты для ответа": "gromov271@example.ru",
        "Номер участка (если есть)": "271",
        "Сообщение": "Не вижу показаний за май.",
    }).submit("Отправить", "Контакты")  # fmt: skip
    assert "Сообщение отправлено правлению." in visitor.text()
    [message] = site.mailbox.to(BOARD_EMAIL)
    assert "Не вижу показаний за май." in site.mailbox.text(message)
    assert "Громов Пётр" in site.mailbox.text(message)
