"""`flask report debtors`: plots with amounts due, from the same balances members see."""

import csv
import io
from decimal import Decimal

from sqlalchemy import select

from snt import billing
from snt.extensions import db
from snt.models import KIND_TITLES, Charge, Plot
from snt.payments.services import PlotStatus, payment_status

HEADER = ["Участок", "Владелец", *KIND_TITLES.values(), "Всего к оплате", "Предоплата"]


def debtors() -> list[PlotStatus]:
    """Every plot that owes something, in natural plot order: three queries whatever the size."""
    plots = list(db.session.scalars(select(Plot).order_by(Plot.sort_key)))
    return [status for status in payment_status(plots) if status.due > 0]


def due_by_kind(status: PlotStatus) -> list[Decimal]:
    return [sum((r.due for r in status.rows if r.kind == kind), billing.ZERO) for kind in Charge.KINDS]


def debtors_csv(statuses: list[PlotStatus]) -> bytes:
    """What Russian Excel opens as it is: UTF-8 with BOM, ';', decimal comma, no thousands separator."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for s in statuses:
        amounts = [*due_by_kind(s), s.due, s.prepaid]
        writer.writerow([s.plot.number, s.plot.owner_name, *(f"{a:.2f}".replace(".", ",") for a in amounts)])
    return out.getvalue().encode("utf-8-sig")
