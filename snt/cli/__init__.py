"""Shell commands (`flask --app app ...`): thin click wrappers over the service functions.

One module per concern; each lists its commands in COMMANDS.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

import click
from flask import Flask

from snt.imports.files import parse_date
from snt.imports.report import ImportReport, report_lines
from snt.money import parse_decimal


def fail(message: str) -> None:
    """Stop the command with a Russian message and exit status 1."""
    raise click.ClickException(message)


def echo_report(report: ImportReport) -> None:
    """Print an import's report; exit with status 1 if it found errors (nothing was written)."""
    for line in report_lines(report):
        click.echo(line)
    if report.errors:
        raise click.exceptions.Exit(1)


def read_file(path: str) -> tuple[bytes, str]:
    try:
        return Path(path).read_bytes(), Path(path).name
    except OSError as exc:
        fail(f"Файл «{path}» не читается: {exc.strerror or exc}.")


def decimal_option(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return parse_decimal(value)
    except ValueError as exc:
        fail(f"{option}: {exc}.")


def date_option(value: str, option: str) -> date:
    try:
        return parse_date(value)
    except ValueError as exc:
        fail(f"{option}: {exc}.")


def init_app(app: Flask) -> None:
    from snt.cli import accounts, backup, checks, finance, imports, meetings, reports, setup, sms, treasurer

    for module in (setup, accounts, imports, treasurer, sms, reports, finance, checks, backup, meetings):
        for command in module.COMMANDS:
            app.cli.add_command(command)
