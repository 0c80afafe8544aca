"""Failed passwords, counted in the database per login and address, with a daily ceiling per login.

The per-address limits (Flask-Limiter) stop one machine guessing many logins. These counters stop
guessing one login, without handing an attacker a way to lock its owner out:

- per login and address: after LOGIN_FREE_FAILURES failures each further one locks this login
  *for this address only* for a delay that doubles (15 s, 30 s … up to LOGIN_MAX_DELAY); after
  LOGIN_ADDRESS_DAILY_FAILURES in a day the address is done with this login until the day is over.
  Wrong passwords from one address never stop the owner at another.
- per login, whatever the address: at most LOGIN_DAILY_FAILURES wrong passwords in a day (the day
  starts at its first failure). Past that, no password is checked for the login from anywhere
  until the day is over: a botnet gets no more guesses, and the owner gets in through «Забыли
  пароль?», which clears every counter of the login.

While locked, no password is checked, so no hash runs. An unknown login is counted the same way
(under a hash of its normalised name), so a lock tells nothing about who has an account. An
address is kept only as a short hash; an IPv6 address counts by its /64 network (one subscriber).
"""

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from snt.database import write_transaction
from snt.extensions import db
from snt.models import LoginThrottle, utcnow

DAY = timedelta(days=1)  # the window of the daily counts


def account_key(account_id: int) -> str:
    return f"account:{account_id}"


def unknown_login_key(normalised_login: str) -> str:
    return "login:" + hashlib.sha256(normalised_login.encode()).hexdigest()[:40]


def address_key(login_key: str, address: str | None) -> str:
    """The counter of one login from one address (an IPv6 address by its /64 network)."""
    try:
        ip = ipaddress.ip_address(address or "")
        network = str(ipaddress.ip_network(f"{ip}/64", strict=False)) if ip.version == 6 else str(ip)
    except ValueError:
        network = address or "unknown"
    return f"{login_key}|{hashlib.sha256(network.encode()).hexdigest()[:16]}"


@dataclass(frozen=True)
class Limits:
    free: int
    base_delay: int
    max_delay: int
    per_address_daily: int
    daily: int

    @classmethod
    def from_config(cls) -> "Limits":
        config = current_app.config
        return cls(
            free=config["LOGIN_FREE_FAILURES"],
            base_delay=config["LOGIN_BASE_DELAY"],
            max_delay=config["LOGIN_MAX_DELAY"],
            per_address_daily=config["LOGIN_ADDRESS_DAILY_FAILURES"],
            daily=config["LOGIN_DAILY_FAILURES"],
        )


def delay_after(failures: int) -> int:
    """Seconds a login is locked for one address after that address's `failures`-th failure in a row."""
    limits = Limits.from_config()
    over = failures - limits.free
    if over < 0:
        return 0
    return min(limits.base_delay * 2 ** min(over, 20), limits.max_delay)


def seconds_to_wait(login_key: str, address: str | None) -> int:
    """How long this login is still locked for this address (0: a password may be checked now)."""
    keys = (login_key, address_key(login_key, address))
    locks = db.session.scalars(select(LoginThrottle.locked_until).where(LoginThrottle.key.in_(keys)))
    now = utcnow()
    return max((_remaining(locked_until, now) for locked_until in locks), default=0)


def record_failure(login_key: str, address: str | None) -> int:
    """Count a wrong password; returns the seconds the login is now locked for this address."""
    for attempt in range(2):
        try:
            with write_transaction():
                return _record_failure(login_key, address)
        except IntegrityError:  # two first failures at once inserted the same key: count again
            if attempt:
                raise
    raise AssertionError("unreachable")


def _record_failure(login_key: str, address: str | None) -> int:
    now, limits = utcnow(), Limits.from_config()
    per_login = _counted(login_key, now)
    per_address = _counted(address_key(login_key, address), now)
    # The address's own lock: doubling pauses, then closed for the rest of its day.
    if per_address.failures >= limits.per_address_daily:
        per_address.locked_until = per_address.window_started_at + DAY
    else:
        delay = delay_after(per_address.failures)
        per_address.locked_until = now + timedelta(seconds=delay) if delay else None
    # The login's ceiling: closed for every address for the rest of its day.
    if per_login.failures >= limits.daily:
        per_login.locked_until = per_login.window_started_at + DAY
    return max(_remaining(row.locked_until, now) for row in (per_login, per_address))


def _counted(key: str, now: datetime) -> LoginThrottle:
    """The row of `key`, with this failure counted in its current day."""
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    if row is None:
        _forget_old(now)
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
        db.session.add(row)
    elif row.window_started_at <= now - DAY:  # a new day: the old failures no longer count
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    row.last_failure_at = now
    return row


def clear_address(login_key: str, address: str | None) -> None:
    """A correct password: forget this address's failures. The login's daily count stays, so an
    owner's logins never give a guesser more than LOGIN_DAILY_FAILURES a day."""
    key = address_key(login_key, address)
    if db.session.scalar(select(LoginThrottle.id).where(LoginThrottle.key == key)) is None:
        return  # the usual case: no write at all
    with write_transaction():
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def clear(login_key: str) -> None:
    """Forget every count of a login (after a password reset: the old password no longer matters)."""
    which = or_(
        LoginThrottle.key == login_key, LoginThrottle.key.startswith(login_key + "|", autoescape=True)
    )
    if db.session.scalar(select(LoginThrottle.id).where(which).limit(1)) is None:
        return
    with write_transaction():
        db.session.execute(delete(LoginThrottle).where(which))


def _forget_old(now: datetime) -> None:
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_started_at <= now - DAY,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < now),
        )
    )


def _remaining(locked_until: datetime | None, now: datetime) -> int:
    if locked_until is None or locked_until <= now:
        return 0
    return math.ceil((locked_until - now).total_seconds())


def wait_message(seconds: int) -> str:
    """The Russian message for a locked login."""
    if seconds < 60:
        wait = f"{seconds} {_plural(seconds, 'секунду', 'секунды', 'секунд')}"
    elif seconds < 3600:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} {_plural(minutes, 'минуту', 'минуты', 'минут')}"
    else:
        hours = math.ceil(seconds / 3600)
        wait = f"{hours} {_plural(hours, 'час', 'часа', 'часов')}"
    return (
        f"Слишком много неудачных попыток входа с этим логином. Попробуйте снова через {wait} "
        "или восстановите пароль по ссылке «Забыли пароль?»."
    )


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
