"""Each check of a member's reading, and the submission window, without the web."""

from datetime import date
from decimal import Decimal

import pytest

from snt.electricity.checks import shift
from snt.electricity.timeline import Point
from snt.models import Reading
from snt.submissions.checks import check_reading
from snt.submissions.window import Window, current_window

JULY = date(2022, 7, 1)


def reading(on: date, day: int, night: int) -> Reading:
    return Reading(
        taken_on=on, day=Decimal(day), night=Decimal(night), total=Decimal(day + night), meter_start=False
    )


def history() -> list[Reading]:
    """A year of 450 + 180 kWh a month, ending at 9532 / 3118 on 1 June 2022."""
    months = [shift(date(2022, 6, 1), -k) for k in range(13)]
    return [reading(m, 9532 - 450 * k, 3118 - 180 * k) for k, m in enumerate(months)]


def point(day, night) -> Point:
    return Point(taken_on=JULY, day=Decimal(day), night=Decimal(night), total=Decimal(day) + Decimal(night))


def test_a_plausible_reading_passes_and_gives_its_consumption():
    verdict = check_reading(point(9990, 3300), history())
    assert verdict.errors == [] and verdict.warnings == []
    assert (verdict.used.day, verdict.used.night, verdict.used.total) == (458, 182, 640)


def test_lower_than_the_last_reading_is_refused_with_what_to_do():
    [message] = check_reading(point(9500, 3200), history()).errors
    assert message.startswith("Показания меньше последних принятых (на 1 июня 2022: день 9532, ночь 3118).")
    assert "отметьте «Счётчик заменён»" in message


def test_a_replaced_meter_is_not_refused_for_being_lower():
    assert check_reading(point(12, 5), history(), meter_replaced=True).errors == []


@pytest.mark.parametrize(("day", "night"), [(458, 182), (640, 0), (2000, 900)])
def test_a_consumption_typed_as_the_reading_gets_its_own_message(day, night):
    [message] = check_reading(point(day, night), history()).errors
    assert message.startswith("Похоже, это расход за месяц, а не показания")


def test_without_history_a_tenth_of_the_last_reading_reads_as_a_consumption():
    only = [reading(date(2022, 6, 1), 9532, 3118)]
    assert "расход за месяц" in check_reading(point(500, 200), only).errors[0]
    assert "Показания меньше" in check_reading(point(9000, 3000), only).errors[0]


def test_day_and_night_swapped_are_named():
    [message] = check_reading(point(3300, 9990), history()).errors
    assert message.startswith("Похоже, день и ночь перепутаны")


def test_a_consumption_far_above_usual_is_a_warning_not_an_error():
    verdict = check_reading(point(13000, 3300), history())
    assert verdict.errors == []
    assert verdict.warnings == [
        "Расход 3650 кВт·ч — больше чем в 3 раза выше, чем год назад (630).",
        "Расход 3650 кВт·ч — больше чем в 5 раз выше обычного за год (630).",
    ]


def test_the_first_reading_of_a_plot_has_nothing_to_compare_with():
    assert check_reading(point(5, 1), []).errors == []


@pytest.mark.parametrize(
    ("today", "settings", "expected"),
    [
        (date(2022, 6, 20), {}, Window(JULY, True, date(2022, 6, 20), date(2022, 6, 30))),
        (date(2022, 6, 30), {}, Window(JULY, True, date(2022, 6, 20), date(2022, 6, 30))),
        (date(2022, 6, 19), {}, Window(JULY, False, date(2022, 6, 20), date(2022, 6, 30))),
        (date(2022, 7, 1), {}, Window(date(2022, 8, 1), False, date(2022, 7, 20), date(2022, 7, 31))),
        (date(2022, 7, 3), {"readings_late_days": "3"}, Window(JULY, True, date(2022, 6, 20), date(2022, 7, 3))),
        (date(2022, 7, 4), {"readings_late_days": "3"}, Window(date(2022, 8, 1), False, date(2022, 7, 20), date(2022, 8, 3))),
        (date(2022, 7, 10), {"readings_always_open": "1"}, Window(JULY, True, date(2022, 6, 20), date(2022, 6, 30))),
        (date(2022, 12, 25), {"readings_open_day": "25"}, Window(date(2023, 1, 1), True, date(2022, 12, 25), date(2022, 12, 31))),
    ],
)  # fmt: skip
def test_the_window_and_its_1st_follow_the_boards_settings(app, today, settings, expected):
    from snt.settings import SPECS, display, save_settings

    with app.app_context():
        if settings:
            values = {s.key: display(s, s.default) for s in SPECS if s.kind != "bool"}
            values |= {s.key: "1" for s in SPECS if s.kind == "bool" and s.default}
            save_settings(values | settings, by=None)
        assert current_window(today) == expected
