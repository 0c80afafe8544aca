"""Shared helpers of the models."""

import secrets
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context

from snt.extensions import db

# db.Model is built at run time, so a type checker cannot use it as a base class; the models
# subclass this name for it (their columns are still typed by Mapped[...]).
Model: Any = db.Model

# Without AUTOINCREMENT, SQLite gives a new row the id of the newest deleted one: an id held in a
# page or a form would then name another row. Tables whose ids travel in URLs and forms carry this
# in __table_args__ (migration 0009); PostgreSQL sequences never reuse an id anyway.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """Now as the database keeps times (naive UTC); the clock a test or replay set (snt.clock)
    when there is one, so the times recorded agree with the deadlines counted."""
    if has_app_context() and current_app.config.get("CLOCK_NOW"):
        from snt import clock

        return clock.utcnow()
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)
