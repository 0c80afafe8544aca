"""Balances summed in SQL come out as allocating every charge one by one would (issue 12).

The oracle is billing.allocate over the plot's raw charges, oldest first, as the pages did
before the sums moved into SQL: electricity over two years paid partly, fees of two titles.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from snt import billing
from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Charge, Payment, Reading, Tariff
from snt.payments.fees import accrue_fees
from snt.payments.services import payment_status
from tests.helpers import add_plot


def one_by_one(plot_id: int, kind: str) -> list[billing.BalanceRow]:
    charges = db.session.execute(
        select(Charge.year, Charge.title, Charge.amount)
        .where(Charge.plot_id == plot_id, Charge.kind == kind)
        .order_by(Charge.year, Charge.period_end, Charge.id)
    ).all()
    payments = db.session.scalars(
        select(Payment).where(Payment.plot_id == plot_id, Payment.kind == kind)
    ).all()
    paid = sum((p.amount for p in payments), billing.ZERO)
    last = max((p.paid_on.year for p in payments), default=date.today().year)
    return billing.allocate([tuple(c) for c in charges], paid, kind, last)


def test_sums_allocate_as_charges_one_by_one(app):
    with app.app_context():
        db.session.add(Tariff(valid_from=date(2021, 1, 1), single=Decimal("5.93"), day=Decimal("6.82"), night=Decimal("2.65")))  # fmt: skip
        plot = add_plot("7")
        db.session.flush()
        for m in range(15):  # 2021-10 … 2022-12: periods in two years
            on = date(2021 + (m + 9) // 12, (m + 9) % 12 + 1, 1)
            db.session.add(Reading(plot_id=plot.id, taken_on=on, day=Decimal(100 + 37 * m * m), night=Decimal(50 + 11 * m), total=Decimal(150 + 37 * m * m + 11 * m)))  # fmt: skip
        db.session.flush()
        bill_periods([plot.id])
        for year in (2021, 2022):
            accrue_fees(year, per_sotka=Decimal("1000"))
            accrue_fees(year, Charge.TARGET, fixed=Decimal("500"), title="Дорога")
            accrue_fees(year, Charge.TARGET, fixed=Decimal("300"), title="Свет")
        db.session.add_all(
            [
                Payment(plot_id=plot.id, paid_on=date(2022, 3, 5), amount=Decimal("1234.56"), kind=Charge.ELECTRICITY),
                Payment(plot_id=plot.id, paid_on=date(2022, 8, 5), amount=Decimal("2000.01"), kind=Charge.ELECTRICITY),
                Payment(plot_id=plot.id, paid_on=date(2022, 6, 1), amount=Decimal("9000"), kind=Charge.MEMBERSHIP),
                Payment(plot_id=plot.id, paid_on=date(2022, 6, 1), amount=Decimal("650"), kind=Charge.TARGET),
            ]
        )  # fmt: skip
        db.session.commit()
        [status] = payment_status([plot])
        expected = [row for kind in Charge.KINDS for row in one_by_one(plot.id, kind)]
        expected.sort(key=lambda r: (Charge.KINDS.index(r.kind), r.year, r.title))
        assert status.rows == expected
        assert any(
            r.kind == Charge.ELECTRICITY and r.due and r.due != r.charged for r in status.rows
        )  # a partial year
