"""Plot ownership claims: verified automatically by a matching registry email,
otherwise by a board member."""

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from snt import audit
from snt.database import write_transaction
from snt.email import external_url, send_email_or_log
from snt.extensions import db
from snt.models import Account, Plot, PlotClaim, utcnow


class ClaimError(ValueError):
    """Russian messages, one per problem, for the person who typed the list."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _emails_match(plot: Plot, account: Account) -> bool:
    # Any co-owner's registry email verifies the plot for that co-owner's account.
    return bool(account.email_confirmed_at and account.email.lower() in plot.emails)


def set_claimed_plots(account: Account, numbers: list[str]) -> None:
    """Make the account's claims exactly `numbers` (plus its login plot).

    New claims are verified at once when the registry's email for the plot equals the account's
    confirmed email, otherwise they wait for the board. Claims left out are withdrawn; a
    rejected claim stays rejected. Raises ClaimError for numbers not in the registry.
    """
    wanted = list(numbers)
    if account.login_plot and account.login_plot.number not in wanted:
        wanted.insert(0, account.login_plot.number)
    plots = {p.number: p for p in db.session.scalars(select(Plot).where(Plot.number.in_(wanted)))}
    unknown = [n for n in wanted if n not in plots]
    if unknown:
        raise ClaimError([f"Участка № {n} нет в реестре товарищества. Проверьте номер." for n in unknown])
    current = {c.plot.number: c for c in account.claims}
    for number, claim in current.items():
        if number not in wanted and claim.status != PlotClaim.REJECTED:
            account.claims.remove(claim)
    for number in wanted:
        if number not in current:
            claim = PlotClaim(plot=plots[number], status=PlotClaim.PENDING)
            account.claims.append(claim)
    verify_matching_claims(account)


def verify_matching_claims(account: Account) -> int:
    """Verify the pending claims whose plot's registry email is the account's confirmed email."""
    verified = 0
    for claim in account.claims:
        if claim.status == PlotClaim.PENDING and _emails_match(claim.plot, account):
            claim.status = PlotClaim.VERIFIED
            claim.decided_at = utcnow()
            claim.reason = "адрес электропочты совпал с реестром"
            verified += 1
    return verified


def _replaced(old: str, new: str) -> bool:
    """Both non-empty and different, ignoring case and spacing."""
    old, new = " ".join(old.split()).casefold(), " ".join(new.split()).casefold()
    return bool(old and new) and old != new


def owner_changed(old_owner: str, new_owner: str, old_email: str, new_email: str) -> bool:
    """Whether a registry edit names another owner: the owner's name replaced by a different one,
    or the registry email replaced by a different one. Filling in or clearing a field is not a
    change of owner."""
    return _replaced(old_owner, new_owner) or _replaced(old_email, new_email)


def reopen_claims_of_new_owner(plot: Plot) -> list[PlotClaim]:
    """After the registry names another owner of `plot`: its verified claims go back to the board
    («ожидает подтверждения»), except those of the account whose confirmed email is the plot's new
    registry email. Returns the reopened claims (the caller records them)."""
    reopened = []
    for claim in db.session.scalars(
        select(PlotClaim).where(PlotClaim.plot_id == plot.id, PlotClaim.status == PlotClaim.VERIFIED)
    ):
        if _emails_match(plot, claim.account):
            continue
        claim.status = PlotClaim.PENDING
        claim.decided_at = claim.decided_by_id = None
        claim.reason = "в реестре сменился владелец участка: нужна проверка правления"
        reopened.append(claim)
    return reopened


def pending_claims() -> list[PlotClaim]:
    return list(
        db.session.scalars(
            select(PlotClaim).where(PlotClaim.status == PlotClaim.PENDING).order_by(PlotClaim.created_at)
        )
    )


def decide_claim(claim: PlotClaim, approve: bool, by: Account | None = None, reason: str = "") -> None:
    claim.status = PlotClaim.VERIFIED if approve else PlotClaim.REJECTED
    claim.decided_at = utcnow()
    claim.decided_by_id = by.id if by else None
    claim.reason = reason


def describe(claim: PlotClaim) -> str:
    """What the board is shown of a claim, and must see again when it decides."""
    return f"участок № {claim.plot.number}, заявитель {claim.account.login}"


def decide_and_notify(
    claim_id: int,
    approve: bool,
    by: Account | None,
    seen_plot: str,
    seen_account: str,
    reason: str = "",
) -> tuple[PlotClaim, bool]:
    """The board's decision, from the admin area or the shell: saved with an audit entry, then
    mailed to the member either way. Returns the claim and False when the email could not be sent.

    `seen_plot` and `seen_account` are the plot number and the login the board was shown: the
    decision is refused (ClaimError) unless the claim still names exactly them, so a claim withdrawn
    and re-made for another plot (or a reused id) is never decided unseen.
    """
    with write_transaction():  # the mail goes out after the commit, with no lock held
        claim = db.session.get(PlotClaim, claim_id)
        if claim is None:
            raise ClaimError(
                ["Этой заявки больше нет: заявитель её изменил. Проверьте список заявок ещё раз."]
            )
        if (claim.plot.number, claim.account.login) != (
            (seen_plot or "").strip(),
            (seen_account or "").strip(),
        ):
            raise ClaimError(
                [
                    f"Заявка изменилась после того, как вы открыли страницу: {describe(claim)}. Проверьте её ещё раз."
                ]
            )
        decide_claim(claim, approve, by, reason.strip())
        audit.record(
            "claim.approve" if approve else "claim.reject",
            by,
            claim,
            label=f"участок {claim.plot.number}, {claim.account.login} <{claim.account.email}>",
            details=claim.reason,
        )
    mailed = send_email_or_log(
        f"участок № {claim.plot.number} подтверждён"
        if approve
        else f"участок № {claim.plot.number} не подтверждён",
        [claim.account.email],
        "claim_decided",
        claim=claim,
        approve=approve,
        status_url=external_url("payments.status"),
        contacts_url=external_url("public.contacts"),
    )
    return claim, mailed


def account_claims(account: Account, unverified_only: bool = False) -> list[PlotClaim]:
    """The account's claims with their plots, in natural plot order: one query."""
    query = (
        select(PlotClaim)
        .join(PlotClaim.plot)
        .options(contains_eager(PlotClaim.plot).lazyload(Plot.owners))  # owners only if a page asks
        .where(PlotClaim.account_id == account.id)
        .order_by(Plot.sort_key)
    )
    if unverified_only:
        query = query.where(PlotClaim.status != PlotClaim.VERIFIED)
    return list(db.session.scalars(query))


def claims_by_status(status: str) -> list[PlotClaim]:
    """The board's list: claims with `status` (a PlotClaim status, or "all"), newest first, with
    their plots and accounts loaded in the same query."""
    query = (
        select(PlotClaim)
        .join(PlotClaim.plot)
        .join(PlotClaim.account)
        .options(
            contains_eager(PlotClaim.plot), contains_eager(PlotClaim.account).joinedload(Account.login_plot)
        )
        .order_by(PlotClaim.created_at.desc(), Plot.sort_key)
    )
    if status != "all":
        query = query.where(PlotClaim.status == status)
    return list(db.session.scalars(query))
