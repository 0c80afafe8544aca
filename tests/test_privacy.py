"""A member sees only verified plots: never another member's data, by any path."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Payment, Plot, PlotClaim, Reading
from snt.registry import claims
from tests.helpers import page_text

# Figures that exist only in plot 271's data: its readings, its fee, its payment.
SECRETS_OF_271 = ["5555", "5655", "8 500,00", "1 234,56", "Громов"]


@pytest.fixture
def gromov_data(app, reference):
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "271"))
        plot.owner_name = "Громов Алексей"
        for taken_on, total in [(date(2022, 5, 1), 5555), (date(2022, 6, 1), 5655)]:
            db.session.add(Reading(plot=plot, taken_on=taken_on, total=Decimal(total)))
        db.session.add(
            Payment(plot=plot, paid_on=date(2022, 5, 3), amount=Decimal("1234.56"), kind="electricity")
        )
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()


def assert_no_secrets(response):
    text = page_text(response)
    for secret in SECRETS_OF_271:
        assert secret not in text, secret


PAGES = ["/my-data/", "/my-data/edit", "/my-data/payments/", "/my-data/electricity/"]


def test_another_members_plot_by_url_is_not_found(gromov_data, accounts):
    accounts.member("271", "gromov271@example.ru")
    orlova = accounts.member("269", "orlova269@example.ru")
    for url in ["/my-data/payments/?plot=271", "/my-data/electricity/?plot=271"]:
        response = orlova.get(url)
        assert response.status_code == 404
        assert_no_secrets(response)
    assert orlova.get("/my-data/payments/?plot=269").status_code == 200


def test_the_owner_does_see_the_data(gromov_data, accounts):
    gromov = accounts.member("271", "gromov271@example.ru")
    assert "271 — — 5555 — — 5655 — — 100 593,00 к оплате" in page_text(gromov.get("/my-data/electricity/"))
    assert "8 500,00" in page_text(gromov.get("/my-data/payments/"))


def test_a_pending_claim_shows_no_data(gromov_data, accounts):
    orlova = accounts.member("269", "orlova269@example.ru")
    response = orlova.post("/my-data/edit", data={"plots": "269,271"})
    assert response.status_code == 302
    for url in PAGES:
        response = orlova.get(url)
        assert response.status_code == 200
        assert_no_secrets(response)
    assert "ожидает подтверждения правлением" in page_text(orlova.get("/my-data/payments/"))


def test_a_rejected_claim_shows_no_data(app, gromov_data, accounts):
    orlova = accounts.member("269", "orlova269@example.ru")
    orlova.post("/my-data/edit", data={"plots": "269,271"})
    with app.app_context():
        claim = db.session.scalar(select(PlotClaim).join(PlotClaim.plot).where(Plot.number == "271"))
        claims.decide_claim(claim, approve=False, reason="не владелец")
        db.session.commit()
    for url in PAGES:
        assert_no_secrets(orlova.get(url))
    assert "отклонён правлением: не владелец" in page_text(orlova.get("/my-data/"))


def test_registering_someone_elses_plot_as_login_shows_nothing(gromov_data, accounts):
    # A stranger takes 271 as a login with their own email: the claim waits for the board.
    stranger = accounts.member("271", "stranger@example.ru")
    for url in PAGES:
        response = stranger.get(url)
        assert response.status_code == 200
        assert_no_secrets(response)
    assert "271 — ожидает подтверждения правлением" in page_text(stranger.get("/my-data/"))


def test_an_unconfirmed_matching_email_does_not_verify(app, gromov_data, client, mailbox):
    client.post(
        "/auth/register",
        data={
            "plot_number": "271",
            "email": "gromov271@example.ru",
            "password": "Sad-2022-ok",
            "password2": "Sad-2022-ok",
            "consent": "y",
        },
    )
    with app.app_context():
        assert db.session.scalar(select(PlotClaim.status)) == PlotClaim.PENDING


def test_guest_sees_no_plot_data(gromov_data, client):
    for url in ["/my-data/payments/?plot=271", "/my-data/electricity/?plot=271"]:
        response = client.get(url)
        assert response.status_code == 302
        assert_no_secrets(client.get(url, follow_redirects=True))
