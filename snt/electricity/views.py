from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from snt.electricity import services
from snt.electricity.page import readings_page
from snt.models import PlotClaim
from snt.registry.access import plots_and_claims
from snt.text import count_text

bp = Blueprint("electricity", __name__)


@bp.before_request
@login_required
def _members_only() -> None:
    pass


@bp.route("/")
def readings():
    """«Показания моих счетчиков электричества»: verified plots only, newest period first; the
    latest periods of each plot, or the periods of a year chosen by plain links (?year=2022)."""
    number = request.args.get("plot")
    plots, claims = plots_and_claims(current_user, number)
    if number is not None and not plots:
        abort(404)
    shown = readings_page(plots, request.args.get("year"))
    page = render_template(
        "electricity/readings.html",
        has_periods=shown.has_periods,
        charts=shown.charts,
        table=shown.table,
        advice=shown.advice,
        plots=plots,
        pending=[c for c in claims if c.status != PlotClaim.VERIFIED],
        years=shown.years,
        year=shown.year,
        latest=count_text(services.LATEST, "период", "периода", "периодов"),
        number=number,
        problem=shown.problem,
    )
    return page, shown.status
