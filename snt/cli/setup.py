"""Schema and demo data."""

import click
from flask.cli import with_appcontext

from snt import demo
from snt.cli.helpers import fail


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema (the same as `flask db upgrade`)."""
    from flask_migrate import upgrade  # here: alembic is slow to import and only this needs it

    upgrade()
    click.echo("Схема базы данных в актуальном состоянии.")


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Молча ничего не делать, если база уже заполнена.")
def seed_demo_command(if_empty: bool) -> None:
    """Fill an empty database with the demo partnership (including the reference case)."""
    try:
        logins = demo.seed_demo()
    except demo.DemoError as exc:
        if if_empty:
            click.echo("База уже заполнена, демо-данные не добавлены.")
            return
        fail(str(exc))
    click.echo("Демо-товарищество создано. Входы:")
    for login, password in logins.items():
        click.echo(f"  логин {login}  пароль {password}")


COMMANDS = [init_db_command, seed_demo_command]
