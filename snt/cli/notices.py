"""The monthly notices: `send-sms` and `send-email`, with the same options and the same once-only rules."""

import click
from flask import current_app
from flask.cli import with_appcontext

from snt.cli.helpers import bulk, echo_lines, fail
from snt.money import format_money
from snt.notices import report, services
from snt.notices.gateways import get_backend
from snt.notices.mail import deliver_email, plan_email
from snt.templating import ru_date

PERIOD = click.option(
    "--period", help="Месяц начала периода, ГГГГ-ММ (2022-05 — «01 мая – 01 июня»). По умолчанию последний."
)
RESEND_UNKNOWN = click.option(
    "--resend-unknown",
    is_flag=True,
    help="Отправить и сообщения, судьба которых неизвестна (сбой связи): только убедившись, что они не дошли.",
)
INCLUDE_FLAGGED = click.option(
    "--include-flagged",
    is_flag=True,
    help="Отправить и участкам с подозрительными показаниями (flask check-readings), если они проверены.",
)


@click.command("send-sms")
@with_appcontext
@PERIOD
@click.option(
    "--dry-run", is_flag=True, help="Показать все сообщения и число частей SMS, ничего не отправлять."
)
@RESEND_UNKNOWN
@INCLUDE_FLAGGED
@bulk
def send_sms_command(period: str | None, dry_run: bool, resend_unknown: bool, include_flagged: bool) -> None:
    """Разослать SMS о плате за электроэнергию за месяц: по одному на подтверждённый участок, владелец которого дал телефон и согласие."""
    try:
        run = services.plan(
            services.parse_period(period), resend_unknown=resend_unknown, include_flagged=include_flagged
        )
    except services.SmsError as exc:
        fail(str(exc))
    click.echo(report.title_line(run))
    echo_lines(report.reading_flag_lines(run))
    if dry_run:
        echo_lines(report.preview_lines(run))
        click.echo("Пробный запуск (--dry-run): ничего не отправлено.")
        return
    try:
        backend = get_backend(current_app.config, current_app.instance_path)
    except ValueError as exc:
        fail(str(exc))
    echo_lines(report.flagged_lines(run))
    _echo_held(run, "шлюз мог их доставить. Проверьте в личном кабинете шлюза")
    if not _anything_to_send(run):
        return
    with click.progressbar(length=len(run.to_send), label="Отправка SMS") as bar:
        result = services.deliver(run, backend, progress=bar.update)
    report.record(run, result, by=None)
    _echo_result(run, result, "Проверьте у шлюза")


@click.command("send-email")
@with_appcontext
@PERIOD
@click.option("--dry-run", is_flag=True, help="Показать, кому и какие письма уйдут, ничего не отправлять.")
@RESEND_UNKNOWN
@INCLUDE_FLAGGED
@bulk
def send_email_command(
    period: str | None, dry_run: bool, resend_unknown: bool, include_flagged: bool
) -> None:
    """Разослать письма о плате за электроэнергию за месяц (цифры, QR-код для оплаты, ссылка на квитанцию):
    по одному на подтверждённый участок, владелец которого выбрал письма."""
    try:
        run = plan_email(
            services.parse_period(period), resend_unknown=resend_unknown, include_flagged=include_flagged
        )
    except services.SmsError as exc:
        fail(str(exc))
    click.echo(f"Письма за период {ru_date(run.start)} – {ru_date(run.end)} ({run.period}).")
    echo_lines(report.reading_flag_lines(run))
    if dry_run:
        notes = report.notes(run)
        for draft in run.drafts:
            note = f" [{notes[id(draft)]}]" if id(draft) in notes else ""
            qr = f", QR-код на {format_money(draft.code.amount)} ₽" if draft.code else ", без QR-кода"
            click.echo(
                f"уч. {draft.plot.number} → {draft.email}{qr}{note}: начислено {format_money(draft.due)} ₽. "
                f"{draft.sentence}"
            )
        click.echo(f"Писем: {len(run.drafts)}. Будет отправлено сейчас: {len(run.to_send)}.")
        click.echo("Пробный запуск (--dry-run): ничего не отправлено.")
        return
    echo_lines(report.flagged_lines(run))
    _echo_held(run, "почтовый сервер мог их принять. Проверьте журнал почтового сервера")
    if not _anything_to_send(run):
        return
    with click.progressbar(length=len(run.to_send), label="Отправка писем") as bar:
        result = deliver_email(run, progress=bar.update)
    report.record(run, result, by=None, action="email.send")
    _echo_result(run, result, "Проверьте журнал почтового сервера")


def _anything_to_send(run: services.Plan) -> bool:
    if run.already_sent:
        click.echo(f"Уже отправлены раньше и не повторяются: {len(run.already_sent)}.")
    if not run.to_send:
        click.echo("Отправлять нечего.")
    return bool(run.to_send)


def _echo_result(run: services.Plan, result: services.Result, check_where: str) -> None:
    echo_lines(report.result_lines(run, result, check_where))
    if report.trouble(result):
        raise click.exceptions.Exit(1)


def _echo_held(run: services.Plan, why: str) -> None:
    if not run.held:
        return
    click.echo(
        f"Не отправляются повторно ({len(run.held)}): прошлый запуск прервался, {why}; "
        "если не дошли — запустите с --resend-unknown."
    )
    for draft in run.held:
        click.echo(f"  уч. {draft.plot.number} ({draft.address}): {draft.outbox.error or 'ответа нет'}")


COMMANDS = [send_sms_command, send_email_command]
