"""A payment entered by the treasurer by hand (cash at the Saturday office hours, a transfer the
bank statement mislaid): stored like an imported one, with its source «внесено казначеем»."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt import audit
from snt.database import writes
from snt.dates import ru_day
from snt.extensions import db
from snt.models import Account, Charge, Payment, Plot
from snt.money import format_money
from snt.payments.purpose import named_month, named_year
from snt.payments.services import KIND_TITLES


class EntryError(ValueError):
    """A Russian message: nothing was stored."""


@writes
def enter_payment(
    plot: Plot, paid_on: date, amount: Decimal, kind: str, purpose: str, token: str, by: Account | None
) -> Payment:
    """Store one payment; the form's `token` makes a second click (or a reloaded POST) harmless."""
    if kind not in Charge.KINDS:
        raise EntryError("Выберите статью оплаты.")
    if amount <= 0:
        raise EntryError("Сумма должна быть больше нуля.")
    if paid_on > date.today():
        raise EntryError(f"Дата {ru_day(paid_on)} ещё не наступила.")
    reference = f"manual:{token}"[:100]
    if db.session.scalar(select(Payment.id).where(Payment.reference == reference)) is not None:
        raise EntryError("Эта оплата уже внесена (форма отправлена второй раз).")
    purpose = purpose.strip()[:500]
    payment = Payment(
        plot=plot, paid_on=paid_on, amount=amount, kind=kind, reference=reference, purpose=purpose,
        source=Payment.TREASURER, for_year=named_year(purpose),
        for_month=named_month(purpose) if kind == Charge.ELECTRICITY else None,
    )  # fmt: skip
    db.session.add(payment)
    audit.record(
        "payment.enter",
        by,
        label=f"уч. {plot.number}",
        details=f"{ru_day(paid_on)}: {format_money(amount)} ₽, {KIND_TITLES[kind].lower()}"
        + (f", «{purpose}»" if purpose else ""),
    )
    return payment
