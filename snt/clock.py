"""The one clock of the legal deadlines: today's date and the time in the partnership's time zone
(config TIMEZONE, Europe/Moscow by default).

A test, or an operator replaying a day, sets `CLOCK_NOW` in the config to a naive local datetime
(or an ISO string, as `SNT_CLOCK_NOW` in the environment gives it); everything that counts days to
a meeting reads the time through here, so one setting moves it all.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def now() -> datetime:
    """The partnership's local time, timezone-aware."""
    fixed = current_app.config.get("CLOCK_NOW")
    if fixed:
        value = datetime.fromisoformat(fixed) if isinstance(fixed, str) else fixed
        return value.replace(tzinfo=zone()) if value.tzinfo is None else value.astimezone(zone())
    return datetime.now(zone())


def today() -> date:
    """The date on the partnership's land (at 01:00 in Moscow it is already tomorrow there)."""
    return now().date()


def utcnow() -> datetime:
    """`now()` as the database keeps times: naive UTC."""
    return now().astimezone(UTC).replace(tzinfo=None)
