"""The reference case (conftest.add_reference_case), figure by figure, on both pages as the member sees them."""

import re

import pytest

from tests.helpers import electricity_rows, page_text


@pytest.fixture
def orlova(reference, accounts):
    # The registry's email for 269 and 270 is hers, so both plots verify without the board.
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "270,269"})
    return client


def test_electricity_page_shows_the_seed_figures(orlova):
    text = page_text(orlova.get("/my-data/electricity/"))
    periods = electricity_rows(text)
    assert list(periods)[:2] == ["01 мая 2022 – 01 июня 2022", "01 апреля 2022 – 01 мая 2022"]  # newest first
    assert "сэкономил" not in text  # two periods only: too little history for advice
    may_june = periods["01 мая 2022 – 01 июня 2022"]
    assert (
        "269 9012 2901 11913 9532 3118 12650 520 217 737 4 370,41 3 546,40 575,05 4 121,45 к оплате"
        in may_june
    )
    assert "270 344 244 588 346 244 590 2 0 2 11,86 13,64 0,00 13,64 к оплате" in may_june
    april_may = periods["01 апреля 2022 – 01 мая 2022"]
    assert "269 9012 2901 11913 9012 2901 11913 0 0 0 0,00 0,00 0,00 0,00" in april_may
    assert "270 344 244 588 344 244 588 0 0 0 0,00 0,00 0,00 0,00" in april_may


def test_the_due_cost_is_marked_by_meter_type(orlova):
    html = orlova.get("/my-data/electricity/").get_data(as_text=True)
    row = re.search(r'<tr data-plot="269">.*?</tr>', html, re.S).group(0)
    due_cells = re.findall(r'<td class="num due">([^<]*)', row)
    assert [c.strip().replace("\u00a0", " ") for c in due_cells] == [
        "4 121,45"
    ]  # two-tariff: day-night total


def test_payment_status_shows_the_seed_table(orlova):
    text = page_text(orlova.get("/my-data/payments/"))
    assert text.count("Статус моих оплат") >= 1
    assert (
        "269 Улица Электрификация Новый счетчик Площадь участка Сумма к оплате Предоплата/аванс члена "
        "Общая информация 5 Да Да 7,2 11 321,45 0,00" in text
    )
    assert "Членские взносы 2022 7 200,00 0,00" in text
    assert "Электроэнергия 2022 4 121,45 0,00" in text
    assert "Общая информация 5 Да Да 7,2 7 213,64 0,00" in text  # 270: 7 200,00 + 13,64
    assert "Всего оплачено за электроэнергию: 0,00 ₽, оплат за электроэнергию не было" in text


def test_demo_partnership_shows_the_reference_case(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    response = client.post("/auth/login", data={"login": "269", "password": "Anikino-269"})
    assert response.status_code == 302
    payments = page_text(client.get("/my-data/payments/"))
    assert "Статус моих оплат от 6 июня 2022" in payments
    # As the seed shows it: electricity paid up, the 2022 membership fee due.
    assert "Общая информация 5 Да Да 7,2 7 200,00 0,00 " in payments
    assert "Членские взносы 2022 7 200,00 0,00" in payments
    electricity = page_text(client.get("/my-data/electricity/"))
    assert (
        "01 мая 2022 – 01 июня 2022 269 9012 2901 11913 9532 3118 12650 520 217 737 4 370,41 3 546,40 575,05 4 121,45"
        in electricity
    )
    assert "270 344 244 588 346 244 590 2 0 2 11,86 13,64 0,00 13,64" in electricity
    assert electricity.index("01 мая 2022 – 01 июня 2022") < electricity.index("01 апреля 2022 – 01 мая 2022")
    assert "Участок 269: Двухтарифный счётчик сэкономил вам" in electricity  # 14 months of history
    assert "Участок 270:" in electricity
