"""Payments meet charges (issue 13 item 1): what a payment said is kept, it pays the period it
names first and the oldest otherwise, and every charge shows its status to the member."""

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from snt.electricity.services import bill_periods
from snt.extensions import db
from snt.models import Payment, Plot, Reading
from tests.helpers import electricity_rows, page_text, write_csv
from tests.test_import_payments import _statement


@pytest.fixture
def orlova(reference, accounts, app):
    """The reference case plus a June period for 269: 9532/3118 → 9600/3150 (68/32 kWh = 548,56)."""
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(
            Reading(plot=plot, taken_on=date(2022, 7, 1), day=Decimal(9600), night=Decimal(3150), total=12750)
        )
        db.session.flush()
        bill_periods([plot.id])
        db.session.commit()
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "270,269"})
    return client


def status_of(client, period: str, plot: str = "269") -> str:
    text = page_text(client.get("/my-data/electricity/"))
    block = electricity_rows(text)[period]
    return re.search(rf"(?:^| ){plot} .*?(?= 270 |$)", block).group(0).strip()


def stored(app) -> list[tuple]:
    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(
                select(Payment.purpose, Payment.source, Payment.for_year, Payment.for_month).order_by(
                    Payment.id
                )
            )
        ]


def test_a_payment_naming_june_pays_june_and_may_stays_due(orlova, app, cli, tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["Участок", "Дата", "Сумма", "Назначение"],
            ["269", "04.07.2022", "548,56", "Электроэнергия за июнь 2022"],
        ],
    )
    assert "новых оплат — 1" in cli("import-payments", path)
    assert stored(app) == [("Электроэнергия за июнь 2022", "file", 2022, date(2022, 6, 1))]
    assert status_of(orlova, "01 июня 2022 – 01 июля 2022").endswith("548,56 оплачено")
    assert status_of(orlova, "01 мая 2022 – 01 июня 2022").endswith("4 121,45 к оплате 4 121,45")


def test_an_unnamed_payment_pays_the_oldest_period_first(orlova, cli, tmp_path):
    path = write_csv(
        tmp_path / "p.csv",
        [
            ["Участок", "Дата", "Сумма", "Назначение"],
            ["269", "04.07.2022", "4 200,00", "Оплата электроэнергии"],
        ],
    )
    cli("import-payments", path)
    assert status_of(orlova, "01 мая 2022 – 01 июня 2022").endswith("4 121,45 оплачено")
    assert status_of(orlova, "01 июня 2022 – 01 июля 2022").endswith(
        "548,56 оплачено частично, осталось 470,01"
    )
    text = page_text(orlova.get("/my-data/payments/?plot=269"))
    assert "Электроэнергия 2022 470,01 0,00" in text  # SPEC §4: 4 670,01 charged − 4 200,00 paid


def test_a_statement_payment_keeps_its_purpose_and_source(orlova, app, cli, tmp_path):
    doc = {
        "ПолучательСчет": "40703810938000001234", "Дата": "05.06.2022", "Сумма": "4121.45", "Номер": "9",
        "ПлательщикСчет": "4081", "НазначениеПлатежа": "Электроэнергия за 05.2022 уч. 269 Орлова",
    }  # fmt: skip
    (tmp_path / "s.txt").write_bytes(_statement([doc]))
    assert "новых оплат — 1" in cli("import-payments", str(tmp_path / "s.txt"))
    assert stored(app) == [("Электроэнергия за 05.2022 уч. 269 Орлова", "statement", 2022, date(2022, 5, 1))]
    assert status_of(orlova, "01 мая 2022 – 01 июня 2022").endswith("4 121,45 оплачено")
    assert status_of(orlova, "01 июня 2022 – 01 июля 2022").endswith("548,56 к оплате 548,56")


def test_rows_loaded_before_keep_no_origin(app, reference):
    with app.app_context():
        plot = db.session.scalar(select(Plot).where(Plot.number == "269"))
        db.session.add(Payment(plot=plot, paid_on=date(2022, 5, 3), amount=Decimal("10"), kind="electricity"))
        db.session.commit()
    assert stored(app) == [("", "earlier", None, None)]
