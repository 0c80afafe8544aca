"""Tariff advice on a 12-month history, computed by hand here."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt.electricity.advice import tariff_advice
from snt.electricity.services import bill_periods, electricity_table
from snt.extensions import db
from snt.models import Plot, Reading, Tariff
from tests.helpers import add_plot


def history(app, two_tariff: bool, months: int) -> list:
    with app.app_context():
        db.session.add(
            Tariff(
                valid_from=date(2020, 1, 1),
                single=Decimal("5.93"),
                day=Decimal("6.82"),
                night=Decimal("2.65"),
            )
        )
        plot = add_plot("300", two_tariff=two_tariff)
        # 14 months: each month 200 kWh by day and 100 by night, so only the newest 12 count.
        for m in range(months + 1):
            db.session.add(
                Reading(
                    plot=plot,
                    taken_on=date(2021 + m // 12, m % 12 + 1, 1),
                    day=Decimal(200 * m),
                    night=Decimal(100 * m),
                    total=Decimal(300 * m),
                )
            )
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()
        plots = list(db.session.scalars(select(Plot)))
        return tariff_advice(electricity_table(plots))


def test_single_rate_meter_is_told_what_day_night_would_save(app):
    [advice] = history(app, two_tariff=False, months=14)
    # By hand, per month: single 300 × 5.93 = 1779.00; day-night 200 × 6.82 + 100 × 2.65 = 1629.00.
    assert advice.months == 12
    assert (advice.single, advice.day_night) == (Decimal("21348.00"), Decimal("19548.00"))
    assert (
        advice.message
        == "С двухтарифным счётчиком вы заплатили бы на 1\u00a0800,00 ₽ меньше за последние 12 мес."
    )


def test_two_tariff_meter_is_told_its_saving(app):
    [advice] = history(app, two_tariff=True, months=4)
    assert advice.months == 4
    assert advice.message == "Двухтарифный счётчик сэкономил вам 600,00 ₽ за последние 4 мес."


def test_nothing_with_fewer_than_three_months(app):
    assert history(app, two_tariff=False, months=2) == []
