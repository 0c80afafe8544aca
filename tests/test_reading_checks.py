"""Reading checks: each one on data made to trip it, and on data that must not."""

from datetime import date
from decimal import Decimal

from snt.electricity.checks import check_readings
from snt.extensions import db
from snt.models import Plot, Reading
from tests.helpers import command_in_fresh_process

PERIOD = date(2022, 5, 1)  # «01 мая 2022 – 01 июня 2022»


def meter(number: str, monthly: dict[date, int], electrified: bool = True) -> None:
    """Readings on the 1st of each month from 2021-04 to 2022-06; `monthly` overrides a month's use."""
    plot = Plot(number=number, street="1", area=Decimal(6), electrified=electrified, two_tariff=False)
    db.session.add(plot)
    total = 1000
    month = date(2021, 4, 1)
    while month <= date(2022, 6, 1):
        db.session.add(Reading(plot=plot, taken_on=month, total=Decimal(total)))
        total += monthly.get(month, 100)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def flags_for(app, **plots) -> dict[str, list[str]]:
    with app.app_context():
        for number, monthly in plots.items():
            meter(number.lstrip("p"), monthly)
        db.session.commit()
        result: dict[str, list[str]] = {}
        for flag in check_readings(PERIOD):
            result.setdefault(flag.plot_number, []).append(flag.reason)
        return result


def test_a_steady_meter_is_not_flagged(app):
    assert flags_for(app, p1={}) == {}


def test_zero_for_three_months(app):
    zero = {date(2022, 3, 1): 0, date(2022, 4, 1): 0, date(2022, 5, 1): 0}
    two_zero = {date(2022, 4, 1): 0, date(2022, 5, 1): 0}
    assert flags_for(app, p1=zero, p2=two_zero) == {"1": ["нулевой расход 3 месяца подряд"]}


def test_spike_against_last_year_and_against_the_median(app):
    # 2021-05: 100; 2022-05: 350 → over 3× last May, under 5× the median (100).
    flags = flags_for(app, p1={date(2022, 5, 1): 350}, p2={date(2022, 5, 1): 600}, p3={date(2022, 5, 1): 290})
    assert flags["1"] == ["расход 350 кВт·ч — больше чем в 3 раза выше, чем год назад (100)"]
    assert flags["2"] == [
        "расход 600 кВт·ч — больше чем в 3 раза выше, чем год назад (100)",
        "расход 600 кВт·ч — больше чем в 5 раз выше обычного за год (100)",
    ]
    assert "3" not in flags


def test_missing_reading(app):
    with app.app_context():
        meter("1", {})
        plot = Plot(number="2", street="1", area=Decimal(6), electrified=True, two_tariff=False)
        db.session.add(plot)
        db.session.add(Reading(plot=plot, taken_on=date(2022, 5, 1), total=Decimal(10)))  # no June reading
        db.session.add(Plot(number="3", street="1", area=Decimal(6), electrified=False))  # no meter at all
        db.session.commit()
        flags = [(f.plot_number, f.reason) for f in check_readings(PERIOD)]
    assert flags == [("2", "нет показаний за период")]


def test_check_readings_command(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["check-readings"])
    assert result.exit_code == 0
    assert "Период с 01 мая 2022: подозрительных показаний —" in result.output
    bad = runner.invoke(args=["check-readings", "--period", "май"])
    assert bad.exit_code == 1 and "«май» — не период" in bad.output


def test_check_readings_in_a_fresh_process_configures_no_mapper(app, runner):
    """The command reads plain rows through the tables: it never pays for configuring every mapper,
    and prints what it prints in a process where they are configured."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    expected = runner.invoke(args=["check-readings"]).output
    status, output = command_in_fresh_process(app, "check-readings")
    assert status == "0 False"
    assert output == expected
    assert "подозрительных показаний —" in output
