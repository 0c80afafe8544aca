"""Exact amounts: Decimal in code, whole hundredths (kopecks, centi-kWh) in the database.

Also the Russian-style formatting and the strict parsing of numbers typed by people or
found in treasurers' files.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Integer
from sqlalchemy.types import TypeDecorator

HUNDREDTH = Decimal("0.01")
NBSP = "\u00a0"
_SPACES = re.compile("[ \u00a0\u202f]")
_NUMBER = re.compile(r"^[0-9]+([.,][0-9]+)?$")


def round_kopecks(value: Decimal) -> Decimal:
    """Round half-up to kopecks (hundredths), as the billing rules require per line."""
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


class Hundredths(TypeDecorator):
    """A Decimal with two places kept as an exact integer (SQLite stores Numeric as REAL)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return _to_hundredths(value)

    def process_result_value(self, value, dialect):
        return _from_hundredths(value)

    # The same two conversions, called directly when the driver needs none of its own (SQLite,
    # psycopg): TypeDecorator would wrap each in another call, and an import moves tens of
    # thousands of amounts and readings.
    def bind_processor(self, dialect):
        if self.impl_instance.bind_processor(dialect) is not None:
            return super().bind_processor(dialect)
        return _to_hundredths

    def result_processor(self, dialect, coltype):
        if self.impl_instance.result_processor(dialect, coltype) is not None:
            return super().result_processor(dialect, coltype)
        return _from_hundredths


def _to_hundredths(value: Decimal | int | str | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, float):
        raise TypeError("float is not accepted for exact amounts; use Decimal")
    return int(round_kopecks(Decimal(value)) * 100)


def _from_hundredths(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(int(value)).scaleb(-2)


def parse_decimal(text: str, max_places: int = 2) -> Decimal:
    """Parse a non-negative number written by a person: '1 234,56', '7.2', '9012'.

    Only ASCII digits with one decimal separator; spaces and no-break spaces are thousands
    separators. Raises ValueError with a Russian message otherwise (NaN, 1e5, -5, １２).
    """
    cleaned = _SPACES.sub("", text.strip())
    if not cleaned:
        raise ValueError("пустое значение")
    if not _NUMBER.match(cleaned):
        raise ValueError(f"«{text.strip()}» — не число")
    value = Decimal(cleaned.replace(",", "."))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > max_places:
        raise ValueError(f"«{text.strip()}»: не больше {max_places} знаков после запятой")
    return value


def format_money(value: Decimal | None) -> str:
    """7200 -> '7 200,00' (no-break space between thousands, decimal comma)."""
    if value is None:
        return ""
    value = round_kopecks(Decimal(value))  # half up here: the format below rounds nothing more
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,.2f}".replace(",", NBSP).replace(".", ",")


def format_quantity(value: Decimal | None) -> str:
    """A meter reading or a consumption: '9012', '1200,5' (no thousands separator, as the seed)."""
    if value is None:
        return "—"
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}".replace(".", ",")


def format_plain(value: Decimal) -> str:
    """'4121.45' — the form an SMS carries (see notices.services.sms_text)."""
    return f"{round_kopecks(Decimal(value)):.2f}"
