"""Checks of readings before the monthly SMS."""

import click
from flask.cli import with_appcontext

from snt.cli.helpers import bulk, fail
from snt.electricity.checks import check_readings, month_start, newest_period
from snt.templating import ru_date


@click.command("check-readings")
@click.option(
    "--period", default=None, help="Месяц начала периода, например 2022-05 (по умолчанию — последний)."
)
@with_appcontext
@bulk
def check_readings_command(period: str | None) -> None:
    """Подозрительные показания: нулевой расход три месяца подряд, скачки, пропуски."""
    try:
        month = month_start(period) if period else newest_period()
    except ValueError as exc:
        fail(str(exc))
    if month is None:
        fail("Показаний ещё нет.")
    flags = check_readings(month)
    click.echo(f"Период с {ru_date(month)}: подозрительных показаний — {len(flags)}.")
    for flag in flags:
        click.echo(f"  уч. {flag.plot_number}: {flag.reason}")


COMMANDS = [check_readings_command]
