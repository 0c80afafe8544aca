"""When members may pass readings, and for which 1st of the month (the board's settings).

Readings, periods and charges all run from the 1st: from the opening day (20 by default) a
member passes the reading «на 1 <next month>»; `readings_late_days` keeps the window open a few
days after that 1st; `readings_always_open` accepts readings any day (before the opening day
they are for this month's 1st).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app

from snt.electricity.checks import shift
from snt.settings import setting


@dataclass(frozen=True)
class Window:
    period: date  # the 1st the readings are for
    is_open: bool
    opens_on: date
    closes_on: date  # the last day readings for `period` are taken (inclusive)


def today() -> date:
    """The real date, or the configured TODAY (see DEFAULTS)."""
    fixed = current_app.config.get("TODAY")
    if not fixed:
        return date.today()
    return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))


def window_for(period: date) -> tuple[date, date]:
    """The first and last day readings for `period` (a 1st) are taken."""
    open_day, late = int(setting("readings_open_day")), int(setting("readings_late_days"))
    before = shift(period, -1)
    opens = date(before.year, before.month, open_day)
    closes = date(period.year, period.month, late) if late else period - timedelta(days=1)
    return opens, closes


def current_window(on: date | None = None) -> Window:
    """The window `on` (default: today) falls in, or the next one when none is open."""
    on = on or today()
    this_first = date(on.year, on.month, 1)
    if on.day >= int(setting("readings_open_day")):
        period = shift(this_first, 1)
        return Window(period, True, *window_for(period))
    opens, closes = window_for(this_first)
    if on <= closes or bool(setting("readings_always_open")):
        return Window(this_first, True, opens, closes)
    period = shift(this_first, 1)
    return Window(period, False, *window_for(period))
