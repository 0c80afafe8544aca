"""«Мои платежи» and «Акт сверки» (issue 13 item 3): the member's own payments only."""

import pytest

from tests.helpers import page_text, write_csv
from tests.test_privacy import assert_no_secrets, gromov_data  # noqa: F401  (fixture)


@pytest.fixture
def orlova(reference, accounts, cli, tmp_path):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "270,269"})
    rows = [
        ["участок", "дата", "сумма", "назначение", "номер"],
        ["269", "04.06.2022", "4121,45", "Электроэнергия за май 2022 уч. 269", "B-1"],
        ["269", "12.05.2022", "7 200,00", "Членские взносы 2022", "B-2"],
        ["270", "20.12.2021", "100,00", "свет", "B-3"],
    ]
    cli("import-payments", write_csv(tmp_path / "p.csv", rows))
    return client


def test_my_payments_newest_first_with_a_total_per_year(orlova):
    text = page_text(orlova.get("/my-data/payments/history"))
    assert "Мои платежи" in text
    assert (
        "2022 год: оплачено 11 321,45 ₽ Дата Участок Сумма, ₽ За что Откуда "
        "4 июня 2022 269 4 121,45 Электроэнергия за май 2022 «Электроэнергия за май 2022 уч. 269» файл оплат "
        "12 мая 2022 269 7 200,00 Членские взносы 2022 «Членские взносы 2022» файл оплат "
        "Итого за 2022 11 321,45"
    ) in text
    assert (
        "2021 год: оплачено 100,00 ₽" in text and "20 декабря 2021 270 100,00 Электроэнергия «свет»" in text
    )
    assert text.index("2022 год") < text.index("2021 год")
    assert "Акт сверки по участку 269" in text and "Акт сверки по участку 270" in text


def test_the_menu_has_my_payments(orlova):
    html = orlova.get("/my-data/payments/").get_data(as_text=True)
    assert 'href="/my-data/payments/history">Мои платежи</a>' in html


def test_the_act_for_a_span(orlova):
    text = page_text(orlova.get("/my-data/payments/act/269?from=2022-05-01&to=2022-06-30"))
    assert "Акт сверки по участку 269" in text and "с 1 мая 2022 по 30 июня 2022" in text
    # Before May: the 2022 fee (1 January) and the April period of 0,00.
    assert "Остаток на 1 мая 2022: долг 7 200,00 ₽" in text
    assert "12 мая 2022 Оплата: членские взносы 2022 7 200,00" in text
    assert "1 июня 2022 Электроэнергия за 01 мая 2022 – 01 июня 2022 4 121,45" in text
    assert "4 июня 2022 Оплата: электроэнергия за май 2022 4 121,45" in text
    assert "Обороты за период 4 121,45 11 321,45" in text
    assert "Остаток на 30 июня 2022: 0,00 ₽" in text


def test_the_default_span_is_the_newest_year(orlova):
    text = page_text(orlova.get("/my-data/payments/act/270"))
    assert "с 1 января 2022" in text
    assert "Остаток на 1 января 2022: аванс 100,00 ₽" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=31.02.2022", "Начало периода: «31.02.2022» — не дата"),
        ("to=вчера", "Конец периода: «вчера» — не дата"),
        ("from=2022-06-01&to=2022-05-01", "Начало периода позже его конца."),
    ],
)
def test_a_bad_span_is_a_400_with_a_message(orlova, query, message):
    response = orlova.get(f"/my-data/payments/act/269?{query}")
    assert response.status_code == 400
    assert message in page_text(response)


def test_a_nul_in_the_span_is_a_400(orlova):
    """Refused before the page runs (the site-wide rule for URL parameters)."""
    assert orlova.get("/my-data/payments/act/269?from=2022-06-01%00").status_code == 400


def test_another_members_payments_and_act_are_out_of_reach(gromov_data, orlova, accounts):  # noqa: F811
    assert orlova.get("/my-data/payments/act/271").status_code == 404
    assert_no_secrets(orlova.get("/my-data/payments/act/271"))
    assert_no_secrets(orlova.get("/my-data/payments/history"))
    gromov = accounts.member("271", "gromov271@example.ru")
    assert "1 234,56" in page_text(gromov.get("/my-data/payments/history"))
    assert "4 121,45" not in page_text(gromov.get("/my-data/payments/history"))
    assert gromov.get("/my-data/payments/act/269").status_code == 404
