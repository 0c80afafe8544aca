"""«Статус моих оплат» opens with the total and one line per plot and kind with its due date
(issue 13 item 2); the registration-data page shows the same total."""

from datetime import date

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.models import Charge
from tests.helpers import page_text, whole_form


@pytest.fixture
def orlova(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "270,269"})
    return client


def test_the_total_across_plots_and_a_line_per_plot_and_kind(orlova):
    text = page_text(orlova.get("/my-data/payments/"))
    # 269: 7 200,00 + 4 121,45; 270: 7 200,00 + 13,64. The seed's table stays below.
    assert "Итого к оплате: 18 535,09 ₽" in text
    assert text.index("Итого к оплате") < text.index("Общая информация")
    # Electricity «01 мая – 01 июня 2022» was due by 5 June 2022: long past. No date for the fee.
    assert "Участок 269, электроэнергия: 4 121,45 ₽ — просрочено (срок оплаты был 5 июня 2022)." in text
    assert "Участок 269, членские взносы: 7 200,00 ₽." in text
    assert "Участок 270, электроэнергия: 13,64 ₽ — просрочено (срок оплаты был 5 июня 2022)." in text


def test_the_due_day_is_a_board_setting(orlova, accounts):
    board = accounts.staff("board")
    response = board.post(
        "/admin/settings/",
        data=whole_form(electricity_due_day="10", sms_part_price="0"),
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "срок оплаты был 10 июня 2022" in page_text(orlova.get("/my-data/payments/"))


def test_a_fee_due_date_from_accrual_and_what_is_not_yet_overdue(orlova, cli, app):
    output = cli(
        "accrue-fees", "--year", "2099", "--fixed", "500", "--title", "Дорога", "--due", "30.06.2099"
    )
    assert "«Дорога» за 2099: 3 начислений на сумму 1 500,00 ₽, оплатить до 30.06.2099" in output
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Участок 269, целевые взносы: 500,00 ₽ — оплатить до 30 июня 2099." in text
    # Given again later, the date moves for the charges already accrued.
    output = cli(
        "accrue-fees", "--year", "2099", "--fixed", "500", "--title", "Дорога", "--due", "15.07.2099"
    )
    assert "срок оплаты 15.07.2099 у 3 начислений" in output
    with app.app_context():
        assert set(db.session.scalars(select(Charge.due_on).where(Charge.year == 2099))) == {
            date(2099, 7, 15)
        }


def test_a_bad_due_date_is_refused(orlova, cli):
    output = cli("accrue-fees", "--year", "2099", "--fixed", "500", "--due", "31.02.2099", fails=True)
    assert "--due: «31.02.2099» — не дата" in output


def test_the_admin_fees_form_takes_a_due_date(orlova, accounts):
    treasurer = accounts.staff("treasurer")
    form = {
        "year": "2099",
        "mode": "fixed",
        "rate": "300",
        "kind": "target",
        "title": "Свет",
        "due": "01.08.2099",
    }
    preview = treasurer.post("/admin/fees/", data={**form, "preview": "1"})
    assert preview.status_code == 200
    assert "оплатить до 01.08.2099" in page_text(preview)
    fingerprint = preview.get_data(as_text=True).split('name="fingerprint" value="')[1].split('"')[0]
    treasurer.post("/admin/fees/", data={**form, "fingerprint": fingerprint, "submit": "1"})
    assert "Участок 269, целевые взносы: 300,00 ₽ — оплатить до 1 августа 2099." in page_text(
        orlova.get("/my-data/payments/")
    )
    bad = treasurer.post("/admin/fees/", data={**form, "due": "завтра", "preview": "1"})
    assert bad.status_code == 422 and "Оплатить до: «завтра» — не дата" in page_text(bad)


def test_all_paid_says_so_and_the_profile_shows_the_total(orlova, cli, tmp_path):
    assert "Итого к оплате по вашим участкам: 18 535,09 ₽ — Статус моих оплат" in page_text(
        orlova.get("/my-data/")
    )
    rows = "участок;дата;сумма;назначение\n269;04.06.2022;11321,45;электроэнергия\n"
    (tmp_path / "p.csv").write_text(rows + "270;04.06.2022;7213,64;электроэнергия\n", encoding="utf-8")
    cli("import-payments", str(tmp_path / "p.csv"))
    # Electricity paid with room to spare; the advance does not pay the membership fee (SPEC §4).
    text = page_text(orlova.get("/my-data/payments/"))
    assert "Итого к оплате: 14 400,00 ₽" in text
    assert "электроэнергия" not in text.split("Итого к оплате")[1].split("Общая информация")[0]
