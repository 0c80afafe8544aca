"""Shared helpers of the models."""

import secrets
from datetime import UTC, datetime
from typing import Any

from snt.extensions import db

# db.Model is built at run time, so a type checker cannot use it as a base class; the models
# subclass this name for it (their columns are still typed by Mapped[...]).
Model: Any = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)
