"""Losses: what the main (transformer) meter counted against what the members' meters did.

Months are those the periods start in, as everywhere («2022-05» is 01.05–01.06.2022). Losses in
roubles are valued at the single-rate tariff in force on the month's first day (readings are
taken on the 1st, so that is the period's first day, as in billing).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup
from sqlalchemy import func, select

from snt import billing, charts
from snt.electricity.checks import monthly_use, shift
from snt.extensions import db
from snt.models import MainReading, Plot, Reading, Tariff
from snt.money import round_kopecks


@dataclass(frozen=True)
class LossMonth:
    month: date
    main: Decimal  # kWh by the main meter
    members: Decimal  # kWh by the members' meters, periods starting this month
    plots_read: int  # plots with a period starting this month
    plots_electrified: int
    tariff: Decimal | None  # ₽/kWh single-rate; None while no tariff covers the month

    @property
    def losses(self) -> Decimal:
        return self.main - self.members

    @property
    def percent(self) -> Decimal | None:
        if not self.main:
            return None
        return (self.losses * 100 / self.main).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def roubles(self) -> Decimal | None:
        return None if self.tariff is None else round_kopecks(self.losses * self.tariff)

    @property
    def complete(self) -> bool:
        """Every electrified plot has a reading for the month: otherwise losses are overstated."""
        return self.plots_read >= self.plots_electrified


def losses(since: date | None = None, until: date | None = None) -> list[LossMonth]:
    """Months of the main meter's periods between `since` and `until` (month starts, inclusive),
    oldest first. Four queries whatever the number of plots and months."""
    main = monthly_use(list(db.session.scalars(select(MainReading))))
    months = sorted(m for m in main if (since is None or m >= since) and (until is None or m <= until))
    if not months:
        return []
    # Periods starting in the first month up to those ending after the last one.
    query = select(
        Reading.plot_id, Reading.taken_on, Reading.day, Reading.night, Reading.total, Reading.meter_start
    )
    query = query.where(Reading.taken_on >= months[0], Reading.taken_on < shift(months[-1], 3))
    by_plot: dict[int, list] = defaultdict(list)
    for row in db.session.execute(query):
        by_plot[row.plot_id].append(row)
    members: dict[date, Decimal] = defaultdict(Decimal)
    read: dict[date, int] = defaultdict(int)
    for readings in by_plot.values():
        for month, used in monthly_use(readings).items():
            members[month] += used
            read[month] += 1
    electrified = db.session.scalar(select(func.count()).where(Plot.electrified.is_(True))) or 0
    tariffs = list(db.session.scalars(select(Tariff).order_by(Tariff.valid_from)))
    result = []
    for month in months:
        tariff = billing.tariff_on(tariffs, month)
        result.append(
            LossMonth(
                month=month,
                main=main[month],
                members=members.get(month, Decimal(0)),
                plots_read=read.get(month, 0),
                plots_electrified=electrified,
                tariff=tariff.single if tariff else None,
            )
        )
    return result


MAIN = charts.Series("Общий счётчик", "chart-main")
MEMBERS = charts.Series("Сумма по участкам", "chart-members")


def losses_chart(months: list[LossMonth]) -> Markup:
    """The main meter against the members' sum, month by month, as an SVG bar chart."""
    bars = [
        charts.Bar(label=f"{m.month:%m.%y}", title=f"{m.month:%m.%Y}", values=(m.main, m.members))
        for m in months
    ]
    return charts.bar_chart(
        "chart-losses", "Общий счётчик и сумма по участкам по месяцам", [MAIN, MEMBERS], bars, stacked=False
    )
