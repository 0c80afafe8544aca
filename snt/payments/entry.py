"""A payment entered by the treasurer by hand (cash at the Saturday office hours, a transfer the
bank statement mislaid): stored like an imported one, with its source «внесено казначеем»."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt import audit, clock
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


def reversal_of(payment: Payment) -> Payment | None:
    """The reversal that cancels `payment`, if any."""
    return db.session.scalar(select(Payment).where(Payment.reverses_id == payment.id))


@writes
def reverse_payment(payment_id: int, seen_amount: str, reason: str, by: Account | None) -> Payment:
    """Cancel a payment with its negative twin (never deleting it): same plot, kind and named
    period, dated today, the reason as its purpose. Both stay in «Мои платежи», marked; the
    allocation leaves the pair out, every total nets it to zero. `seen_amount` is what the
    treasurer saw on the page: a payment that is not that one any more is not reversed."""
    payment = db.session.get(Payment, payment_id)
    if payment is None or str(payment.amount) != seen_amount.strip():
        raise EntryError("Такой оплаты нет (или она изменилась): откройте страницу участка заново.")
    if payment.source == Payment.REVERSAL:
        raise EntryError("Это уже сторно: сторнировать его нельзя. Если ошиблись — внесите оплату заново.")
    if payment.source == Payment.OPENING:
        raise EntryError("Остаток из прежнего учёта не сторнируется: он загружается один раз.")
    reason = " ".join(reason.split())[:300]
    if not reason:
        raise EntryError("Укажите причину сторно — её увидит владелец участка.")
    if reversal_of(payment) is not None:
        raise EntryError(f"Оплата от {ru_day(payment.paid_on)} уже сторнирована.")
    today = clock.today()
    reversal = Payment(
        plot_id=payment.plot_id, paid_on=max(today, payment.paid_on), amount=-payment.amount,
        kind=payment.kind, reference=f"reversal:{payment.id}", purpose=reason, source=Payment.REVERSAL,
        for_year=payment.for_year, for_month=payment.for_month, reverses_id=payment.id,
    )  # fmt: skip
    db.session.add(reversal)
    audit.record(
        "payment.reverse",
        by,
        payment,
        label=f"уч. {payment.plot.number}",
        details=f"оплата от {ru_day(payment.paid_on)}: {format_money(payment.amount)} ₽, "
        f"{KIND_TITLES[payment.kind].lower()}; причина: «{reason}»",
    )
    return reversal


def plot_payment(plot: Plot, payment_id: int) -> Payment | None:
    """One payment of `plot` (a payment id of another plot in the URL finds nothing)."""
    return db.session.scalar(select(Payment).where(Payment.id == payment_id, Payment.plot_id == plot.id))
