"""Database connection rules.

SQLite: pragmas on every connection (checked at start-up), WAL, and our own BEGIN statements:
a transaction that reads first and writes later fails with "database is locked" under
concurrency whatever the busy timeout, so writers start with BEGIN IMMEDIATE (they queue for the
write lock up front) while the web's readers start a plain BEGIN and never wait (WAL).

Which transactions write: every transaction outside a request (the treasurer's shell commands,
scripts), and inside a request or a background job (`like_a_request()`) only the units opened
with `write_transaction()`. PostgreSQL needs
none of this; the listeners leave it alone.
"""

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import Flask, has_request_context
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import scoped_session

from snt.extensions import db

BUSY_TIMEOUT_MS = 5000
P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)
_writing: ContextVar[bool] = ContextVar("snt_writing", default=False)
_like_request: ContextVar[bool] = ContextVar("snt_like_request", default=False)


class DatabaseSetupError(RuntimeError):
    """The database cannot be used safely; the message says what to do (Russian, for the operator)."""


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record) -> None:
    # Registered at import time: a listener added inside an app context may never apply.
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN; _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    with suppress(sqlite3.OperationalError):  # a read-only file: check_sqlite() says so at start
        cursor.execute("PRAGMA journal_mode=WAL")  # stored in the file; a no-op once set
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL: a crash loses no committed data
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing() else "BEGIN")


def writing() -> bool:
    """Whether a transaction started now takes the write lock at once (see the module docstring)."""
    return _writing.get() or not (has_request_context() or _like_request.get())


@contextmanager
def like_a_request() -> Iterator[None]:
    """Background jobs (snt/jobs) read as a request does: a plain BEGIN that never waits for the
    write lock, which only their `write_transaction()` units take."""
    token = _like_request.set(True)
    try:
        yield
    finally:
        _like_request.reset(token)


@contextmanager
def write_transaction() -> Iterator[scoped_session[FlaskSession]]:
    """A short unit of work that writes: its reads and writes run in one BEGIN IMMEDIATE transaction.

    A read transaction the request already has open is ended first, so what the unit reads is
    current. Commits at the end, rolls back on any exception. Nested units join the outer one.
    """
    session = db.session
    if _writing.get():
        yield session
        return
    if session.new or session.dirty or session.deleted:
        # Changes made before the unit began must not be committed outside it: the unit joins
        # the open transaction instead (as safe as code without units, no safer).
        log.warning("write_transaction() joined a transaction with unsaved changes")
    else:
        session.commit()  # ends the read transaction; nothing is pending, so nothing is written
    token = _writing.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _writing.reset(token)


def writes(function: Callable[P, R]) -> Callable[P, R]:
    """Run a whole service function as one write unit (for functions that send no mail)."""

    @wraps(function)
    def unit(*args: P.args, **kwargs: P.kwargs) -> R:
        with write_transaction():
            return function(*args, **kwargs)

    return unit


def check_sqlite(engine: Engine) -> None:
    """Fail fast when the pragmas the site relies on are not in force on this database."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return
    with engine.connect() as conn:
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        foreign_keys = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
        busy = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
    problems = []
    if str(journal).lower() != "wal":
        problems.append(f"режим журнала {journal} вместо WAL (файл на сетевом или только-для-чтения диске?)")
    if foreign_keys != 1:
        problems.append("не включена проверка внешних ключей (PRAGMA foreign_keys)")
    if busy != BUSY_TIMEOUT_MS:
        problems.append(f"время ожидания блокировки {busy} мс вместо {BUSY_TIMEOUT_MS}")
    if problems:
        raise DatabaseSetupError(
            f"База SQLite {engine.url.database} не готова к работе: {'; '.join(problems)}. "
            "Положите базу на локальный диск с правом записи в папку instance/."
        )


def batch_inserts(engine: Engine) -> None:
    """SQLite: an INSERT of many rows (a Core executemany) goes as INSERT statements of up to 1,000
    rows each (SQLAlchemy's "insertmanyvalues", which it already uses for RETURNING and on
    psycopg2) instead of one statement per row.

    A statement on a table with triggers (the ledger's, snt.models.versions) runs in a statement
    journal of its own, whatever the trigger does, and that journal goes to a temporary file (strace:
    several writes per statement). One statement per row cost the 2,000-row month import about 0.1 s
    of system time (median 0.25 s against 0.14 s batched, the same as with no triggers at all). The
    triggers still fire for every row, inside the same statement and transaction, so no write
    escapes them."""
    if engine.dialect.name == "sqlite":
        engine.dialect.use_insertmanyvalues_wo_returning = True


def init_app(app: Flask) -> None:
    with app.app_context():
        batch_inserts(db.engine)  # before anything is compiled: the flag is read at compile time
        check_sqlite(db.engine)

    @app.teardown_appcontext
    def _remove_session(exc: BaseException | None) -> None:
        db.session.remove()
