"""Backups of the database: `flask backup` (also the nightly timer's command) and `flask restore`."""

import click
from flask.cli import with_appcontext

from snt.backup import BackupError, backup_database, prune_backups, restore_database
from snt.cli.helpers import fail
from snt.dbcopy import CopyError, copy_database
from snt.email import send_email_or_log
from snt.extensions import db
from snt.public.services import board_addresses
from snt.settings import setting


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=True, file_okay=True))
@click.option("--overwrite", is_flag=True, help="Заменить существующий файл.")
@click.option(
    "--keep-days",
    type=click.IntRange(min=1),
    default=None,
    help="После удачной копии удалить в папке PATH копии старше стольких дней.",
)
@click.option(
    "--prune", is_flag=True, help="То же, что --keep-days, со сроком из «Настроек» правления (ночная копия)."
)
@click.option("--notify-board", is_flag=True, help="Если копия не сделана, написать правлению.")
def backup_command(
    path: str, overwrite: bool, keep_days: int | None, prune: bool, notify_board: bool
) -> None:
    """Целостная копия базы в PATH (файл или папка — тогда имя с датой), не останавливая сайт."""
    try:
        report = backup_database(db.engine, path, overwrite=overwrite)
    except Exception as exc:  # any failure: the board hears of it when the timer runs this at night
        message = str(exc) if isinstance(exc, BackupError) else f"{type(exc).__name__}: {exc}"
        if notify_board:
            _tell_board(path, message)
        fail(message)
    click.echo(
        f"Копия базы записана в {report.path} ({report.size // 1024} КБ, таблиц: {report.tables}); "
        f"проверка {report.check}: ok."
    )
    if prune and keep_days is None:
        keep_days = int(setting("backup_keep_days"))
    if keep_days is not None:
        removed = prune_backups(report.path.parent, keep_days)
        click.echo(f"Удалено копий старше {keep_days} дн.: {len(removed)}.")


def _tell_board(path: str, message: str) -> None:
    recipients = board_addresses()
    if not recipients:
        click.echo("Правлению не написать: нет ни учётных записей правления, ни SNT_BOARD_EMAIL.", err=True)
        return
    if not send_email_or_log(
        "резервная копия не сделана", recipients, "backup_failed", path=path, error=message
    ):
        click.echo("Письмо правлению не отправлено (см. журнал).", err=True)


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(
    prompt="База будет заменена копией. Сайт остановлен?", help="Не спрашивать подтверждения."
)
def restore_command(path: str) -> None:
    """Заменить базу копией PATH, сделанной командой backup (сначала остановите сайт)."""
    try:
        report = restore_database(db.engine, path)
    except BackupError as exc:
        fail(str(exc))
    click.echo(f"База восстановлена из {report.path} (таблиц: {report.tables}); проверка {report.check}: ok.")


@click.command("copy-database")
@with_appcontext
@click.option("--to", "target", required=True, help="Адрес новой пустой базы: postgresql+psycopg://…")
def copy_database_command(target: str) -> None:
    """Скопировать все строки этой базы (SQLite) в новую пустую (PostgreSQL); сайт остановлен."""
    try:
        counts = copy_database(db.engine, target, db.metadata)
    except CopyError as exc:
        fail(str(exc))
    click.echo(f"Скопировано строк: {sum(counts.values())} в {len(counts)} таблицах; число строк совпало.")
    click.echo("Теперь укажите новую базу в SNT_SQLALCHEMY_DATABASE_URI и перезапустите сайт.")


COMMANDS = [backup_command, restore_command, copy_database_command]
