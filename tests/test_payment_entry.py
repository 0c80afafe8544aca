"""«Внести оплату»: the treasurer enters a payment by hand; the member sees «внесено казначеем»."""

import re

import pytest

from tests.helpers import page_text


@pytest.fixture
def orlova(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269"})
    return client


def form_token(client) -> str:
    html = client.get("/admin/plots/269").get_data(as_text=True)
    return re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', html).group(1)


def test_the_treasurer_enters_a_payment_and_the_member_sees_it(orlova, accounts, app):
    treasurer = accounts.staff("treasurer")
    data = {"paid_on": "04.06.2022", "amount": "4 121,45", "kind": "electricity",
            "purpose": "наличными, за май 2022", "token": form_token(treasurer)}  # fmt: skip
    response = treasurer.post("/admin/plots/269/payment", data=data)
    assert response.status_code == 302
    assert "Оплата внесена: уч. 269, 4 121,45 ₽." in page_text(treasurer.get(response.headers["Location"]))
    again = treasurer.post("/admin/plots/269/payment", data=data)  # the same form sent twice
    assert again.status_code == 422 and "Эта оплата уже внесена" in page_text(again)
    text = page_text(orlova.get("/my-data/payments/history"))
    assert (
        "4 июня 2022 269 4 121,45 Электроэнергия за май 2022 «наличными, за май 2022» внесено казначеем"
        in text
    )
    assert "4 121,45 оплачено" in page_text(orlova.get("/my-data/electricity/"))
    assert "Оплата внесена казначеем" in page_text(treasurer.get("/admin/audit/"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("amount", "0", "Сумма: должно быть больше нуля."),
        ("amount", "сто", "Сумма:"),
        ("paid_on", "31.02.2022", "Дата оплаты: «31.02.2022» — не дата"),
        ("paid_on", "01.01.2099", "Дата 01.01.2099 ещё не наступила."),
        ("kind", "", "Выберите статью оплаты."),
    ],
)
def test_bad_input_is_a_422_and_nothing_is_stored(orlova, accounts, field, value, message):
    treasurer = accounts.staff("treasurer")
    data = {"paid_on": "04.06.2022", "amount": "100", "kind": "membership", "token": form_token(treasurer)}
    response = treasurer.post("/admin/plots/269/payment", data={**data, field: value})
    assert response.status_code == 422 and message in page_text(response)
    assert "Оплат по вашим подтверждённым участкам пока нет" in page_text(
        orlova.get("/my-data/payments/history")
    )


def test_only_the_treasurer_enters_payments(reference, accounts):
    board = accounts.staff("board")
    assert "Внести оплату вручную" not in page_text(board.get("/admin/plots/269"))
    response = board.post("/admin/plots/269/payment", data={"amount": "1"})
    assert response.status_code == 403
