"""Failed passwords per login, counted in the database whatever address they come from.

The per-address limits (Flask-Limiter) stop one machine; this stops many machines guessing one
login. After LOGIN_FREE_FAILURES failures each further one locks the login for a delay that
doubles (15 s, 30 s, 1 min … up to LOGIN_MAX_DELAY). While locked, no password is checked, so no
hash runs; a correct password, or a password reset, clears the count. An unknown login is counted
the same way (under a hash of its normalised name), so a lock tells nothing about who has an account.
"""

import hashlib
import math
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from snt.database import write_transaction
from snt.extensions import db
from snt.models import LoginThrottle, utcnow
from snt.text import plural

FORGET_AFTER = timedelta(days=1)  # failures older than this no longer count


def account_key(account_id: int) -> str:
    return f"account:{account_id}"


def unknown_login_key(normalised_login: str) -> str:
    return "login:" + hashlib.sha256(normalised_login.encode()).hexdigest()[:40]


def delay_after(failures: int) -> int:
    """Seconds a login is locked after its `failures`-th failure in a row."""
    config = current_app.config
    over = failures - config["LOGIN_FREE_FAILURES"]
    if over < 0:
        return 0
    return min(config["LOGIN_BASE_DELAY"] * 2 ** min(over, 20), config["LOGIN_MAX_DELAY"])


def seconds_to_wait(key: str) -> int:
    """How long the login is still locked (0: a password may be checked now)."""
    locked_until = db.session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))
    return _remaining(locked_until, utcnow())


def record_failure(key: str) -> int:
    """Count a wrong password; returns the seconds the login is now locked for."""
    for attempt in range(2):
        try:
            with write_transaction():
                return _record_failure(key)
        except IntegrityError:  # two first failures at once inserted the same key: count again
            if attempt:
                raise
    raise AssertionError("unreachable")


def _record_failure(key: str) -> int:
    now = utcnow()
    row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())
    if row is None:
        _forget_old(now)
        row = LoginThrottle(key=key, failures=0)
        db.session.add(row)
    elif row.last_failure_at < now - FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures)
    row.locked_until = now + timedelta(seconds=delay) if delay else None
    return delay


def clear(key: str) -> None:
    """Forget the failures of a login (after a correct password or a reset)."""
    if db.session.scalar(select(LoginThrottle.id).where(LoginThrottle.key == key)) is None:
        return  # the usual case: no write at all
    with write_transaction():
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def _forget_old(now: datetime) -> None:
    db.session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < now - FORGET_AFTER,
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
        wait = f"{seconds} {plural(seconds, 'секунду', 'секунды', 'секунд')}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} {plural(minutes, 'минуту', 'минуты', 'минут')}"
    return (
        f"Слишком много неудачных попыток входа с этим логином. Попробуйте снова через {wait} "
        "или восстановите пароль по ссылке «Забыли пароль?»."
    )
