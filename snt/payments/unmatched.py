"""«Нераспознанные платежи»: statement payments no plot was found for, kept (never dropped) until
the treasurer assigns a plot and a kind, or marks one «не наш платёж». Each decision is audited;
the statement's reference keeps a re-import from adding them again."""

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import func, insert, select

from snt import audit
from snt.database import writes
from snt.dates import ru_day
from snt.extensions import db
from snt.models import KIND_TITLES, Account, Charge, Payment, Plot, UnmatchedPayment, utcnow
from snt.money import format_money
from snt.payments.purpose import named_month, named_year
from snt.plots import normalise_plot_number
from snt.reports import UNCHANGED, Report

NEW_LABEL = "нераспознанных платежей в списке"


class UnmatchedError(ValueError):
    """A Russian message: nothing was stored."""


class Found(Protocol):  # snt.imports.bank1c.Unmatched
    reference: str
    paid_on: object
    amount: object
    payer: str
    purpose: str
    reason: str
    guessed_kind: str | None


def store_unmatched(found: Sequence[Found], report: Report) -> None:
    """Add the ones not yet listed (by the statement's reference, assigned ones included)."""
    refs = [f.reference for f in found]
    known = set(
        db.session.scalars(select(UnmatchedPayment.reference).where(UnmatchedPayment.reference.in_(refs)))
    )
    known |= set(db.session.scalars(select(Payment.reference).where(Payment.reference.in_(refs))))
    new = [f for f in found if f.reference not in known]
    report.count(UNCHANGED, len(found) - len(new))
    if new:
        db.session.execute(
            insert(UnmatchedPayment),
            [
                {"reference": f.reference, "paid_on": f.paid_on, "amount": f.amount, "payer": f.payer,
                 "purpose": f.purpose, "reason": f.reason, "guessed_kind": f.guessed_kind,
                 "status": UnmatchedPayment.NEW, "created_at": utcnow()}
                for f in new
            ],
        )  # fmt: skip
    report.count(NEW_LABEL, len(new))


def open_unmatched() -> list[UnmatchedPayment]:
    """Waiting for the treasurer, oldest first."""
    return list(
        db.session.scalars(
            select(UnmatchedPayment)
            .where(UnmatchedPayment.status == UnmatchedPayment.NEW)
            .order_by(UnmatchedPayment.paid_on, UnmatchedPayment.id)
        )
    )


def resolved_unmatched(limit: int = 50) -> list[UnmatchedPayment]:
    """The newest decisions, for the same page."""
    return list(
        db.session.scalars(
            select(UnmatchedPayment)
            .where(UnmatchedPayment.status != UnmatchedPayment.NEW)
            .order_by(UnmatchedPayment.resolved_at.desc(), UnmatchedPayment.id.desc())
            .limit(limit)
        )
    )


def count_open() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(UnmatchedPayment)
            .where(UnmatchedPayment.status == UnmatchedPayment.NEW)
        )
        or 0
    )


def _waiting(item_id: int) -> UnmatchedPayment:
    item = db.session.get(UnmatchedPayment, item_id)
    if item is None:
        raise UnmatchedError("Такого нераспознанного платежа нет: откройте список заново.")
    if item.status != UnmatchedPayment.NEW:
        raise UnmatchedError("Этот платёж уже разобран: откройте список заново.")
    return item


def _label(item: UnmatchedPayment) -> str:
    return f"{ru_day(item.paid_on)}, {item.payer or 'плательщик не указан'}, {format_money(item.amount)} ₽"


@writes
def assign(item_id: int, plot_number: str, kind: str, by: Account | None) -> Payment:
    """Store the payment on `plot_number` as `kind`, under the statement's reference."""
    item = _waiting(item_id)
    try:
        number = normalise_plot_number(plot_number)
    except ValueError as exc:
        raise UnmatchedError(f"Номер участка: {exc}.") from exc
    plot = db.session.scalar(select(Plot).where(Plot.number == number))
    if plot is None:
        raise UnmatchedError(f"Участка № {number} нет в реестре.")
    if kind not in Charge.KINDS:
        raise UnmatchedError("Выберите статью оплаты.")
    payment = Payment(
        plot=plot, paid_on=item.paid_on, amount=item.amount, kind=kind, reference=item.reference,
        purpose=item.purpose, source=Payment.STATEMENT, for_year=named_year(item.purpose),
        for_month=named_month(item.purpose) if kind == Charge.ELECTRICITY else None,
    )  # fmt: skip
    db.session.add(payment)
    item.status, item.payment, item.resolved_at = UnmatchedPayment.ASSIGNED, payment, utcnow()
    audit.record(
        "unmatched.assign",
        by,
        payment,
        label=f"уч. {plot.number}",
        details=f"{_label(item)} → уч. {plot.number}, {KIND_TITLES[kind].lower()}; «{item.purpose}»",
    )
    return payment


@writes
def mark_foreign(item_id: int, by: Account | None) -> UnmatchedPayment:
    """«Не наш платёж»: kept in the list as decided, never stored as a payment."""
    item = _waiting(item_id)
    item.status, item.resolved_at = UnmatchedPayment.FOREIGN, utcnow()
    audit.record("unmatched.foreign", by, item, label=_label(item), details=f"«{item.purpose}»")
    return item
