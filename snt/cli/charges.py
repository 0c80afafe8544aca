"""Tariffs and yearly fees."""

import click
from flask.cli import with_appcontext

from snt.cli.helpers import date_option, decimal_option, echo_report, fail
from snt.electricity.tariffs import describe, set_tariff, tariff_list
from snt.models import Charge
from snt.payments.fees import accrue


@click.command("set-tariff")
@with_appcontext
@click.option("--from", "valid_from", required=True, help="Дата, с которой действует тариф: 01.07.2022.")
@click.option("--single", required=True, help="Однотарифный, ₽/кВт·ч: 5,93.")
@click.option("--day", required=True, help="День (Т1), ₽/кВт·ч: 6,82.")
@click.option("--night", required=True, help="Ночь (Т2), ₽/кВт·ч: 2,65.")
@click.option("--dry-run", is_flag=True, help="Только показать, ничего не записывать.")
def set_tariff_command(valid_from: str, single: str, day: str, night: str, dry_run: bool) -> None:
    """Set the electricity tariff in force from a date; periods already billed keep theirs."""
    echo_report(
        set_tariff(
            date_option(valid_from, "--from"),
            decimal_option(single, "--single"),
            decimal_option(day, "--day"),
            decimal_option(night, "--night"),
            dry_run=dry_run,
        )
    )


@click.command("tariffs")
@with_appcontext
def tariffs_command() -> None:
    """List the tariffs, oldest first, with the number of charges billed with each."""
    lines = tariff_list()
    if not lines:
        click.echo(
            "Тарифов нет. Задайте: flask set-tariff --from 01.07.2022 --single 5,93 --day 6,82 --night 2,65"
        )
    for line in lines:
        t = line.tariff
        click.echo(f"{describe(t.valid_from, t.single, t.day, t.night)} (начислений: {line.charges})")


@click.command("accrue-fees")
@with_appcontext
@click.option("--year", type=int, required=True, help="Год взноса.")
@click.option("--per-sotka", help="Ставка за сотку, ₽ (членские взносы).")
@click.option("--fixed", help="Сумма с участка, ₽ (например, целевой взнос).")
@click.option("--title", default="", help="Название взноса, например «Ремонт дороги».")
@click.option(
    "--kind",
    type=click.Choice([Charge.MEMBERSHIP, Charge.TARGET]),
    help="membership (членские; по умолчанию с --per-sotka) или target (целевые; по умолчанию с --fixed).",
)
@click.option("--dry-run", is_flag=True, help="Только показать, ничего не записывать.")
def accrue_fees_command(
    year: int, per_sotka: str | None, fixed: str | None, title: str, kind: str | None, dry_run: bool
) -> None:
    """Charge every plot a yearly fee; running it again for the same year, kind and title adds nothing."""
    if (per_sotka is None) == (fixed is None):
        fail("Укажите одно из двух: --per-sotka (ставка за сотку) или --fixed (сумма с участка).")
    kind = kind or (Charge.MEMBERSHIP if per_sotka is not None else Charge.TARGET)
    report = accrue(
        year,
        kind,
        per_sotka=decimal_option(per_sotka, "--per-sotka"),
        fixed=decimal_option(fixed, "--fixed"),
        title=title.strip(),
        dry_run=dry_run,
    )
    echo_report(report)


COMMANDS = [set_tariff_command, tariffs_command, accrue_fees_command]
