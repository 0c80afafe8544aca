"""Pages run a bounded number of SQL statements: the same for 1 and 24 months, 1 and 5 plots."""

from datetime import date
from decimal import Decimal

import pytest

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.fees import accrue_fees
from snt.models import Payment, Reading, Tariff
from tests.conftest import Accounts, add_plot, counting_statements, make_app


def fill(app, plots: int, months: int) -> None:
    with app.app_context():
        db.session.add(
            Tariff(
                valid_from=date(2020, 1, 1),
                single=Decimal("5.93"),
                day=Decimal("6.82"),
                night=Decimal("2.65"),
            )
        )
        created = [add_plot(str(100 + i), email="member@example.ru") for i in range(plots)]
        for plot in created:
            for m in range(months + 1):
                taken_on = date(2020 + m // 12, m % 12 + 1, 1)
                db.session.add(
                    Reading(
                        plot=plot,
                        taken_on=taken_on,
                        day=Decimal(100 * m),
                        night=Decimal(40 * m),
                        total=Decimal(140 * m),
                    )
                )
                db.session.add(
                    Payment(plot=plot, paid_on=taken_on, amount=Decimal("100"), kind="electricity")
                )
        db.session.flush()
        bill_periods([p.id for p in created])
        for year in range(2020, 2020 + months // 12 + 1):
            accrue_fees(year, per_sotka=Decimal("1000"))
        db.session.commit()


def statements(tmp_path, smtp_server, mailbox, plots: int, months: int, url: str) -> int:
    app = make_app(tmp_path / f"{plots}-{months}", smtp_server[0].port)
    fill(app, plots, months)
    client = Accounts(app, mailbox).member("100", "member@example.ru")
    client.post("/my-data/edit", data={"plots": ",".join(str(100 + i) for i in range(plots))})
    with counting_statements(app) as counter:
        response = client.get(url)
    assert response.status_code == 200
    # The data really is on the page: every plot, and the oldest month's figures.
    for i in range(plots):
        assert f"{100 + i}" in response.get_data(as_text=True)
    return counter.count


@pytest.mark.parametrize(
    "url", ["/my-data/payments/", "/my-data/electricity/", "/my-data/payments/history", "/my-data/"]
)
@pytest.mark.parametrize(("small", "large"), [((1, 1), (1, 24)), ((1, 2), (5, 2)), ((1, 1), (5, 24))])
def test_statement_count_does_not_grow_with_data(tmp_path, smtp_server, mailbox, url, small, large):
    few = statements(tmp_path, smtp_server, mailbox, *small, url)
    many = statements(tmp_path, smtp_server, mailbox, *large, url)
    assert few == many, f"{url}: {few} statements for {small} (plots, months), {many} for {large}"
