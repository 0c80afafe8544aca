from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from snt.electricity import services
from snt.electricity.advice import tariff_advice
from snt.registry.access import verified_plots
from snt.registry.claims import account_claims

bp = Blueprint("electricity", __name__)


@bp.before_request
@login_required
def _members_only() -> None:
    pass


@bp.route("/")
def readings():
    """«Показания моих счетчиков электричества»: verified plots only, newest period first."""
    number = request.args.get("plot")
    plots = verified_plots(current_user, number)
    if number is not None and not plots:
        abort(404)
    groups = services.electricity_table(plots)
    return render_template(
        "electricity/readings.html",
        groups=groups,
        advice=tariff_advice(groups),
        plots=plots,
        pending=account_claims(current_user, unverified_only=True),
    )
