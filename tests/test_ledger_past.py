"""The cabinet pages read settled years as sums (issue 12 item 2): the figures stay those of the
whole history to the kopeck, on a multi-year history with debts, named payments and refunds."""

from datetime import date
from decimal import Decimal

import pytest

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Charge, Payment, Plot, Reading, Tariff
from snt.payments.services import load_ledger, payment_status, total_due, total_due_of
from tests.helpers import add_plot, counting_statements, make_app

TODAY = date(2026, 1, 20)


def pay(plot, on: date, amount: str, kind: str = Charge.ELECTRICITY, year=None, month=None) -> None:
    db.session.add(
        Payment(plot=plot, paid_on=on, amount=Decimal(amount), kind=kind, for_year=year, for_month=month)
    )


@pytest.fixture
def history(tmp_path, smtp_server):
    """Eight years, 2018–2025, of five plots that pay in different ways."""
    app = make_app(tmp_path, smtp_server[0].port)
    with app.app_context():
        db.session.add(Tariff(valid_from=date(2017, 1, 1), single=Decimal("5.93"), day=Decimal("6.82"),
                              night=Decimal("2.65")))  # fmt: skip
        plots = [add_plot(str(n), email="m@example.ru", two_tariff=n % 2 == 0) for n in range(1, 6)]
        for n, plot in enumerate(plots, 1):
            for m in range(8 * 12 + 1):
                on = date(2018 + m // 12, m % 12 + 1, 1)
                day, night = 1000 + m * (50 + n * 7), 300 + m * (20 + n)
                db.session.add(Reading(plot=plot, taken_on=on, day=day, night=night, total=day + night))
            for year in range(2018, 2026):
                db.session.add(Charge(plot=plot, kind=Charge.MEMBERSHIP, year=year, title="",
                                      amount=Decimal("7200.00"), due_on=date(year, 7, 1)))  # fmt: skip
        one, two, three, four, _five = plots
        # A correction (a negative charge) in an old year, and a target fee with its own title.
        db.session.add(
            Charge(plot=three, kind=Charge.MEMBERSHIP, year=2019, title="", amount=Decimal("-500.00"))
        )
        db.session.add(Charge(plot=four, kind=Charge.TARGET, year=2020, title="Дорога",
                              amount=Decimal("3000.00"), due_on=date(2020, 9, 1)))  # fmt: skip
        for year in range(2018, 2026):
            # 1: pays everything each December, no purpose; fees naming the year.
            pay(one, date(year, 12, 20), "6000.00")
            pay(one, date(year, 6, 1), "7200.00", Charge.MEMBERSHIP, year=year)
            # 2: pays too little for electricity since 2019: a debt from an old year.
            pay(two, date(year, 12, 20), "6000.00" if year == 2018 else "3000.00")
            pay(two, date(year, 6, 1), "7200.00", Charge.MEMBERSHIP)
            # 3: overpays fees naming the year; a refund; electricity naming a year.
            pay(three, date(year, 6, 1), "8000.00", Charge.MEMBERSHIP, year=year)
            pay(three, date(year, 12, 1), "6500.00", year=year)
        pay(three, date(2021, 3, 1), "-1000.00", Charge.MEMBERSHIP)
        pay(three, date(2019, 2, 1), "-200.00")
        # 4: a payment naming a period in 2020, another naming a year with nothing charged.
        for year in range(2018, 2026):
            pay(four, date(year, 12, 20), "5000.00")
        pay(four, date(2020, 7, 4), "700.00", month=date(2020, 5, 1), year=2020)
        pay(four, date(2021, 1, 10), "3000.00", Charge.TARGET, year=2020)
        pay(four, date(2022, 1, 10), "100.00", Charge.TARGET, year=2015)
        # 5: nothing paid at all.
        db.session.flush()
        bill_periods([p.id for p in plots])
        db.session.commit()
    return app


def figures(statuses) -> list:
    return [
        (
            s.plot.number,
            s.due,
            s.prepaid,
            s.overdue,
            s.electricity_paid,
            s.last_electricity_payment,
            [
                (
                    r.kind,
                    r.title,
                    r.year,
                    r.charged,
                    r.due,
                    r.prepaid,
                    r.due_on,
                    [u.charge.key for u in r.unpaid],
                )
                for r in s.rows
            ],
            [(line.kind, line.due, line.overdue, line.due_on, line.overdue_since) for line in s.lines],
            {kind: (a.due, a.prepaid, a.credit) for kind, a in s.kinds.items()},
        )
        for s in statuses
    ]


def test_the_settled_past_read_as_sums_gives_the_whole_history_figures(history):
    with history.app_context():
        plots = list(db.session.scalars(db.select(Plot).order_by(Plot.id)))
        whole = payment_status(plots, TODAY)
        assert any(s.due > 0 for s in whole) and any(s.prepaid > 0 for s in whole)
        for since in range(2017, 2028):
            assert figures(payment_status(plots, TODAY, since=since)) == figures(whole), since
            for plot in plots:  # one plot at a time: a neighbour's old debt does not hide anything
                alone = payment_status([plot], TODAY, since=since)
                assert figures(alone) == figures(payment_status([plot], TODAY)), (since, plot.number)
        assert total_due(payment_status(plots, TODAY, since=2025)) == total_due(whole)


def test_the_profiles_total_from_sums_is_the_pages_total(history):
    """«Итого к оплате» of «Мои данные» from three sums: the same as the payments page adds up, plot
    by plot (a debtor, one that overpays with a correction and a refund, one that paid nothing)."""
    with history.app_context():
        plots = list(db.session.scalars(db.select(Plot).order_by(Plot.id)))
        for plot in plots:
            assert total_due_of([plot]) == total_due(payment_status([plot], TODAY)), plot.number
        assert total_due_of(plots) == total_due(payment_status(plots, TODAY)) > 0


def test_a_settled_history_reads_its_recent_year_and_a_sum_per_older_year(tmp_path, smtp_server):
    """Rows read, not only statements: a plot that always paid reads the periods of its recent
    year, one sum per older year, and the same statements at 2 and at 8 years."""
    counts = []
    for years in (2, 8):
        app = make_app(tmp_path / str(years), smtp_server[0].port)
        with app.app_context():
            db.session.add(Tariff(valid_from=date(2017, 1, 1), single=Decimal("5.93"), day=Decimal("6.82"),
                                  night=Decimal("2.65")))  # fmt: skip
            plot = add_plot("1", email="m@example.ru")
            start = 2026 - years
            for m in range(years * 12 + 1):
                on = date(start + m // 12, m % 12 + 1, 1)
                db.session.add(Reading(plot=plot, taken_on=on, day=1000 + 60 * m, night=300 + 20 * m,
                                       total=1300 + 80 * m))  # fmt: skip
            for year in range(start, 2026):
                pay(plot, date(year, 12, 20), "9000.00")
            db.session.flush()
            bill_periods([plot.id])
            db.session.commit()
            with counting_statements(app) as counter:
                status = payment_status([plot], TODAY, since=2025)
            assert status[0].prepaid > 0 and status[0].due == 0
            ledger = load_ledger([plot.id], (Charge.ELECTRICITY,), since=2025)
            assert len(ledger.charges[(plot.id, Charge.ELECTRICITY)]) == 12 + years - 1
            assert len(ledger.payments[(plot.id, Charge.ELECTRICITY)]) == 1  # the sum of all
            counts.append(counter.count)
    assert counts[0] == counts[1]
