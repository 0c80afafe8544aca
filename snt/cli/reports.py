"""Reports for the treasurer and the board."""

from pathlib import Path

import click
from flask.cli import AppGroup

from snt.cli import fail
from snt.money import format_money
from snt.payments.debtors import HEADER, debtors, debtors_csv, due_by_kind


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Reports: debtors."""


@report_group.command("debtors")
@click.option("--csv", "csv_path", help="Записать в файл CSV (откроется в Excel).")
def debtors_command(csv_path: str | None) -> None:
    """Plots with amounts due, by kind of charge."""
    statuses = debtors()
    total = sum((s.due for s in statuses), start=0)
    if csv_path:
        try:
            Path(csv_path).write_bytes(debtors_csv(statuses))
        except OSError as exc:
            fail(f"Файл «{csv_path}» не записывается: {exc.strerror or exc}.")
        click.echo(f"Записано в {csv_path}: {len(statuses)} участков.")
    else:
        click.echo("\t".join(HEADER[:-1]))
        for s in statuses:
            amounts = "\t".join(format_money(a) for a in [*due_by_kind(s), s.due])
            click.echo(f"{s.plot.number}\t{s.plot.owner_name or '—'}\t{amounts}")
    click.echo(f"Должников: {len(statuses)}, всего к оплате: {format_money(total)} ₽.")


COMMANDS = [report_group]
