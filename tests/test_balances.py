"""The debtors' sums from SQL aggregates (snt.payments.balances) agree with the settled history
(payment_status, what «Статус моих оплат» shows) for every plot of the demo partnership."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt.demo import seed_demo
from snt.extensions import db
from snt.models import Charge, Payment, Plot
from snt.payments.balances import balances, debt_totals, debtors
from snt.payments.services import payment_status


def test_sums_agree_with_the_settled_history(app):
    with app.app_context():
        seed_demo()
        plot = db.session.scalar(select(Plot).order_by(Plot.sort_key))
        # An overpayment of one kind (an advance) must not pay another kind's debt.
        db.session.add(
            Payment(plot=plot, paid_on=date(2022, 6, 1), amount=Decimal("5000"), kind=Charge.TARGET)
        )
        db.session.commit()
        plots = list(db.session.scalars(select(Plot).order_by(Plot.sort_key)))
        settled = {s.plot.id: s for s in payment_status(plots)}
        sums = balances()
        for plot in plots:
            status = settled[plot.id]
            by_kind = {
                k: sum((r.due for r in status.rows if r.kind == k), Decimal("0.00")) for k in Charge.KINDS
            }
            if plot.id not in sums:
                assert status.due == status.prepaid == 0
                continue
            assert sums[plot.id].due_by_kind == by_kind, plot.number
            assert (sums[plot.id].due, sums[plot.id].prepaid) == (status.due, status.prepaid), plot.number
        owing = [s for s in settled.values() if s.due > 0]
        assert [d.plot.number for d in debtors()] == [s.plot.number for s in owing if s.plot in plots]
        assert debt_totals() == (len(owing), sum((s.due for s in owing), Decimal("0.00")))
        assert settled[plots[0].id].prepaid >= Decimal("5000")
