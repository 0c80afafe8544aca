"""Dates as treasurers and members write them: 01.06.2022."""

from datetime import date, datetime
from functools import lru_cache

_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")


def parse_date(text: str) -> date:
    """'01.06.2022', '2022-06-01', '01/06/2022', '01.06.22'. Raises ValueError (Russian)."""
    return _parse_date(text.strip())


@lru_cache(maxsize=4096)  # a file repeats a few dates thousands of times; strptime is slow
def _parse_date(value: str) -> date:
    for pattern in _DATE_FORMATS if value.isascii() else ():
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    if not value:
        raise ValueError("не указана дата")
    raise ValueError(f"«{value}» — не дата (нужно ДД.ММ.ГГГГ, например 01.06.2022)")


def ru_day(value: date) -> str:
    """date(2022, 6, 1) -> '01.06.2022', the way treasurers write dates."""
    return value.strftime("%d.%m.%Y")
