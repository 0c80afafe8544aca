"""The checks a member's reading meets before it is sent: the import's rules, said to a person.

Refused (`errors`): a reading lower than the last accepted one (unless the meter was replaced),
with its own message when it looks like a consumption typed instead of the reading or like day
and night swapped. Warned (`warnings`, sent after the member confirms): a consumption far above
the plot's usual, by the rule of `flask check-readings` (snt.electricity.checks.spike_reasons).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from snt import billing
from snt.electricity.checks import MEDIAN_FACTOR, monthly_use, spike_reasons, typical_use
from snt.electricity.timeline import Point, values_text
from snt.models import Reading
from snt.templating import ru_date_short as ru_date

# Without any history, a value under this share of the last reading reads as a consumption.
CONSUMPTION_SHARE = Decimal("0.1")


@dataclass
class Verdict:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    used: billing.Consumption | None = None  # what the reading gives since the last one


def check_reading(new: Point, history: list[Reading], meter_replaced: bool = False) -> Verdict:
    """Check `new` (for its `taken_on`) against the plot's accepted readings `history` (any order;
    those of the last 13 months are enough for the spike rule)."""
    verdict = Verdict()
    earlier = [r for r in history if r.taken_on < new.taken_on]
    if not earlier:
        return verdict
    last = max(earlier, key=lambda r: (r.taken_on, r.meter_start))
    if meter_replaced:
        return verdict  # the treasurer confirms the replacement with the photo
    try:
        verdict.used = billing.consumption(last, new)
    except billing.LowerReadingError:
        verdict.errors.append(_lower_message(new, last, earlier))
        return verdict
    use = monthly_use([*earlier, new])
    start = date(last.taken_on.year, last.taken_on.month, 1)
    if start in use:
        verdict.warnings += [f"{reason[:1].upper()}{reason[1:]}." for reason in spike_reasons(use, start)]
    return verdict


def _lower_message(new: Point, last: Reading, earlier: list[Reading]) -> str:
    was = f"на {ru_date(last.taken_on)}: {values_text(Point.of(last))}"
    if _swapped(new, last):
        return (
            f"Похоже, день и ночь перепутаны: «День (Т1)» меньше последних принятых показаний ({was}), "
            "а с переставленными значениями всё сходится. Проверьте, какое число на счётчике "
            "отмечено Т1 (день), а какое Т2 (ночь)."
        )
    if _looks_like_consumption(new, last, earlier):
        return (
            f"Похоже, это расход за месяц, а не показания: число меньше последних принятых показаний "
            f"({was}). Перепишите все цифры с табло счётчика целиком, до запятой."
        )
    return (
        f"Показания меньше последних принятых ({was}). Проверьте цифры; если счётчик заменили, "
        "отметьте «Счётчик заменён» и приложите фото нового счётчика."
    )


def _swapped(new: Point, last: Reading) -> bool:
    if None in (new.day, new.night, last.day, last.night):
        return False
    swapped = Point(taken_on=new.taken_on, day=new.night, night=new.day, total=new.total)
    try:
        billing.consumption(last, swapped)
    except billing.LowerReadingError:
        return False
    return True


def _looks_like_consumption(new: Point, last: Reading, earlier: list[Reading]) -> bool:
    """Every register lower than last time and no bigger than a plausible month's use."""
    typical = typical_use(monthly_use(earlier), date(new.taken_on.year, new.taken_on.month, 1))
    pairs = [(new.total, last.total)]
    if new.day is not None and new.night is not None and last.day is not None and last.night is not None:
        pairs = [(new.day, last.day), (new.night, last.night)]
    for value, before in pairs:
        bound = MEDIAN_FACTOR * typical if typical else CONSUMPTION_SHARE * before
        if not (value < before and value <= max(bound, Decimal(1))):
            return False
    return True
