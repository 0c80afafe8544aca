"""Bank requisites as banks check them, and the ГОСТ Р 56042-2014 payload."""

from dataclasses import replace
from decimal import Decimal

import pytest

from snt.payments.requisites import qr_payload, requisites_problems
from tests.helpers import GOOD_REQUISITES


def test_valid_requisites_pass():
    assert requisites_problems(GOOD_REQUISITES) == {}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account", "40703810638000001234", "не сходится с БИК по контрольному ключу"),  # one digit off
        ("account", "40703810538000001235", "не сходится с БИК по контрольному ключу"),
        ("corr_account", "30101810400000000226", "не сходится с БИК по контрольному ключу"),
        ("bik", "04452522", "БИК — 9 цифр."),
        ("account", "4070381053800000123", "Расчётный счёт — 20 цифр."),
        ("inn", "7707083894", "контрольной цифры"),
        ("inn", "77070838", "ИНН организации — 10 цифр."),
        ("kpp", "5000010", "КПП — 9 цифр."),
        ("name", " ", "Укажите наименование получателя."),
    ],
)
def test_a_wrong_digit_is_refused_with_a_message(field, value, message):
    problems = requisites_problems(replace(GOOD_REQUISITES, **{field: value}))
    assert message in problems[field]


def test_payload_for_the_reference_fee():
    payload = qr_payload(GOOD_REQUISITES, "269", Decimal("7200.00"), "Членские взносы 2022, участок 269")
    assert payload == (
        "ST00012|Name=СНТ «Аникино»|PersonalAcc=40703810538000001234|BankName=ПАО Сбербанк|BIC=044525225"
        "|CorrespAcc=30101810400000000225|PayeeINN=7707083893|KPP=500001001|PersAcc=269|Sum=720000"
        "|Purpose=Членские взносы 2022, участок 269"
    )


def test_a_bar_in_a_value_switches_the_separator():
    payload = qr_payload(replace(GOOD_REQUISITES, name="СНТ | Аникино"), "269", Decimal("1"), "Взнос")
    assert payload.startswith("ST00012#Name=СНТ | Аникино#PersonalAcc=")
    assert payload.split("#")[1] == "Name=СНТ | Аникино"
