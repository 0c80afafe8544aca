"""What the command modules share: failing with a Russian message, printing a report, reading a
file and the options that hold money or a date."""

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import click

from snt.dates import parse_date
from snt.money import parse_decimal
from snt.reports import Report, report_lines


def fail(message: str) -> NoReturn:
    """Stop the command with a Russian message and exit status 1."""
    raise click.ClickException(message)


def echo_lines(lines: list[str]) -> None:
    """Print lines in one write: a report of thousands of lines, a write each, costs more."""
    if lines:
        click.echo("\n".join(lines))


def echo_report(report: Report) -> None:
    """Print an import's report; exit with status 1 if it found errors (nothing was written)."""
    echo_lines(report_lines(report))
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
