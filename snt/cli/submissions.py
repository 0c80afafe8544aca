"""Readings members passed: the queue, accepting it, the reminder — the admin page's services."""

import click
from flask.cli import with_appcontext

from snt.cli import echo_report, fail
from snt.electricity.checks import month_start
from snt.money import format_quantity
from snt.submissions import services
from snt.templating import ru_date_short

PERIOD = click.option(
    "--period",
    default=None,
    help="На какое 1-е число, ГГГГ-ММ (2022-07 — «на 1 июля 2022»). По умолчанию все.",
)


def _period(text: str | None):
    try:
        return month_start(text) if text else None
    except ValueError as exc:
        fail(str(exc))


def _values(day, night, total) -> str:
    if day is not None:
        return f"Т1 {format_quantity(day)}, Т2 {format_quantity(night)}"
    return format_quantity(total)


@click.command(
    "readings-submitted",
    help="Показания, которые участники передали в личном кабинете и которые ждут проверки.",
)
@PERIOD
@with_appcontext
def readings_submitted_command(period: str | None) -> None:
    rows = services.queue(_period(period))
    clean = sum(1 for row in rows if row.clean)
    click.echo(f"Ждут проверки: {len(rows)}, из них без замечаний: {clean}.")
    for row in rows:
        s = row.submission
        used = f"расход {format_quantity(row.used.total)} кВт·ч" if row.used else "расход не посчитать"
        photo = "фото есть" if s.photo else "без фото"
        click.echo(
            f"  уч. {s.plot.number}, на {ru_date_short(s.period)}: {_values(s.day, s.night, s.total)}; {used}; {photo}"
        )
        for flag in row.flags:
            click.echo(f"      замечание: {flag}")


@click.command(
    "readings-accept",
    help="Принять переданные участниками показания без замечаний (как кнопка «Принять все без замечаний»): "
    "они записываются так же, как из файла, с начислениями.",
)
@PERIOD
@with_appcontext
def readings_accept_command(period: str | None) -> None:
    result = services.accept_clean(_period(period), by=None)
    for submission, reason in result.failed:
        click.echo(
            f"Уч. {submission.plot.number}, на {ru_date_short(submission.period)}: не принято — {reason}"
        )
    if not result.accepted:
        click.echo("Нечего принимать: показаний без замечаний нет.")
        return
    click.echo(f"Принято показаний: {len(result.accepted)}.")
    if result.report is not None and result.report.written:
        echo_report(result.report)


COMMANDS = [readings_submitted_command, readings_accept_command]
