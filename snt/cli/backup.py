"""Backups of the database."""

import click
from flask.cli import with_appcontext

from snt.backup import BackupError, backup_database
from snt.cli.helpers import fail
from snt.extensions import db


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=True, file_okay=True))
@click.option("--overwrite", is_flag=True, help="Заменить существующий файл.")
def backup_command(path: str, overwrite: bool) -> None:
    """Consistent copy of the database to PATH (a file, or a folder for a dated name) while the site runs."""
    try:
        report = backup_database(db.engine, path, overwrite=overwrite)
    except BackupError as exc:
        fail(str(exc))
    click.echo(
        f"Копия базы записана в {report.path} ({report.size // 1024} КБ, таблиц: {report.tables}); "
        "проверка integrity_check: ok."
    )


COMMANDS = [backup_command]
