"""Money, numbers, plot numbers, phones, billing arithmetic."""

from datetime import date
from decimal import Decimal

import pytest

from snt import billing
from snt.money import format_money, format_plain, format_quantity, parse_decimal, round_kopecks
from snt.payments.purpose import named_month, named_year
from snt.plots import normalise_phone, normalise_plot_number, parse_plot_list, plot_sort_key
from snt.text import count_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("7200", "7\u00a0200,00"),
        ("4370.405", "4\u00a0370,41"),
        ("0", "0,00"),
        ("1234567.8", "1\u00a0234\u00a0567,80"),
        ("-5", "-5,00"),
        ("-1234567.895", "-1\u00a0234\u00a0567,90"),  # half up, away from zero
        ("0.125", "0,13"),  # half up, where the format's own rounding would give 0,12
        ("-0.001", "0,00"),
        ("100000", "100\u00a0000,00"),
    ],
)
def test_format_money(value, text):
    assert format_money(Decimal(value)) == text


def test_round_half_up():
    assert round_kopecks(Decimal("0.005")) == Decimal("0.01")
    assert round_kopecks(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67


@pytest.mark.parametrize(
    ("text", "value"),
    [("1 234,56", "1234.56"), ("7.2", "7.2"), ("9\u00a0012", "9012"), ("15\u202f040", "15040")],
)
def test_parse_decimal_accepts_what_people_write(text, value):
    assert parse_decimal(text) == Decimal(value)


@pytest.mark.parametrize("text", ["NaN", "1e5", "-5", "１２３", "١٢٣", "1,2,3", "", "12.345"])
def test_parse_decimal_refuses_junk(text):
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_quantities_and_sms_amounts():
    assert format_quantity(Decimal("9012.00")) == "9012"
    assert format_quantity(Decimal("1200.50")) == "1200,5"
    assert format_plain(Decimal("4121.45")) == "4121.45"


def test_plot_numbers():
    assert normalise_plot_number(" 12А ") == "12а"
    assert normalise_plot_number("12a") == "12а"  # Latin look-alike typed by a member
    assert sorted(["270", "12а", "9", "123"], key=plot_sort_key) == ["9", "12а", "123", "270"]
    assert parse_plot_list("270 , 269,270") == (["270", "269"], [])


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("+7 (999) 123-45-67", "89991234567"),
        ("8 916 555-12-68", "89165551268"),
        ("9991234567", "89991234567"),
    ],
)
def test_phones(text, stored):
    assert normalise_phone(text) == stored


class R:
    def __init__(self, day=None, night=None, total=None):
        self.day = None if day is None else Decimal(day)
        self.night = None if night is None else Decimal(night)
        self.total = Decimal(total if total is not None else day + night)


class T:
    single, day, night = Decimal("5.93"), Decimal("6.82"), Decimal("2.65")
    valid_from = date(2021, 7, 1)


def test_reference_costs():
    used = billing.consumption(R(9012, 2901), R(9532, 3118))
    assert (used.day, used.night, used.total) == (520, 217, 737)
    costs = billing.costs(used, T)
    assert (costs.single, costs.day, costs.night, costs.day_night) == (
        Decimal("4370.41"),
        Decimal("3546.40"),
        Decimal("575.05"),
        Decimal("4121.45"),
    )
    assert billing.amount_due(costs, two_tariff=True) == Decimal("4121.45")
    assert billing.amount_due(costs, two_tariff=False) == Decimal("4370.41")


def test_single_register_meter_has_no_day_night_cost():
    costs = billing.costs(billing.consumption(R(total=15040), R(total=15102)), T)
    assert costs.single == Decimal("367.66") and costs.day_night is None
    assert billing.amount_due(costs, two_tariff=True) == Decimal("367.66")


def test_lower_reading_is_an_error():
    with pytest.raises(billing.LowerReadingError):
        billing.consumption(R(100, 50), R(99, 60))


def settle(charges, *payments):
    dues = [billing.Due(key=n, year=y, amount=Decimal(a), month=m) for n, (y, a, m) in enumerate(charges)]
    return billing.settle(dues, [billing.Paid(Decimal(a), year, month) for a, year, month in payments])


def test_settle_pays_oldest_first_and_keeps_the_rest_as_prepayment():
    result = settle([(2021, "6000", None), (2022, "7200", None)], ("8000", None, None))
    assert [(s.paid, s.left, s.status) for s in result.charges] == [
        (Decimal("6000"), 0, "оплачено"),
        (Decimal("2000"), Decimal("5200"), "оплачено частично, осталось 5\u00a0200,00"),
    ]
    assert (result.due, result.prepaid) == (Decimal("5200"), 0)
    rows = billing.balance_rows(result, "membership", {}, 2022)
    assert [(r.year, r.due, r.prepaid) for r in rows] == [(2021, 0, 0), (2022, Decimal("5200"), 0)]
    result = settle([(2022, "7200", None)], ("8000", None, None))
    assert (result.due, result.prepaid, result.charges[0].status) == (0, Decimal("800"), "оплачено")
    rows = billing.balance_rows(result, "membership", {}, 2022)
    assert [(r.due, r.prepaid) for r in rows] == [(0, Decimal("800"))]


def test_a_payment_naming_a_period_pays_that_period_first():
    april, may = date(2022, 4, 1), date(2022, 5, 1)
    charges = [(2022, "100", april), (2022, "300", may)]
    result = settle(charges, ("300", 2022, may))
    assert [s.status for s in result.charges] == ["к оплате 100,00", "оплачено"]
    # More than the named period: the rest pays the oldest.
    result = settle(charges, ("350", 2022, may))
    assert [s.status for s in result.charges] == ["оплачено частично, осталось 50,00", "оплачено"]
    # A period with no charge: the year, then the oldest.
    result = settle(charges, ("150", 2022, date(2022, 9, 1)))
    assert [s.status for s in result.charges] == ["оплачено", "оплачено частично, осталось 250,00"]


def test_a_payment_naming_a_year_pays_that_year_first():
    result = settle([(2021, "6000", None), (2022, "7200", None)], ("7200", 2022, None))
    assert [s.status for s in result.charges] == ["к оплате 6\u00a0000,00", "оплачено"]


@pytest.mark.parametrize(
    "payments",
    [
        [("100", None, None)],
        [("5000", 2022, date(2022, 5, 1)), ("-300", None, None)],
        [("-50", None, None)],
        [("20000", None, None)],
        [("10", 2021, None), ("7000", 2022, None), ("900", None, None)],
    ],
)
def test_settle_keeps_the_balance_rule(payments):
    """SPEC §4 whatever the order: what is left − credit = charges − payments."""
    charges = [(2021, "6000", None), (2022, "100", date(2022, 4, 1)), (2022, "4121.45", date(2022, 5, 1))]
    result = settle(charges, *payments)
    charged = sum(Decimal(a) for _, a, _ in charges)
    paid = sum(Decimal(a) for a, _, _ in payments)
    assert sum(s.left for s in result.charges) - result.credit == charged - paid
    assert result.due - result.prepaid == charged - paid
    assert all(0 <= s.paid <= s.charge.amount for s in result.charges)


@pytest.mark.parametrize(
    ("purpose", "month", "year"),
    [
        ("Электроэнергия за май 2022, уч. 269", date(2022, 5, 1), 2022),
        ("свет за мае 2022", date(2022, 5, 1), 2022),
        ("оплата от 04.06.2022 за 05.2022", date(2022, 5, 1), 2022),
        ("эл. 2022-05, 2010 уч.", date(2022, 5, 1), 2022),
        ("Членские взносы 2022, уч. 269 от 04.06.2022", None, 2022),
        ("членские 2022 участок № 2005", None, 2022),  # the plot's number is no year
        ("за март 2021 и апрель 2021", None, 2021),  # two periods: none is named
        ("взнос, уч. 2015", None, None),
    ],
)
def test_a_purpose_names_its_period_or_year(purpose, month, year):
    assert (named_month(purpose), named_year(purpose)) == (month, year)


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "0 начислений"),
        (1, "1 начисление"),
        (2, "2 начисления"),
        (4, "4 начисления"),
        (5, "5 начислений"),
        (11, "11 начислений"),
        (12, "12 начислений"),
        (14, "14 начислений"),
        (21, "21 начисление"),
        (22, "22 начисления"),
        (53, "53 начисления"),
        (111, "111 начислений"),
        (101, "101 начисление"),
    ],
)
def test_numbers_agree_with_their_nouns(n, text):
    assert count_text(n, "начисление", "начисления", "начислений") == text
