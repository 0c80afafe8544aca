import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user, login_required

from snt.payments import services
from snt.payments.qr import payment_codes
from snt.payments.receipt import receipts_for
from snt.payments.requisites import current_requisites
from snt.registry.access import verified_plots
from snt.registry.claims import account_claims

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
    statuses = services.payment_status(plots)
    return render_template(
        "payments/status.html",
        statuses=statuses,
        codes=payment_codes(statuses, current_requisites()),
        imported_at=services.newest_import_at(),
        row_label=services.row_label,
        pending=account_claims(current_user, unverified_only=True),
    )


@bp.route("/receipt/<number>.pdf")
def receipt(number: str):
    """Квитанция for one verified plot; another member's plot is not found."""
    plots = verified_plots(current_user, number)
    if not plots:
        abort(404)
    pdf = receipts_for(services.payment_status(plots))
    # send_file writes an ASCII filename and, for «12а», an RFC 5987 filename* beside it: a raw
    # non-ASCII header would be refused by gunicorn (a 500).
    return send_file(
        io.BytesIO(pdf), mimetype="application/pdf", download_name=f"kvitanciya-{plots[0].number}.pdf"
    )
