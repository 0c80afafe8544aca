"""Accounts and plot ownership claims."""

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from snt.auth import members as member_service
from snt.auth import services as auth_services
from snt.cli.helpers import fail
from snt.extensions import db
from snt.models import PlotClaim
from snt.passwords import password_problem
from snt.plots import normalise_plot_number
from snt.registry import claims as claim_service


@click.group("claims", cls=AppGroup)
def claims_group() -> None:
    """Plot ownership claims waiting for the board."""


@claims_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Показать и решённые заявки.")
def claims_list(show_all: bool) -> None:
    """List pending claims (id, plot, account, registry owner and email)."""
    items = (
        claim_service.pending_claims()
        if not show_all
        else list(db.session.scalars(select(PlotClaim).order_by(PlotClaim.id)))
    )
    if not items:
        click.echo("Заявок, ожидающих подтверждения, нет.")
    for c in items:
        click.echo(
            f"{c.id}\tуч. {c.plot.number}\t{c.status}\tзаявитель: {c.account.login} <{c.account.email}>"
            f"\tпо реестру: {c.plot.owner_name or '—'} <{c.plot.email or '—'}>"
        )


def _claim(claim_id: int) -> PlotClaim:
    claim = db.session.get(PlotClaim, claim_id)
    if claim is None:
        fail(f"Заявки № {claim_id} нет. Список: flask claims list")
    return claim


def _seen(
    claim_ids: tuple[int, ...], plot: str | None, account: str | None, question: str
) -> list[tuple[int, str, str]]:
    """(claim id, plot, login) as the operator saw them: given with --plot and --account, or shown
    here and confirmed. The decision is refused if the claim no longer names them."""
    if (plot is None) != (account is None):
        fail("Укажите и --plot, и --account, или ни одного (тогда заявка будет показана для подтверждения).")
    if plot is not None:
        if len(claim_ids) != 1:
            fail("С --plot и --account указывается одна заявка.")
        return [(claim_ids[0], plot, account or "")]
    claims = [_claim(claim_id) for claim_id in claim_ids]  # all ids checked before any decision
    for c in claims:
        click.echo(
            f"Заявка {c.id}: {claim_service.describe(c)} <{c.account.email}>; "
            f"по реестру: {c.plot.owner_name or '—'} <{c.plot.email or '—'}>"
        )
    if not click.confirm(question):
        fail("Ничего не изменено.")
    return [(c.id, c.plot.number, c.account.login) for c in claims]


def _decide(seen: list[tuple[int, str, str]], approve: bool, reason: str = "") -> None:
    verb = "подтверждён" if approve else "отклонён"
    for claim_id, plot, account in seen:
        try:
            claim, mailed = claim_service.decide_and_notify(claim_id, approve, None, plot, account, reason)
        except claim_service.ClaimError as exc:
            fail(f"Заявка {claim_id}: {exc}")
        click.echo(f"Заявка {claim.id}: участок {claim.plot.number} {verb} для {claim.account.login}.")
        if not mailed:
            click.echo(f"  Письмо на {claim.account.email} не отправлено (см. журнал).", err=True)


PLOT_HELP = "Номер участка, который вы видели в заявке (без него заявка будет показана для подтверждения)."
ACCOUNT_HELP = "Логин заявителя, который вы видели в заявке."


@claims_group.command("approve")
@click.argument("claim_ids", nargs=-1, type=int, required=True)
@click.option("--plot", default=None, help=PLOT_HELP)
@click.option("--account", default=None, help=ACCOUNT_HELP)
def claims_approve(claim_ids: tuple[int, ...], plot: str | None, account: str | None) -> None:
    """Approve claims by id: the member sees these plots' data."""
    _decide(_seen(claim_ids, plot, account, "Подтвердить?"), approve=True)


@claims_group.command("reject")
@click.argument("claim_id", type=int)
@click.option("--reason", default="", help="Причина отказа (увидит заявитель).")
@click.option("--plot", default=None, help=PLOT_HELP)
@click.option("--account", default=None, help=ACCOUNT_HELP)
def claims_reject(claim_id: int, reason: str, plot: str | None, account: str | None) -> None:
    """Reject a claim: the member sees no data of that plot."""
    _decide(_seen((claim_id,), plot, account, "Отклонить?"), approve=False, reason=reason)


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option(
    "--role", type=click.Choice(["member", "board", "treasurer"]), default="board", show_default=True
)
@click.option("--plot", "plot_number", default=None, help="Номер участка-логина (для члена товарищества).")
@click.password_option("--password", prompt="Пароль", confirmation_prompt="Ещё раз")
def create_user_command(email: str, role: str, plot_number: str | None, password: str) -> None:
    """Create a confirmed account (board, treasurer or member). The password is asked, never defaulted."""
    problem = password_problem(password)
    if problem:
        fail(problem)
    try:
        account = auth_services.create_account(email, password, role, plot_number)
    except (auth_services.AuthError, ValueError) as exc:
        fail(str(exc))
    click.echo(f"Учётная запись {account.login} ({account.role}) создана.")


@click.command("set-role")
@with_appcontext
@click.argument("login")
@click.argument("role", type=click.Choice(["member", "board", "treasurer"]))
def set_role_command(login: str, role: str) -> None:
    """Change the role of an account (by plot number or email)."""
    try:
        account = auth_services.set_role(login, role)
    except auth_services.AuthError as exc:
        fail(str(exc))
    click.echo(f"Роль {account.login}: {account.role}.")


@click.command("release-login")
@with_appcontext
@click.argument("plot_number")
def release_login_command(plot_number: str) -> None:
    """Освободить номер участка, который служит логином учётной записи с адресом не из реестра.

    Учётная запись продолжит входить по адресу электропочты; ей уходит письмо, действие
    записывается в журнал действий."""
    try:
        number = normalise_plot_number(plot_number)
    except ValueError as exc:
        fail(str(exc))
    account = auth_services.find_by_login(number)
    if account is None:
        fail(f"Участок № {number} не служит логином ни одной учётной записи.")
    try:
        mailed = member_service.release_login(account, number, by=None)
    except auth_services.AuthError as exc:
        fail(str(exc))
    click.echo(
        f"Участок № {number} больше не логин учётной записи {account.email}: она входит по адресу электропочты."
    )
    if not mailed:
        click.echo(f"  Письмо на {account.email} не отправлено (см. журнал).", err=True)


@click.command("unblock")
@with_appcontext
@click.argument("login")
def unblock_command(login: str) -> None:
    """Разблокировать учётную запись (LOGIN — номер участка или адрес электропочты).

    Командная строка сервера может разблокировать любую учётную запись, в том числе казначея;
    действие записывается в журнал действий."""
    account = auth_services.find_by_login(login)
    if account is None:
        fail(f"Учётной записи «{login}» нет.")
    try:
        member_service.set_blocked(account, False, by=None)
    except auth_services.AuthError as exc:
        fail(str(exc))
    click.echo(f"Учётная запись {account.login} <{account.email}> разблокирована.")


COMMANDS = [claims_group, create_user_command, set_role_command, release_login_command, unblock_command]
