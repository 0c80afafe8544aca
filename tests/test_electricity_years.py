"""«Показания моих счетчиков электричества» over years of history (issue 12 item 2): each plot's
latest 12 periods by default, a year through plain links, the same figures as the whole table."""

import re

import pytest

from snt.electricity.services import electricity_table
from snt.extensions import db
from snt.models import Plot
from tests.helpers import Accounts, counting_statements, electricity_rows, fill, make_app, page_text


@pytest.fixture
def decade(tmp_path, smtp_server, mailbox):
    """Plots 100 and 101 read monthly from January 2020 to January 2024 (49 readings, 48 periods),
    each paying 100 a month: older periods paid, newer ones partly or not."""
    app = make_app(tmp_path, smtp_server[0].port)
    fill(app, 2, 48)
    client = Accounts(app, mailbox).member("100", "member@example.ru")
    client.post("/my-data/edit", data={"plots": "100,101"})
    return app, client


def whole_table(app) -> dict[str, list[str]]:
    """Period label -> the lines of the admin's whole table: what the member's page must repeat."""
    with app.app_context():
        plots = list(db.session.scalars(db.select(Plot).order_by(Plot.number)))
        return {f"{g.start:%d.%m.%Y}": [f"{r.plot.number} {r.costs.day_night} {r.status}" for r in g.rows]
                for g in electricity_table(plots)}  # fmt: skip


def shown_periods(html: str) -> list[str]:
    return re.findall(r'<span class="period-label">([^<]+)</span>', html)


def test_the_page_shows_the_latest_12_periods_and_offers_each_year(decade):
    _, client = decade
    response = client.get("/my-data/electricity/")
    html = response.get_data(as_text=True)
    periods = shown_periods(html)
    assert len(periods) == 12
    assert (
        periods[0] == "01 декабря 2023 – 01 января 2024" and periods[-1] == "01 января 2023 – 01 февраля 2023"
    )
    assert html.count('<tr data-plot="100">') == 12 and html.count('<tr data-plot="101">') == 12
    # A plain GET form, no script needed: every year with a period, the current choice selected.
    form = html[
        html.index('<form class="years" method="get"') : html.index("</form>", html.index('class="years"'))
    ]
    assert 'action="/my-data/electricity/"' in form and 'name="year"' in form
    assert re.findall(r"<option[^>]*>([^<]+)</option>", form) == [
        "последние 12 периодов",
        "2023",
        "2022",
        "2021",
        "2020",
    ]
    assert '<option value="">последние 12 периодов' in form and "selected" not in form
    assert "за последние 12 мес." in page_text(response)  # the advice still sees a year


def test_a_year_shows_its_periods_with_the_whole_tables_figures(decade):
    app, client = decade
    whole = whole_table(app)
    for year in (2020, 2022):
        response = client.get(f"/my-data/electricity/?year={year}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        periods = shown_periods(html)
        assert len(periods) == 12 and all(p.split(" – ")[0].endswith(str(year)) for p in periods)
        assert f"<option selected>{year}</option>" in html
        rows = electricity_rows(page_text(response))
        for label, block in rows.items():
            start = label.split(" – ")[0]
            for line in whole[_numeric(start)]:
                _, amount, status = line.split(" ", 2)
                assert f"{amount.replace('.', ',')}" in block.replace("\u00a0", "")
                assert status in block
    # The oldest year's periods are paid, as in the whole history; the statuses are not all alike.
    text = page_text(client.get("/my-data/electricity/?year=2020"))
    assert "оплачено" in text


def _numeric(label: str) -> str:
    months = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря"]  # fmt: skip
    day, month, year = label.split()
    return f"{day}.{months.index(month) + 1:02d}.{year}"


@pytest.mark.parametrize(
    ("asked", "status", "message"),
    [
        ("1999", 404, "За 1999 год периодов нет. Показаны последние периоды."),
        ("20x0", 400, "Год указан неверно: нужен год из четырёх цифр, например 2022."),
        ("99999999999999999999", 400, "Год указан неверно"),
        ("-2020", 400, "Год указан неверно"),
        ("²⁰²⁰", 400, "Год указан неверно"),  # digits to str.isdigit, not to int()
    ],
)
def test_a_bad_year_is_told_in_russian_and_the_latest_periods_are_shown(decade, asked, status, message):
    _, client = decade
    response = client.get(f"/my-data/electricity/?year={asked}")
    assert response.status_code == status
    assert message in page_text(response)
    assert len(shown_periods(response.get_data(as_text=True))) == 12


def test_a_year_of_another_members_plot_is_not_shown(decade):
    _, client = decade
    assert client.get("/my-data/electricity/?plot=999&year=2020").status_code == 404
    response = client.get("/my-data/electricity/?plot=101&year=2021")
    html = response.get_data(as_text=True)
    assert 'data-plot="100"' not in html and html.count('<tr data-plot="101">') == 12
    assert '<input type="hidden" name="plot" value="101">' in html  # the form keeps the plot


def test_a_years_page_runs_the_same_statements_at_any_depth(decade):
    app, client = decade
    counts = []
    for url in ("/my-data/electricity/?year=2020", "/my-data/electricity/?year=2023"):
        with counting_statements(app) as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_the_empty_choice_of_the_form_shows_the_latest_periods(decade):
    _, client = decade
    response = client.get("/my-data/electricity/?year=")
    assert response.status_code == 200 and len(shown_periods(response.get_data(as_text=True))) == 12
