"""«Показания моих счетчиков электричества» for a member: the year selector, the table, its charts
and the tariff advice, computed once per ledger version (snt.figures) for the plots asked."""

from dataclasses import dataclass

from flask import get_template_attribute
from markupsafe import Markup

from snt import figures
from snt.electricity import services
from snt.electricity.advice import TariffAdvice, tariff_advice
from snt.models import Plot


@dataclass(frozen=True)  # kept between requests: shared, never changed
class ReadingsPage:
    years: list[int]  # the year selector, newest first
    year: int | None  # the year shown; None: each plot's latest periods
    problem: str  # a message for a bad ?year=
    status: int  # the answer's HTTP status
    has_periods: bool  # whether the plots have any period (the table, charts and advice show them)
    charts: dict[str, Markup]
    advice: list[TariffAdvice]
    table: Markup  # the periods table, drawn once per ledger version (no session data in it)


def readings_page(plots: list[Plot], year_text: str | None) -> ReadingsPage:
    """The member's page for `plots` (already checked by snt.registry.access) and «?year=»."""
    ids = tuple(p.id for p in plots)
    # Every malformed year gets the same answer: one key for them all.
    asked = (
        year_text
        if not year_text or (year_text.isascii() and year_text.isdigit() and len(year_text) == 4)
        else "?"
    )
    return figures.kept(("readings", ids, asked), lambda: _page(plots, asked))


def _page(plots: list[Plot], year_text: str | None) -> ReadingsPage:
    years = services.period_years(plots)
    year, problem, status = services.pick_year(year_text, years)
    groups = services.electricity_table(plots, year=year, latest=None if year else services.LATEST)
    charts, advice = services.consumption_charts(groups), [] if year else tariff_advice(groups)
    table = get_template_attribute("_macros/electricity.html", "periods_table")(groups)
    return ReadingsPage(years, year, problem, status, bool(groups), charts, advice, table)
