"""`flask report debtors`: plots with amounts due, the same sums members see, from SQL aggregates
(snt.payments.balances) rather than each plot's settled history."""

import csv
import io
from decimal import Decimal

from snt.models import KIND_TITLES, Charge
from snt.payments.balances import Debtor, debtors

HEADER = ["Участок", "Владелец", *KIND_TITLES.values(), "Всего к оплате", "Предоплата"]

__all__ = ["HEADER", "Debtor", "debtors", "debtors_csv", "due_by_kind"]


def due_by_kind(debtor: Debtor) -> list[Decimal]:
    return [debtor.balance.due_by_kind[kind] for kind in Charge.KINDS]


def debtors_csv(rows: list[Debtor]) -> bytes:
    """What Russian Excel opens as it is: UTF-8 with BOM, ';', decimal comma, no thousands separator."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for d in rows:
        amounts = [*due_by_kind(d), d.balance.due, d.balance.prepaid]
        writer.writerow([d.plot.number, d.plot.owner_name, *(f"{a:.2f}".replace(".", ",") for a in amounts)])
    return out.getvalue().encode("utf-8-sig")
