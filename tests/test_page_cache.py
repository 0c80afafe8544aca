"""Issue 12 item 2: what the pages compute that does not change between imports is not
recomputed per request; a change of what it depends on is seen at once."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import segno
from sqlalchemy import select

from snt.extensions import db
from snt.models import Payment, Plot
from snt.payments import qr
from snt.payments.requisites import save_requisites
from tests.helpers import SBER
from tests.test_payment_qr import orlova, svgs, with_requisites  # noqa: F401  (fixtures)


def test_a_code_is_drawn_once_until_what_it_depends_on_changes(orlova, with_requisites, app, monkeypatch):  # noqa: F811
    """Issue 12 item 2: the codes of the page are not redrawn per request; a new payment (a new
    amount) or new requisites draw new ones."""
    qr._svg.cache_clear()
    drawn = []
    real = segno.make
    monkeypatch.setattr(segno, "make", lambda payload, **kw: drawn.append(payload) or real(payload, **kw))
    first = svgs(orlova.get("/my-data/payments/").get_data(as_text=True))
    assert first and len(drawn) == len(set(drawn)) == len(first)
    drawn.clear()
    assert svgs(orlova.get("/my-data/payments/").get_data(as_text=True)) == first
    assert drawn == []
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(
            Payment(plot=plot, paid_on=date(2022, 6, 20), amount=Decimal("1000.00"), kind="electricity")
        )
        db.session.commit()
    assert svgs(orlova.get("/my-data/payments/").get_data(as_text=True)) != first
    assert any("Sum=312145" in p for p in drawn)  # 4 121,45 − 1 000,00, the electricity line
    drawn.clear()
    with app.app_context():
        save_requisites(replace(SBER, name="СНТ «Новое имя»"))
        db.session.commit()
    orlova.get("/my-data/payments/")
    assert len(drawn) == len(first)
