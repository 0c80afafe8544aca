"""Treasurer's files: the registry, meter readings, payments; and meter replacement."""

import click
from flask.cli import with_appcontext

from snt.cli.helpers import date_option, decimal_option, echo_report, read_file
from snt.imports import staging
from snt.imports.meters import MeterValues, replace_meter
from snt.reports import Report

DRY_RUN = click.option("--dry-run", is_flag=True, help="Только проверить и показать, ничего не записывать.")
SKIP_BAD_ROWS = click.option(
    "--skip-bad-rows",
    is_flag=True,
    help="Загрузить файл без строк с ошибками (они перечисляются в отчёте и журнале действий).",
)


@click.command("import-plots")
@with_appcontext
@click.argument("file")
@DRY_RUN
@SKIP_BAD_ROWS
def import_plots_command(file: str, dry_run: bool, skip_bad_rows: bool) -> None:
    """Реестр участков из FILE (CSV или .xlsx): участок, улица, площадь, электрификация, счётчик, владелец, почта, телефон."""
    echo_report(_run("plots", file, skip_bad_rows, dry_run=dry_run))


@click.command("import-readings")
@with_appcontext
@click.argument("file")
@DRY_RUN
@click.option("--replace", is_flag=True, help="Заменить уже загруженные показания на те же даты.")
@SKIP_BAD_ROWS
def import_readings_command(file: str, dry_run: bool, replace: bool, skip_bad_rows: bool) -> None:
    """Показания счётчиков из FILE (CSV или .xlsx): участок, дата, день, ночь или общее; сразу же записываются начисления."""
    echo_report(_run("readings", file, skip_bad_rows, dry_run=dry_run, replace=replace))


@click.command("import-payments")
@with_appcontext
@click.argument("file")
@DRY_RUN
@SKIP_BAD_ROWS
@click.option(
    "--other-account",
    is_flag=True,
    help="Загрузить выписку 1С по счёту, который не совпадает с расчётным счётом товарищества "
    "из реквизитов (без этого ключа такая выписка не загружается); записывается в журнал действий.",
)
def import_payments_command(file: str, dry_run: bool, skip_bad_rows: bool, other_account: bool) -> None:
    """Оплаты из FILE (CSV или .xlsx: участок, дата, сумма, назначение, номер документа) или банковская выписка 1С."""
    echo_report(_run("payments", file, skip_bad_rows, dry_run=dry_run, other_account=other_account))


@click.command("import-balances")
@with_appcontext
@click.argument("file")
@DRY_RUN
def import_balances_command(file: str, dry_run: bool) -> None:
    """Начальные остатки из FILE (CSV или .xlsx: участок, статья, на дату, долг или аванс) — один раз на участок и статью."""
    echo_report(_run("balances", file, False, dry_run=dry_run))


def _run(
    kind: str,
    file: str,
    skip_bad_rows: bool,
    *,
    dry_run: bool,
    replace: bool = False,
    other_account: bool = False,
) -> Report:
    """The same import functions as the browser's; with --skip-bad-rows, without the lines in error."""
    run = staging.run_import_without_bad_rows if skip_bad_rows else staging.run_import
    return run(kind, *read_file(file), replace, dry_run=dry_run, other_account=other_account)


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
    """Записать замену счётчика: последнее показание старого и начальное показание нового."""
    parsed = {k: decimal_option(v, "--" + k.replace("_", "-")) for k, v in values.items()}
    final = MeterValues(parsed["final_day"], parsed["final_night"], parsed["final_total"])
    initial = None
    if any(parsed[k] is not None for k in ("initial_day", "initial_night", "initial_total")):
        initial = MeterValues(parsed["initial_day"], parsed["initial_night"], parsed["initial_total"])
    echo_report(replace_meter(plot_number, date_option(on, "--date"), final, initial, dry_run=dry_run))


COMMANDS = [
    import_plots_command,
    import_readings_command,
    import_payments_command,
    import_balances_command,
    replace_meter_command,
]
