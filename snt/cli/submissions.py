"""Readings members passed: the queue, accepting it, the reminder — the admin page's services."""

import click
from flask import current_app
from flask.cli import with_appcontext

from snt.cli.helpers import echo_report, fail
from snt.electricity.checks import month_start
from snt.money import format_quantity
from snt.notices.gateways import get_backend
from snt.submissions import reminders, retention, review
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
    rows = review.queue(_period(period))
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
    result = review.accept_clean(_period(period), by=None)
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


@click.command(
    "readings-remind",
    help="Напомнить передать показания (SMS и письма) тем, кто их выбрал и ещё не передал показания на 1-е "
    "число открытого приёма; каждому один раз за период. Запускайте раз в день (cron): напоминание уйдёт "
    "в первый день приёма. Заодно удаляет переданные показания и фото старше срока из настроек.",
)
@click.option(
    "--dry-run", is_flag=True, help="Показать, кому и что уйдёт, ничего не отправлять и не удалять."
)
@click.option(
    "--resend-unknown",
    is_flag=True,
    help="Отправить и напоминания, судьба которых неизвестна (сбой связи): только убедившись, что они не дошли.",
)
@with_appcontext
def readings_remind_command(dry_run: bool, resend_unknown: bool) -> None:
    run = reminders.plan_reminders(resend_unknown=resend_unknown)
    if run.reason:
        click.echo(run.reason)
    else:
        click.echo(
            f"Приём показаний на {ru_date_short(run.window.period)} открыт до "
            f"{ru_date_short(run.window.closes_on)}. К отправке: {len(run.to_send)}, "
            f"уже отправлено раньше: {len(run.already_sent)}, ждут решения: {len(run.held)}."
        )
    for draft in run.held:
        click.echo(f"  не отправлено (могло дойти, см. --resend-unknown): {draft.address}")
    if dry_run:
        for draft in run.to_send:
            click.echo(
                f"  {CHANNELS[draft.channel]} {draft.address} (уч. {', '.join(draft.plots)}): {draft.text}"
            )
        click.echo("Пробный запуск (--dry-run): ничего не отправлено.")
        return
    if run.to_send:
        try:
            backend = get_backend(current_app.config, current_app.instance_path)
        except ValueError as exc:
            fail(str(exc))
        result = reminders.deliver_reminders(run, backend)
        click.echo(f"Отправлено: {len(result.sent)}.")
        for failed, error in result.failed + result.unknown:
            click.echo(f"  {failed.address}: {error}")
        if result.stopped:
            fail(f"Рассылка остановлена: {result.stopped}")
    purged = retention.purge()
    if purged:
        click.echo(f"Удалено старых переданных показаний (с фото): {purged}.")


CHANNELS = {"sms": "SMS", "email": "письмо"}
COMMANDS = [readings_submitted_command, readings_accept_command, readings_remind_command]
