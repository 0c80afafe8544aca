"""Reports for the treasurer and the board."""

from pathlib import Path

import click
from flask.cli import AppGroup

from snt.cli.helpers import bulk, echo_lines, fail
from snt.electricity.checks import month_start
from snt.electricity.losses import losses
from snt.money import format_money, format_quantity
from snt.payments.debtors import HEADER, debtors, debtors_csv, due_by_kind


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Отчёты: должники, потери."""


@report_group.command("debtors")
@click.option("--csv", "csv_path", help="Записать в файл CSV (откроется в Excel).")
@bulk
def debtors_command(csv_path: str | None) -> None:
    """Участки с долгом, по видам начислений."""
    statuses = debtors()
    total = sum((s.balance.due for s in statuses), start=0)
    if csv_path:
        try:
            Path(csv_path).write_bytes(debtors_csv(statuses))
        except OSError as exc:
            fail(f"Файл «{csv_path}» не записывается: {exc.strerror or exc}.")
        click.echo(f"Записано в {csv_path}: {len(statuses)} участков.")
    else:
        lines = ["\t".join(HEADER[:-1])]
        for s in statuses:
            amounts = "\t".join(format_money(a) for a in [*due_by_kind(s), s.balance.due])
            lines.append(f"{s.plot.number}\t{s.plot.owner_name or '—'}\t{amounts}")
        echo_lines(lines)
    click.echo(f"Должников: {len(statuses)}, всего к оплате: {format_money(total)} ₽.")


LOSSES_HEADER = ["Месяц", "Общий счётчик, кВт·ч", "Участки, кВт·ч", "Потери, кВт·ч", "Потери, %", "Потери, ₽"]


@report_group.command("losses")
@click.option("--from", "since", help="С месяца ГГГГ-ММ (месяц начала периода), например 2022-05.")
@click.option("--to", "until", help="По месяц ГГГГ-ММ включительно.")
def losses_command(since: str | None, until: str | None) -> None:
    """Потери по месяцам: общий счётчик против суммы счётчиков участков."""
    try:
        first = month_start(since) if since else None
        last = month_start(until) if until else None
    except ValueError as exc:
        fail(f"{exc}.")
    months = losses(first, last)
    if not months:
        fail(
            "Нет показаний общего счётчика за эти месяцы: загрузите их через import-readings "
            "строками с участком «ОБЩИЙ»."
        )
    click.echo("\t".join(LOSSES_HEADER))
    for m in months:
        percent = format_quantity(m.percent) if m.percent is not None else "—"
        roubles = format_money(m.roubles) if m.roubles is not None else "тариф не задан"
        values = [f"{m.month:%Y-%m}", *(format_quantity(v) for v in (m.main, m.members, m.losses))]
        note = "" if m.complete else f"\t(показания {m.plots_read} из {m.plots_electrified} участков)"
        click.echo("\t".join([*values, percent, roubles]) + note)
    if any(not m.complete for m in months):
        click.echo("Не у всех электрифицированных участков есть показания: потери в этих месяцах завышены.")


COMMANDS = [report_group]
