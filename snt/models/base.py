"""Shared helpers of the models."""

import secrets
from datetime import UTC, datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import Index, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql.compiler import DDLCompiler

from snt.extensions import db

# db.Model is built at run time, so a type checker cannot use it as a base class; the models
# subclass this name for it (their columns are still typed by Mapped[...]).
Model: Any = db.Model

# Without AUTOINCREMENT, SQLite gives a new row the id of the newest deleted one: an id held in a
# page or a form would then name another row. Tables whose ids travel in URLs and forms carry this
# in __table_args__ (migration 0009); PostgreSQL sequences never reuse an id anyway.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A unique index over the rows where `where` holds (a partial index), on SQLite and PostgreSQL.

    Declared with `postgresql_where=`, the index would make SQLAlchemy import its whole PostgreSQL
    dialect (about 30 ms) on every start, SQLite ones included, only to check that keyword. The
    condition waits in `info` until PostgreSQL compiles the index's CREATE INDEX (below); SQLite's
    dialect is loaded on every SQLite start anyway. (Alembic compares no index conditions.)
    """
    return Index(name, *columns, unique=True, sqlite_where=text(where), info={"postgresql_where": where})


@compiles(CreateIndex, "postgresql")
def _create_index_on_postgresql(create: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    index = create.element
    if "postgresql_where" in index.info:  # an index of unique_where(): the same condition
        index.dialect_options["postgresql"]["where"] = text(index.info["postgresql_where"])
    return compiler.visit_create_index(create, **kw)


def utcnow() -> datetime:
    """Now as the database keeps times (naive UTC); the clock a test or replay set (snt.clock)
    when there is one, so the times recorded agree with the deadlines counted."""
    if has_app_context() and current_app.config.get("CLOCK_NOW"):
        from snt import clock

        return clock.utcnow()
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(16)
