"""A member passes readings on a phone with a photo; the treasurer accepts them from the queue;
the photo stays private (issue 15)."""

from datetime import date
from io import BytesIO

from PIL import Image

from snt.demo import DEMO_PASSWORDS
from tests.e2e.checks import small_targets
from tests.e2e.conftest import DESKTOP, PHONE, demo_member

# The new period 01.06–01.07.2022 of plot 269: 9532/3118 → 9990/3300 is 458/182 kWh, billed at the
# 2022 tariff (SPEC §3): single 640 × 5,93; day 458 × 6,82 = 3 123,56; night 182 × 2,65 = 482,30.
JUNE_JULY_269 = ["269", "9532", "3118", "12650", "9990", "3300", "13290", "458", "182", "640",
                 "3 795,20", "3 123,56", "482,30", "3 605,86 к оплате 3 605,86"]  # fmt: skip


def meter_photo() -> bytes:
    out = BytesIO()
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"  # a GPS position, as phones write it
    Image.new("RGB", (1200, 900), (30, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def send(member, day: str, night: str, photo: bytes | None = None) -> None:
    plot = member.page.locator(
        "section", has=member.page.get_by_role("heading", name="Участок 269: показания на 1 июля 2022")
    )
    plot.get_by_label("День (Т1)", exact=True).fill(day)
    plot.get_by_label("Ночь (Т2)", exact=True).fill(night)
    if photo is not None:
        plot.get_by_label("Фото счётчика", exact=True).set_input_files(
            {"name": "IMG_0420.JPG", "mimeType": "image/jpeg", "buffer": photo}
        )
    member.follow(plot.get_by_role("button", name="Передать показания"), "Передать показания")


def test_a_member_passes_readings_and_the_treasurer_accepts_them(browse_demo, demo_site):
    demo_site.app.config["TODAY"] = date(2022, 6, 25)  # the window for «на 1 июля 2022» is open
    orlova = demo_member(browse_demo, PHONE)
    orlova.menu("Мои данные", "Передать показания", "Передать показания")
    assert "Последние принятые показания на 1 июня 2022: день (Т1) 9532, ночь (Т2) 3118." in orlova.text()
    assert small_targets(orlova.page) == []  # fields, the photo and the checkbox: 44 px to tap

    send(orlova, "9500", "3200")
    assert "Показания меньше последних принятых (на 1 июня 2022: день 9532, ночь 3118)" in orlova.text()
    send(orlova, "458", "182")
    assert "Похоже, это расход за месяц, а не показания" in orlova.text()
    send(orlova, "9990", "3300", meter_photo())
    assert "Показания участка 269 переданы казначею: они на проверке." in orlova.text()
    assert "на 1 июля 2022: день 9990, ночь 3300 — на проверке" in orlova.text()
    photo_url = orlova.page.get_by_role("link", name="фото").get_attribute("href")
    assert orlova.page.request.get(photo_url).status == 200

    guest = browse_demo.person(PHONE)
    assert guest.page.goto(photo_url).status == 404
    other = browse_demo.person(PHONE)
    other.open("/", "Объявления")
    other.register("250", "owner250@example.ru", "Garden-250!")
    other.open_emailed_link("owner250@example.ru", "/auth/confirm/", "250")
    assert other.page.goto(photo_url).status == 404

    treasurer = browse_demo.person(DESKTOP)
    treasurer.open("/auth/login", "Вход в личный кабинет")
    treasurer.log_in_here("treasurer@example.ru", DEMO_PASSWORDS["treasurer@example.ru"])
    treasurer.follow(
        treasurer.page.get_by_role("link", name="Администрирование"), "Администрирование: сводка"
    )
    nav = treasurer.page.get_by_role("navigation", name="Разделы администрирования")
    treasurer.follow(nav.get_by_role("link", name="Показания участников", exact=True), "Показания участников")
    row = treasurer.row('tr[data-plot="269"]')
    assert row[0] == "269" and row[1].startswith("1 июля 2022 передано ")
    assert row[2:5] == ["Т1 9990, Т2 3300", "Т1 9532, Т2 3118 1 июня 2022", "Т1 458, Т2 182, всего 640 кВт·ч"]
    assert treasurer.page.get_by_role("img", name="Фото счётчика участка 269").is_visible()
    treasurer.submit("Принять все без замечаний (1)", "Показания участников")
    assert "Принято показаний: 1." in treasurer.text()

    orlova.menu("Мои данные", "Передать показания", "Передать показания")
    assert "на 1 июля 2022: день 9990, ночь 3300 — принято" in orlova.text()
    orlova.menu(
        "Мои данные", "Показания моих счетчиков электричества", "Показания моих счетчиков электричества"
    )
    assert orlova.page.locator("tr.period").first.inner_text() == "01 июня 2022 – 01 июля 2022"
    assert orlova.row('tbody:nth-of-type(1) tr[data-plot="269"]') == JUNE_JULY_269
