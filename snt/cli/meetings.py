"""`flask meeting …`: the general meeting's notice from the shell, through the admin button's service."""

import click
from flask.cli import with_appcontext

from snt.cli.helpers import fail
from snt.extensions import db
from snt.meetings import notice, services
from snt.models import Meeting


@click.group("meeting", help="Общие собрания: уведомление, его сроки и рассылка.")
def meeting_group() -> None:
    pass


def _meeting(meeting_id: int) -> Meeting:
    found = db.session.get(Meeting, meeting_id)
    if found is None:
        fail(f"Собрания № {meeting_id} нет.")
    return found


@meeting_group.command(
    "notice-dry-run",
    help="Показать, кто и каким способом получит уведомление о собрании ID, и сроки. Ничего не отправляет.",
)
@click.argument("meeting_id", type=int, metavar="ID")
@with_appcontext
def notice_dry_run(meeting_id: int) -> None:
    found = _meeting(meeting_id)
    plan = notice.plan_notice(found)
    due = plan.deadlines
    click.echo(f"Собрание № {found.id}: {found.form_title}, {services.when_text(found)}.")
    click.echo(
        f"Сегодня {due.today:%d.%m.%Y}. Разослать уведомление не позднее {due.notice_by:%d.%m.%Y} (за {due.notice_days} дн.)."
    )
    click.echo(
        f"Открыть материалы не позднее {due.materials_by:%d.%m.%Y} (за {due.materials_days} дн.); прикреплено: {len(found.materials)}."
    )
    if plan.refused:
        click.echo(f"РАССЫЛКА НЕВОЗМОЖНА: {plan.refused}")
    elif found.notice_started_at:
        click.echo("Уведомление уже начато: продолжение рассылки допускается в любой день.")
    for draft in plan.email.drafts:
        state = (
            " (уже отправлено)"
            if draft in plan.email.already_sent
            else " (под вопросом: могло дойти)"
            if draft in plan.email.held
            else ""
        )
        click.echo(f"  письмо: {draft.person.full_name} (уч. {draft.plots}) → {draft.address}{state}")
    for person in plan.letters:
        plots = ", ".join(p.number for p in person.plots)
        click.echo(
            f"  почта: {person.full_name} (уч. {plots}) → {person.postal_address or 'почтовый адрес не указан'}"
        )
    for draft in plan.sms.drafts:
        click.echo(
            f"  SMS (если правление отметит): {draft.person.full_name} (уч. {draft.plots}) → {draft.address}"
        )
    click.echo(
        f"Писем: {len(plan.email.drafts)}, будет отправлено сейчас: {len(plan.email.to_send)}. "
        f"Писем по почте: {len(plan.letters)}. SMS выбрали: {len(plan.sms.drafts)}. "
        "Объявление на сайте и уведомление для щита — всем."
    )


@meeting_group.command(
    "send-notice",
    help="Разослать (или продолжить) уведомление о собрании ID — то же, что кнопка в администрировании.",
)
@click.argument("meeting_id", type=int, metavar="ID")
@click.option("--sms", is_flag=True, help="Также SMS тем, кто выбрал SMS (только при первой рассылке).")
@click.option(
    "--resend-unknown", is_flag=True, help="Отправить и тем, чья отправка прервалась (письмо могло дойти)."
)
@with_appcontext
def send_notice(meeting_id: int, sms: bool, resend_unknown: bool) -> None:
    found = _meeting(meeting_id)
    try:
        result = notice.send_notice(found, None, sms=sms, resend_unknown=resend_unknown)
    except notice.NoticeError as exc:
        fail(str(exc))
    email = result.email
    click.echo(f"Писем отправлено: {len(email.sent)}.")
    for draft, error in email.failed + email.unknown:
        click.echo(f"НЕ ОТПРАВЛЕНО {draft.address}: {error}")
    if result.sms is not None:
        click.echo(f"SMS отправлено: {len(result.sms.sent)}.")
    click.echo(f"Писем по почте (список для печати): {result.letters}.")
    if email.stopped:
        fail(f"Отправка остановлена: {email.stopped}. Запустите команду ещё раз, когда сервер заработает.")


COMMANDS = [meeting_group]
