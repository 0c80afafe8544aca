"""Flask extensions, created unbound here and bound in `register_extensions`.

Flask-Migrate is the exception: it imports alembic (a quarter of a second on every command and
every worker start), so it is bound only when a migration runs (`bind_migrations`).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import click
from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic migrations can alter and drop them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
mail = Mail()
# Counts per client address (the real one behind nginx: see PROXY_COUNT). Storage from
# RATELIMIT_STORAGE_URI: memory:// counts per process, redis:// across processes and machines.
limiter = Limiter(key_func=get_remote_address)


READS = ("GET", "HEAD")


@limiter.request_filter
def _reads_are_never_limited() -> bool:
    """Every per-address limit is on POST (login, password re-entry, mail, the contact form) and
    there are no default limits: a page read is not limited, so the limiter is not asked about it
    (finding that out costs a page a noticeable share of its CPU). A limit on GET needs this gone,
    and `_limiter_on_writes_only` too."""
    return request.method in READS


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    app.extensions["migrate"] = _UnboundMigrations(app)
    app.cli.add_command(_MigrationCommands("db", help="Perform database migrations."))
    login_manager.init_app(app)
    csrf.init_app(app)
    mail.init_app(app)
    _limiter_on_writes_only(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Войдите, чтобы открыть эту страницу."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.refresh_view = "auth.reauthenticate"
    login_manager.needs_refresh_message = "Чтобы изменить эти данные, введите пароль ещё раз."
    login_manager.needs_refresh_message_category = "info"


def _limiter_on_writes_only(app: Flask) -> None:
    """Bind the limiter, and let the three hooks it adds to every request (before, after, teardown)
    run only on requests that may be limited: on a page read they only found out that the request
    filter above exempts it, about 4 % of a cabinet page's work. The decorated views (login, the
    forms that send mail) still ask the limiter themselves, and the filter answers for their GETs."""
    skips = {"before_request_funcs": _skip_before, "after_request_funcs": _skip_after,
             "teardown_request_funcs": _skip_teardown}  # fmt: skip
    known = {kind: len(getattr(app, kind).get(None, ())) for kind in skips}
    limiter.init_app(app)
    for kind, skip in skips.items():
        hooks = getattr(app, kind).setdefault(None, [])
        hooks[known[kind] :] = [skip(hook) for hook in hooks[known[kind] :]]


Hook = Callable[..., Any]


def _skip_before(hook: Hook) -> Hook:
    return wraps(hook)(lambda: None if request.method in READS else hook())


def _skip_after(hook: Hook) -> Hook:
    return wraps(hook)(lambda response: response if request.method in READS else hook(response))


def _skip_teardown(hook: Hook) -> Hook:
    return wraps(hook)(lambda error=None: None if request.method in READS else hook(error))


def bind_migrations(app: Flask) -> None:
    """Bind Flask-Migrate to the app (imports alembic); a no-op once bound."""
    if isinstance(app.extensions.get("migrate"), _UnboundMigrations):
        from flask_migrate import Migrate

        Migrate(app, db, render_as_batch=True)


class _UnboundMigrations:
    """Stands in app.extensions["migrate"] until something uses it (flask_migrate.upgrade() does)."""

    def __init__(self, app: Flask):
        self.app = app

    def __getattr__(self, name: str):
        bind_migrations(self.app)
        return getattr(self.app.extensions["migrate"], name)


class _MigrationCommands(click.Group):
    """`flask db …`: hands the command line to Flask-Migrate's own group once one is run."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        bind_migrations(current_app)
        from flask_migrate.cli import db as group

        return group.make_context(info_name, args, parent=parent, **extra)
