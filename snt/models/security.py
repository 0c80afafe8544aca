"""Security bookkeeping: failed logins per login name."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from snt.models.base import Model, utcnow


class LoginThrottle(Model):
    """Failed password checks in a day: of one login from any address, or from one address.

    `key` names an account («account:12») or, for a login no account has, a hash of the typed
    name, so an unknown login is slowed down exactly like a real one and the delay reveals nothing;
    «account:12|<hash of the address>» counts that login's failures from one address.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow)
    window_started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)  # the day's first failure
