"""The privacy rules in one place: a member sees only plots whose ownership is verified, and
members-only announcements and documents are for members.

Every query for plot data (payments, readings, charges) starts from `verified_plots`; whatever
is marked «только членам товарищества» asks `can_see_members_only` (or `may_see` for an item).
"""

from functools import cache
from typing import Any

from sqlalchemy import Row, Select, bindparam, select
from sqlalchemy.orm import contains_eager, lazyload

from snt.extensions import db
from snt.models import Account, Plot, PlotClaim


def verified_plot_ids(account: Account) -> Select:
    """A subquery of the ids of plots whose claim by `account` is verified."""
    return _verified_plot_ids_of(account.id)


def _verified_plot_ids_of(account_id: Any) -> Select:
    """The rule itself, for an account id given as a value or as a bound parameter."""
    return select(PlotClaim.plot_id).where(
        PlotClaim.account_id == account_id, PlotClaim.status == PlotClaim.VERIFIED
    )


# The statements every cabinet page runs are built once, at the first request (not at import: they
# configure the mappers): building a statement and its cache key costs more than the query itself.


@cache
def _has_verified_plot() -> Select:
    """Whether an account has a verified plot: the same rule, the account as a parameter."""
    return select(_verified_plot_ids_of(bindparam("account_id")).exists())


@cache
def _claims_with_plots() -> Select:
    """Every claim of an account with its plot, in the plots' natural order."""
    return (
        select(PlotClaim)
        .join(PlotClaim.plot)
        .options(contains_eager(PlotClaim.plot).lazyload(Plot.owners))
        .where(PlotClaim.account_id == bindparam("account_id"))
        .order_by(Plot.sort_key)
    )


def verified_plots(account: Account, number: str | None = None) -> list[Plot]:
    """The account's verified plots in natural order; with `number`, only that one (if verified)."""
    # The owners load only where a page names them (the cabinet pages do not): one query less each.
    query = (
        select(Plot)
        .where(Plot.id.in_(verified_plot_ids(account)))
        .order_by(Plot.sort_key)
        .options(lazyload(Plot.owners))
    )
    if number is not None:
        query = query.where(Plot.number == number)
    return list(db.session.scalars(query))


def plots_and_claims(account: Account, number: str | None = None) -> tuple[list[Plot], list[PlotClaim]]:
    """(verified_plots(account, number), every claim of the account with its plot) in one query:
    the cabinet pages show the plots and the claims still waiting side by side."""
    claims = list(db.session.scalars(_claims_with_plots(), {"account_id": account.id}))
    plots = [
        c.plot
        for c in claims
        if c.status == PlotClaim.VERIFIED and (number is None or c.plot.number == number)
    ]
    return plots, claims


def _live_verified_claim() -> tuple:
    """The rule the monthly SMS and email follow: a verified claim by an account not blocked. On the
    tables' columns, so that a query of plain rows configures no mapper (ORM queries take them too)."""
    claim, account = PlotClaim.__table__.c, Account.__table__.c
    return claim.status == PlotClaim.VERIFIED, account.is_blocked.is_(False)


def verified_plot_ids_where(*conditions) -> Select:
    """A subquery of the ids of plots with a verified claim by an account not blocked and meeting
    `conditions` (the plots `verified_pairs` returns, for counting in SQL)."""
    return (
        select(PlotClaim.plot_id)
        .join(Account, Account.id == PlotClaim.account_id)
        .where(*_live_verified_claim(), *conditions)
    )


def verified_pairs(*conditions, owners: bool = True) -> list[tuple[Plot, Account]]:
    """Every (plot, account) whose claim is verified, the account not blocked and meeting
    `conditions`, in the plots' natural order: one query, and one per 500 plots for their owners
    unless `owners` is False (the caller reads no plot's owners)."""
    query = (
        select(Plot, Account)
        .join(PlotClaim, PlotClaim.plot_id == Plot.id)
        .join(Account, Account.id == PlotClaim.account_id)
        .where(*_live_verified_claim(), *conditions)
        .order_by(Plot.sort_key, Account.id)
    )
    if not owners:
        query = query.options(lazyload(Plot.owners))
    return [(plot, account) for plot, account in db.session.execute(query)]


def verified_owners(*conditions, owners: bool = True) -> dict[int, tuple[Plot, Account]]:
    """Plot id -> (plot, its first account with a verified claim meeting `conditions`), natural order.

    The monthly SMS and email reach only owners whose ownership is verified, like the pages."""
    found: dict[int, tuple[Plot, Account]] = {}
    for plot, account in verified_pairs(*conditions, owners=owners):
        found.setdefault(plot.id, (plot, account))
    return found


def verified_owner_rows(*conditions, columns: tuple) -> dict[int, Row]:
    """`verified_owners` through the tables, for a shell command that needs no object: plot id ->
    a row of the plot's id and `columns` (of `Plot.__table__`, and `Account.__table__` labelled
    apart from the plot's) for the plot and its first account with a verified claim, not blocked
    and meeting `conditions` (on the same tables). A query naming a mapped attribute configures
    every mapper first (0.05-0.1 s of CPU)."""
    plot, claim, account = Plot.__table__.c, PlotClaim.__table__.c, Account.__table__.c
    query = (
        select(plot.id, *columns)
        .join_from(Plot.__table__, PlotClaim.__table__, claim.plot_id == plot.id)
        .join(Account.__table__, account.id == claim.account_id)
        .where(*_live_verified_claim(), *conditions)
        .order_by(plot.sort_key, account.id)
    )
    found: dict[int, Row] = {}
    for row in db.session.execute(query).all():
        found.setdefault(row.id, row)
    return found


def can_see_members_only(user: Any) -> bool:
    """Who sees documents and announcements marked «только членам товарищества».

    For now: an account with at least one verified plot, or a board account; a registered account
    alone is not enough. When the registry learns who is a member, this is the one place to tell
    members from non-member owners (who have a right to many documents, 217-ФЗ art. 5).
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_board:
        return True
    return bool(db.session.scalar(_has_verified_plot(), {"account_id": user.id}))


def may_see(item: Any, account: Any) -> bool:
    """An announcement or document with `is_public`: for everyone if public, else for members."""
    return bool(item.is_public) or can_see_members_only(account)
