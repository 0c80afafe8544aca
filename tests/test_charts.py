"""The bar charts beside the tables (issue 13 item 7): server-drawn SVG with the table's figures
as its text alternative, small, no script."""

import re
from decimal import Decimal

import pytest

from snt import charts
from tests.test_losses import load


@pytest.fixture
def orlova(reference, accounts):
    client = accounts.member("269", "orlova269@example.ru")
    client.post("/my-data/edit", data={"plots": "269,270"})
    return client


def svg_of(html: str, chart_id: str) -> str:
    return re.search(rf'<svg class="chart"[^>]*aria-labelledby="{chart_id}-t.*?</svg>', html, re.S).group(0)


def test_the_electricity_page_has_a_stacked_chart_per_plot(orlova):
    html = orlova.get("/my-data/electricity/").get_data(as_text=True)
    svg = svg_of(html, "chart-269")
    assert len(svg.encode()) < 4000 and "<script" not in svg.lower()
    assert 'role="img"' in svg
    # The same figures as the table, for screen readers: oldest period first.
    assert (
        '<desc id="chart-269-d">01.04.2022–01.05.2022: День (Т1) 0, Ночь (Т2) 0. '
        "01.05.2022–01.06.2022: День (Т1) 520, Ночь (Т2) 217.</desc>"
    ) in svg
    # May stacked: a day bar on top of a night bar; the April zeros draw nothing.
    assert len(re.findall(r'<rect class="chart-day" x=', svg)) == 2  # the bar and the legend
    assert len(re.findall(r'<rect class="chart-night" x=', svg)) == 2
    assert "chart-270" in html


def test_stacked_heights_add_up():
    svg = charts.bar_chart(
        "c",
        "t",
        [charts.Series("Д", "chart-day"), charts.Series("Н", "chart-night")],
        [charts.Bar("05.22", "май", (Decimal(600), Decimal(400)))],
        stacked=True,
    )
    heights = [
        float(h)
        for h in re.findall(
            r'<rect class="chart-\w+" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)"', svg
        )
    ]
    bar_day, bar_night = heights[0], heights[1]
    assert bar_day == pytest.approx(1.5 * bar_night, rel=0.01)
    assert bar_day + bar_night == pytest.approx(172, rel=0.01)  # 1 000 of an axis up to 1 000


def test_the_losses_page_has_the_main_meter_against_the_members(app, registry, cli, tmp_path, accounts):
    load(cli, tmp_path)
    html = accounts.staff("board").get("/admin/losses/").get_data(as_text=True)
    svg = svg_of(html, "chart-losses")
    assert "04.2022: Общий счётчик 300, Сумма по участкам 152" in svg
    assert "05.2022: Общий счётчик 1200, Сумма по участкам 1007,25" in svg
    assert len(re.findall(r'<rect class="chart-main" x=', svg)) == 3  # April, May and the legend
