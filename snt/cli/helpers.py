"""What the command modules share: failing with a Russian message, printing a report, reading a
file and the options that hold money or a date."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import NoReturn, ParamSpec, TypeVar

import click

from snt.dates import parse_date
from snt.heap import app_objects_set_aside
from snt.money import parse_decimal
from snt.reports import Report, report_lines

P = ParamSpec("P")
R = TypeVar("R")


def bulk(command: Callable[P, R]) -> Callable[P, R]:
    """A command that reads thousands of rows (a report of every plot, a run of every member):
    the objects that exist when it starts (the app's modules, mappers, settings) are set aside
    from the garbage collector while it runs (snt/heap.py). Its first query configures the
    mappers and the work builds thousands of rows; each collection would walk the app's objects
    again, about 0.1–0.2 s of CPU in all at 2,000 plots."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with app_objects_set_aside():
            return command(*args, **kwargs)

    return run


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
