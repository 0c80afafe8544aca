"""Yearly fees: membership per sotka, target fees per plot. Idempotent per year and title."""

from decimal import Decimal

from sqlalchemy import select

from snt.extensions import db
from snt.models import Charge, Plot
from snt.money import round_kopecks


def accrue_fees(
    year: int,
    kind: str = Charge.MEMBERSHIP,
    per_sotka: Decimal | None = None,
    fixed: Decimal | None = None,
    title: str = "",
) -> int:
    """Charge every plot for `year` (area × per_sotka, or a fixed sum). Returns the charges added.

    Plots already charged for this year, kind and title are left alone, so running it twice
    adds nothing. The caller commits.
    """
    if (per_sotka is None) == (fixed is None):
        raise ValueError("нужна либо ставка за сотку, либо фиксированная сумма")
    already = set(
        db.session.scalars(
            select(Charge.plot_id).where(Charge.year == year, Charge.kind == kind, Charge.title == title)
        )
    )
    added = 0
    for plot in db.session.scalars(select(Plot).order_by(Plot.sort_key)):
        if plot.id in already:
            continue
        amount = round_kopecks(plot.area * per_sotka) if per_sotka is not None else fixed
        db.session.add(Charge(plot_id=plot.id, kind=kind, year=year, title=title, amount=amount))
        added += 1
    return added
