"""The privacy rules in one place: a member sees only plots whose ownership is verified, and
members-only announcements and documents are for members.

Every query for plot data (payments, readings, charges) starts from `verified_plots`; every
members-only item is shown through `can_see_members_only` or `may_see`.
"""

from typing import Any

from sqlalchemy import Select, select

from snt.extensions import db
from snt.models import Account, Plot, PlotClaim


def verified_plot_ids(account: Account) -> Select:
    """A subquery of the ids of plots whose claim by `account` is verified."""
    return select(PlotClaim.plot_id).where(
        PlotClaim.account_id == account.id, PlotClaim.status == PlotClaim.VERIFIED
    )


def verified_plots(account: Account, number: str | None = None) -> list[Plot]:
    """The account's verified plots in natural order; with `number`, only that one (if verified)."""
    query = select(Plot).where(Plot.id.in_(verified_plot_ids(account))).order_by(Plot.sort_key)
    if number is not None:
        query = query.where(Plot.number == number)
    return list(db.session.scalars(query))


def verified_owners(*conditions) -> dict[int, tuple[Plot, Account]]:
    """Plot id -> (plot, its first account with a verified claim meeting `conditions`), natural order.

    The monthly SMS and email reach only owners whose ownership is verified, like the pages."""
    rows = db.session.execute(
        select(Plot, Account)
        .join(PlotClaim, PlotClaim.plot_id == Plot.id)
        .join(Account, Account.id == PlotClaim.account_id)
        .where(PlotClaim.status == PlotClaim.VERIFIED, Account.is_blocked.is_(False), *conditions)
        .order_by(Plot.sort_key, Account.id)
    )
    owners: dict[int, tuple[Plot, Account]] = {}
    for plot, account in rows:
        owners.setdefault(plot.id, (plot, account))
    return owners


def can_see_members_only(account: Any) -> bool:
    """Whether `account` (Flask-Login's current_user, a guest included) sees members-only items."""
    return bool(account.is_authenticated)


def may_see(item: Any, account: Any) -> bool:
    """An announcement or document with `is_public`: for everyone if public, else for members."""
    return bool(item.is_public) or can_see_members_only(account)
