"""Flask extensions every process uses (the database, mail, migrations), created unbound here and
bound in `register_extensions`. Those only the site uses are in snt/web.py.

Flask-Migrate is the exception: it imports alembic (a quarter of a second on every command and
every worker start), so it is bound only when a migration runs (`bind_migrations`).
"""

import click
from flask import Flask, current_app
from flask_mail import Mail
from flask_sqlalchemy import SQLAlchemy
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
mail = Mail()


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    app.extensions["migrate"] = _UnboundMigrations(app)
    app.cli.add_command(_MigrationCommands("db", help="Perform database migrations."))
    mail.init_app(app)


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
