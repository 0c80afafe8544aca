"""Shared helpers of the models."""

import secrets
from datetime import UTC, datetime

from flask import current_app, has_app_context


def utcnow() -> datetime:
    """Now as the database keeps times (naive UTC); the clock a test or replay set (snt.clock)
    when there is one, so the times recorded agree with the deadlines counted."""
    if has_app_context() and current_app.config.get("CLOCK_NOW"):
        from snt import clock

        return clock.utcnow()
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)
