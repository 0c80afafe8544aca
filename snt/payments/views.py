from flask import Blueprint, abort, render_template, request
from flask_login import current_user, login_required

from snt.access import verified_plots
from snt.claims import account_claims
from snt.payments import services

bp = Blueprint("payments", __name__)


@bp.before_request
@login_required
def _members_only() -> None:
    pass


@bp.route("/")
def status():
    """«Статус моих оплат от <date of the newest import>»: verified plots only."""
    number = request.args.get("plot")
    plots = verified_plots(current_user, number)
    if number is not None and not plots:
        abort(404)
    return render_template(
        "payments/status.html",
        statuses=services.payment_status(plots),
        imported_at=services.newest_import_at(),
        row_label=services.row_label,
        pending=account_claims(current_user, unverified_only=True),
    )
