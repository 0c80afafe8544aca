"""The plots registry in the browser: search, debt filter, a bounded number of statements,
the treasurer's edit form, and the history page that explains a plot's sum."""

import pytest
from sqlalchemy import select

from snt.extensions import db
from snt.models import Plot, PlotClaim
from tests.helpers import add_plot, audit_actions, counting_statements, fill, page_text


def rows(response) -> list[str]:
    import re

    return re.findall(r'<tr data-plot="([^"]+)"', response.get_data(as_text=True))


def test_search_by_number_owner_street_and_debt(app, reference, accounts):
    with app.app_context():
        add_plot("12а", street="Лесная").owner_name = "Белова Ирина"
        db.session.commit()
    board = accounts.staff("board")
    assert rows(board.get("/admin/plots/")) == ["12а", "269", "270", "271"]  # natural order
    assert rows(board.get("/admin/plots/?q=269")) == ["269"]
    assert rows(board.get("/admin/plots/?q=БЕЛОВА")) == ["12а"]  # Cyrillic, any case
    assert rows(board.get("/admin/plots/?q=лесная")) == ["12а"]
    assert rows(board.get("/admin/plots/?q=gromov")) == ["271"]
    # The reference fees are unpaid: 269, 270 and 271 owe; 12а has no charges.
    assert rows(board.get("/admin/plots/?debt=debt")) == ["269", "270", "271"]
    assert rows(board.get("/admin/plots/?debt=clear")) == ["12а"]
    text = page_text(board.get("/admin/plots/?q=269"))
    assert "269 5 Владелец 269" in text and "11 321,45" in text  # 7 200 fee + 4 121,45 electricity


@pytest.mark.parametrize("debt", ["", "debt"])
def test_list_statements_do_not_grow_with_plots(tmp_path, smtp_server, mailbox, debt):
    from tests.helpers import Accounts, make_app

    counts = []
    for plots in (2, 20):
        app = make_app(tmp_path / str(plots), smtp_server[0].port)
        fill(app, plots, 3)
        board = Accounts(app, mailbox).staff("board")
        with counting_statements(app) as counter:
            response = board.get(f"/admin/plots/?debt={debt}")
        assert response.status_code == 200 and len(rows(response)) == plots
        counts.append(counter.count)
    assert counts[0] == counts[1], f"{counts[0]} statements for 2 plots, {counts[1]} for 20"


def test_history_explains_the_sum(app, reference, accounts):
    board = accounts.staff("board")
    text = page_text(board.get("/admin/plots/269"))
    # The member's own view, then every charge and the electricity period with its costs.
    assert "Членские взносы 2022 7 200,00" in text
    assert "Членские взносы за 2022 год 7 200,00 долг 7 200,00" in text
    assert "Электроэнергия 01.05.2022 – 01.06.2022 (тариф с 01.07.2021) 4 121,45 долг 4 121,45" in text
    assert "9012 2901 11913 9532 3118 12650 520 217 737 4 370,41 3 546,40 575,05 4 121,45" in text
    assert "01.06.2022 9532 3118 12650" in text  # the raw readings
    assert "Изменить данные реестра" not in text  # the board only reads the registry
    assert board.get("/admin/plots/999").status_code == 404


def test_treasurer_edits_a_plot(app, reference, accounts):
    treasurer = accounts.staff("treasurer")
    form = treasurer.get("/admin/plots/271/edit").get_data(as_text=True)
    assert 'value="8,5"' in form
    data = {
        "street": "Лесная",
        "area": "8,75",
        "electrified": "y",
        "two_tariff": "y",
        "owner_name": "Громов Пётр",
        "email": "Gromov@Example.ru",
        "phone": "+7 (495) 123-45-67",
    }
    response = treasurer.post("/admin/plots/271/edit", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/plots/271"
    text = page_text(treasurer.get("/admin/plots/271"))
    assert "Участок № 271 сохранён: улица: 5 → Лесная; площадь: 8,5 → 8,75" in text
    assert "телефон: — → 84951234567" in text
    with app.app_context():
        plot = db.session.query(Plot).filter_by(number="271").one()
        assert (str(plot.area), plot.email, plot.phone, plot.two_tariff) == (
            "8.75",
            "gromov@example.ru",
            "84951234567",
            True,
        )
    assert audit_actions(app)[-1] == "plot.edit"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("area", "", "Укажите площадь, например 7,2."),
        ("area", "семь", "Площадь: «семь» — не число. Пример: 7,2."),
        ("area", "1e5", "Площадь: «1e5» — не число."),
        ("area", "7,255", "не больше 2 знаков после запятой"),
        ("phone", "12345", "«12345» — не номер телефона. Введите 11 цифр, начиная с 8"),
        ("email", "иван@почта", "Введите адрес электропочты полностью"),
        ("owner_name", "Я" * 201, "Не длиннее 200 знаков."),
    ],
)
def test_plot_form_errors_in_russian(app, reference, accounts, field, value, message):
    treasurer = accounts.staff("treasurer")
    data = {"street": "5", "area": "7,2", "owner_name": "Орлова", "email": "", "phone": ""}
    data[field] = value
    response = treasurer.post("/admin/plots/269/edit", data=data)
    assert response.status_code == 422
    assert message in page_text(response)
    with app.app_context():
        assert db.session.query(Plot).filter_by(number="269").one().owner_name == "Владелец 269"


@pytest.mark.parametrize("debt", ["", "debt"])
def test_the_registry_is_paged_by_100_plots(app, reference, accounts, debt):
    with app.app_context():
        for n in range(1, 121):
            add_plot(f"{1000 + n}")
        db.session.commit()
    board = accounts.staff("board")
    first, second = board.get(f"/admin/plots/?debt={debt}"), board.get(f"/admin/plots/?debt={debt}&page=2")
    if debt:  # only the three reference plots owe: one page, no pager
        assert rows(first) == ["269", "270", "271"] and "Страницы:" not in page_text(first)
        return
    assert len(rows(first)) == 100 and rows(first)[0] == "269" and rows(first)[-1] == "1097"
    assert rows(second) == [f"{1000 + n}" for n in range(98, 121)]
    assert "Страницы: 1 2" in page_text(first) and "Найдено участков: 123." in page_text(second)
    assert rows(board.get("/admin/plots/?page=9")) == []  # past the end: an empty page, not an error


def test_a_new_owner_in_the_plot_form_sends_verified_claims_back_to_the_board(app, reference, accounts):
    """Issue 11: a verified claim does not survive the registry naming another owner."""
    orlova = accounts.member("269", "orlova269@example.ru")  # 269 and 270: her registry email
    orlova.post("/my-data/edit", data={"plots": "269,270,271"})
    board = accounts.staff("board")
    with app.app_context():
        claim_271 = db.session.scalar(
            select(PlotClaim.id)
            .join(PlotClaim.plot)
            .where(Plot.number == "271", PlotClaim.status == "pending")
        )
    board.post(f"/admin/claims/{claim_271}/approve", data={"plot": "271", "account": "269"})
    treasurer = accounts.staff("treasurer")

    def edit(number: str, **changes) -> None:
        with app.app_context():
            plot = db.session.scalar(select(Plot).where(Plot.number == number))
            data = {
                "street": plot.street,
                "area": str(plot.area).replace(".", ","),
                "electrified": "y",
                "owner_name": plot.owner_name,
                "email": plot.email,
                "phone": plot.phone,
            }
        response = treasurer.post(f"/admin/plots/{number}/edit", data=data | changes)
        assert response.status_code == 302, page_text(response)

    # Other edits leave the board's approval alone: the area, an email where there was none.
    edit("271", area="8,6", email="gromov271@example.ru")
    assert "271 — подтверждён" in page_text(orlova.get("/my-data/"))

    # Another owner's name: back to the board, and no data meanwhile.
    edit("271", owner_name="Петров Иван")
    assert "271 — ожидает подтверждения правлением" in page_text(orlova.get("/my-data/"))
    assert "8 500,00" not in page_text(orlova.get("/my-data/payments/"))
    claims_page = page_text(board.get("/admin/claims/"))
    assert "271" in claims_page and "в реестре сменился владелец участка" in claims_page
    assert "снова ждут подтверждения правлением: 269" in page_text(treasurer.get("/admin/plots/271"))

    # Another registry email replacing hers: back to the board; her own email stays verified.
    edit("269", email="new.owner269@example.ru")
    edit("270", owner_name="Орлова Наталья")  # a new name, but the registry email is still hers
    profile = page_text(orlova.get("/my-data/"))
    assert "269 — ожидает подтверждения правлением" in profile
    assert "270 — подтверждён" in profile
