"""Accounts and plot ownership claims."""

import click
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from snt.auth import services as auth_services
from snt.cli.helpers import fail
from snt.extensions import db
from snt.models import PlotClaim
from snt.passwords import password_problem
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


@claims_group.command("approve")
@click.argument("claim_ids", nargs=-1, type=int, required=True)
def claims_approve(claim_ids: tuple[int, ...]) -> None:
    """Approve claims by id: the member sees these plots' data."""
    claims = [_claim(claim_id) for claim_id in claim_ids]  # all ids checked before any decision
    for claim in claims:
        mailed = claim_service.decide_and_notify(claim, approve=True, by=None)
        click.echo(f"Заявка {claim.id}: участок {claim.plot.number} подтверждён для {claim.account.login}.")
        if not mailed:
            click.echo(f"  Письмо на {claim.account.email} не отправлено (см. журнал).", err=True)


@claims_group.command("reject")
@click.argument("claim_id", type=int)
@click.option("--reason", default="", help="Причина отказа (увидит заявитель).")
def claims_reject(claim_id: int, reason: str) -> None:
    """Reject a claim: the member sees no data of that plot."""
    claim = _claim(claim_id)
    mailed = claim_service.decide_and_notify(claim, approve=False, by=None, reason=reason)
    click.echo(f"Заявка {claim.id}: участок {claim.plot.number} отклонён для {claim.account.login}.")
    if not mailed:
        click.echo(f"  Письмо на {claim.account.email} не отправлено (см. журнал).", err=True)


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


COMMANDS = [claims_group, create_user_command, set_role_command]
