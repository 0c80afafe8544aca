"""Tariff advice from the member's own history: what each billing would have cost."""

from dataclasses import dataclass
from decimal import Decimal

from snt.electricity.services import PeriodGroup
from snt.money import format_money

MIN_MONTHS = 3
WINDOW = 12


@dataclass(frozen=True)
class TariffAdvice:
    plot_number: str
    months: int
    single: Decimal  # what single-rate billing cost or would have cost
    day_night: Decimal  # the same for day-night billing
    two_tariff: bool  # the plot's meter type

    @property
    def message(self) -> str:
        months = f"за последние {self.months} мес."
        gap = abs(self.single - self.day_night)
        if self.two_tariff:
            if self.day_night <= self.single:
                return f"Двухтарифный счётчик сэкономил вам {format_money(gap)} ₽ {months}"
            return f"С однотарифным учётом вы заплатили бы на {format_money(gap)} ₽ меньше {months}"
        if self.day_night < self.single:
            return f"С двухтарифным счётчиком вы заплатили бы на {format_money(gap)} ₽ меньше {months}"
        return f"Двухтарифный счётчик вам невыгоден: вы заплатили бы на {format_money(gap)} ₽ больше {months}"


def tariff_advice(groups: list[PeriodGroup]) -> list[TariffAdvice]:
    """Per plot, over its newest 12 periods with both registers known; none under 3 periods.

    `groups` is the member's electricity table (newest first), so no extra query is made.
    """
    by_plot: dict[str, list] = {}
    for group in groups:
        for row in group.rows:
            if row.costs is not None and row.costs.day_night is not None:
                by_plot.setdefault(row.plot.number, []).append(row)
    advice = []
    for number, rows in by_plot.items():
        rows = rows[:WINDOW]
        if len(rows) < MIN_MONTHS:
            continue
        advice.append(
            TariffAdvice(
                plot_number=number,
                months=len(rows),
                single=sum((r.costs.single for r in rows), Decimal(0)),
                day_night=sum((r.costs.day_night for r in rows), Decimal(0)),
                two_tariff=rows[0].plot.two_tariff,
            )
        )
    return advice
