"""Pages run a bounded number of SQL statements: the same for 1 and 24 months, 1 and 5 plots."""

from datetime import date

import pytest

from tests.helpers import Accounts, counting_statements, fill, make_app


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


def test_passing_readings_runs_the_same_statements_for_1_and_5_plots(tmp_path, smtp_server, mailbox):
    """«Передать показания» (issue 15): each plot's last reading and recent submissions, in bulk."""
    counts = []
    for plots in (1, 5):
        app = make_app(tmp_path / f"submit-{plots}", smtp_server[0].port, TODAY=date(2021, 1, 25))
        fill(app, plots, 12)  # readings 2020-01 … 2021-01: the page compares with 1 January 2021
        client = Accounts(app, mailbox).member("100", "member@example.ru")
        client.post("/my-data/edit", data={"plots": ",".join(str(100 + i) for i in range(plots))})
        with counting_statements(app) as counter:
            page = client.get("/my-data/readings/").get_data(as_text=True)
        assert page.count("Последние принятые показания на 1 января 2021") == plots
        counts.append(counter.count)
    assert counts[0] == counts[1]


def page_size(tmp_path, smtp_server, mailbox, months: int, url: str) -> int:
    app = make_app(tmp_path / f"size-{months}", smtp_server[0].port)
    fill(app, 2, months)
    client = Accounts(app, mailbox).member("100", "member@example.ru")
    client.post("/my-data/edit", data={"plots": "100,101"})
    response = client.get(url)
    assert response.status_code == 200
    return len(response.get_data())


def test_electricity_page_size_does_not_grow_with_years(tmp_path, smtp_server, mailbox):
    """Two plots over 13 and over 49 months: both more than the page shows by default; a year
    selector may add a few bytes per year, not a table row per month."""
    short = page_size(tmp_path, smtp_server, mailbox, 13, "/my-data/electricity/")
    long = page_size(tmp_path, smtp_server, mailbox, 49, "/my-data/electricity/")
    assert long <= short + 1024, f"{short} bytes over 13 months, {long} over 49"


def summary_statements(tmp_path, smtp_server, mailbox, plots: int, months: int) -> tuple[int, str]:
    app = make_app(tmp_path / f"summary-{plots}-{months}", smtp_server[0].port)
    fill(app, plots, months)
    treasurer = Accounts(app, mailbox).staff("treasurer")
    with counting_statements(app) as counter:
        response = treasurer.get("/admin/")
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def test_summary_statements_do_not_grow_with_years_or_plots(tmp_path, smtp_server, mailbox):
    """«Сводка» (issue 12, issue 14 item 7): one year of one plot and three years of three plots
    run the same statements, every figure a bounded aggregate."""
    few, _ = summary_statements(tmp_path, smtp_server, mailbox, 1, 12)
    many, page = summary_statements(tmp_path, smtp_server, mailbox, 3, 36)
    assert few == many, f"«Сводка»: {few} statements for 1 plot × 1 year, {many} for 3 plots × 3 years"
    # The steps of the month are on the page, in Russian, with their numbers agreed.
    assert "Показания счётчиков" in page and "загружены у 3 из 3 участков" in page
    assert "Начисления" in page and "электроэнергия за декабрь 2022 — 3 начисления" in page
    assert "Оплаты" in page and "загружены по 01 января 2023" in page
