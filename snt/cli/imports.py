"""Treasurer's files: the registry, meter readings, payments; and meter replacement."""

import click
from flask.cli import with_appcontext

from snt.cli.helpers import date_option, decimal_option, echo_report, read_file
from snt.imports.meters import MeterValues, replace_meter
from snt.imports.payments import import_payments
from snt.imports.plots import import_plots
from snt.imports.readings import import_readings

DRY_RUN = click.option("--dry-run", is_flag=True, help="Только проверить и показать, ничего не записывать.")


@click.command("import-plots")
@with_appcontext
@click.argument("file")
@DRY_RUN
def import_plots_command(file: str, dry_run: bool) -> None:
    """Registry (CSV or .xlsx): plot, street, area, electrified, meter, owner, email, phone."""
    echo_report(import_plots(*read_file(file), dry_run=dry_run))


@click.command("import-readings")
@with_appcontext
@click.argument("file")
@DRY_RUN
@click.option("--replace", is_flag=True, help="Заменить уже загруженные показания на те же даты.")
def import_readings_command(file: str, dry_run: bool, replace: bool) -> None:
    """Meter readings (CSV or .xlsx): plot, date, day, night or total; charges are stored too."""
    echo_report(import_readings(*read_file(file), dry_run=dry_run, replace=replace))


@click.command("import-payments")
@with_appcontext
@click.argument("file")
@DRY_RUN
def import_payments_command(file: str, dry_run: bool) -> None:
    """Payments (CSV or .xlsx: plot, date, amount, purpose, reference) or a 1C bank statement."""
    echo_report(import_payments(*read_file(file), dry_run=dry_run))


@click.command("replace-meter")
@with_appcontext
@click.option("--plot", "plot_number", required=True, help="Номер участка.")
@click.option("--date", "on", required=True, help="Дата замены, например 15.06.2022.")
@click.option("--final-day", help="Старый счётчик: последнее показание «день».")
@click.option("--final-night", help="Старый счётчик: последнее показание «ночь».")
@click.option("--final-total", help="Старый однотарифный счётчик: последнее показание.")
@click.option("--initial-day", help="Новый счётчик: начальное показание «день» (по умолчанию 0).")
@click.option("--initial-night", help="Новый счётчик: начальное показание «ночь» (по умолчанию 0).")
@click.option("--initial-total", help="Новый однотарифный счётчик: начальное показание (по умолчанию 0).")
@DRY_RUN
def replace_meter_command(plot_number: str, on: str, dry_run: bool, **values: str | None) -> None:
    """Record a meter replacement: the old meter's final reading and the new meter's first one."""
    parsed = {k: decimal_option(v, "--" + k.replace("_", "-")) for k, v in values.items()}
    final = MeterValues(parsed["final_day"], parsed["final_night"], parsed["final_total"])
    initial = None
    if any(parsed[k] is not None for k in ("initial_day", "initial_night", "initial_total")):
        initial = MeterValues(parsed["initial_day"], parsed["initial_night"], parsed["initial_total"])
    echo_report(replace_meter(plot_number, date_option(on, "--date"), final, initial, dry_run=dry_run))


COMMANDS = [import_plots_command, import_readings_command, import_payments_command, replace_meter_command]
