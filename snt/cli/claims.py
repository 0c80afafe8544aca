"""Plot ownership claims: the board's decisions from the shell, checked against what it saw."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from snt.cli.helpers import fail
from snt.extensions import db
from snt.models import PlotClaim
from snt.registry import claims as claim_service


@click.group("claims", cls=AppGroup)
def claims_group() -> None:
    """Заявки на участки, ожидающие решения правления."""


@claims_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Показать и решённые заявки.")
def claims_list(show_all: bool) -> None:
    """Заявки, ожидающие подтверждения: номер, участок, заявитель, владелец и адрес по реестру."""
    items = (
        claim_service.pending_claims()
        if not show_all
        else list(db.session.scalars(select(PlotClaim).order_by(PlotClaim.id)))
    )
    if not items:
        click.echo("Заявок, ожидающих подтверждения, нет.")
    for c in items:
        click.echo(
            f"{c.id}\tуч. {c.plot.number}\t{c.status_title}\tзаявитель: {c.account.login} <{c.account.email}>"
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
    """Подтвердить заявки с номерами CLAIM_IDS: заявитель увидит данные этих участков."""
    _decide(_seen(claim_ids, plot, account, "Подтвердить?"), approve=True)


@claims_group.command("reject")
@click.argument("claim_id", type=int)
@click.option("--reason", default="", help="Причина отказа (увидит заявитель).")
@click.option("--plot", default=None, help=PLOT_HELP)
@click.option("--account", default=None, help=ACCOUNT_HELP)
def claims_reject(claim_id: int, reason: str, plot: str | None, account: str | None) -> None:
    """Отклонить заявку CLAIM_ID: данные участка заявителю не откроются."""
    _decide(_seen((claim_id,), plot, account, "Отклонить?"), approve=False, reason=reason)


COMMANDS = [claims_group]
