import io
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user, login_required

from snt.dates import parse_date
from snt.models import PlotClaim
from snt.payments import ledger, services
from snt.payments.page import status_body
from snt.payments.qr import plot_code
from snt.payments.receipt import receipts_for
from snt.payments.requisites import current_requisites
from snt.registry.access import plots_and_claims, verified_plots
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
    plots, claims = plots_and_claims(current_user, number)
    if number is not None and not plots:
        abort(404)
    shown, body, imported_at = status_body(plots)
    return render_template(
        "payments/status.html",
        shown=shown,
        body=body,
        imported_at=imported_at,
        pending=[c for c in claims if c.status != PlotClaim.VERIFIED],
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


@bp.route("/qr/<number>.png")
def qr_png(number: str):
    """«Сохранить QR-код»: the plot's code as a PNG, for a bank app's «оплата по QR из галереи»."""
    plots = verified_plots(current_user, number)
    if not plots:
        abort(404)
    code = plot_code(services.payment_status(plots)[0], current_requisites())
    if code is None:
        abort(404)
    # send_file gives a plot like «12а» an ASCII fallback name: a raw Cyrillic header is a 500.
    return send_file(
        io.BytesIO(code.png(scale=8)),
        mimetype="image/png",
        as_attachment=True,
        download_name=f"qr-{plots[0].number}.png",
    )


@bp.route("/history")
def history():
    """«Мои платежи»: payments on the member's verified plots, newest first, a total per year."""
    plots = verified_plots(current_user)
    return render_template(
        "payments/history.html",
        years=ledger.member_payments(plots),
        plots=plots,
        pending=account_claims(current_user, unverified_only=True),
    )


@bp.route("/act/<number>")
def act(number: str):
    """«Акт сверки» of one verified plot for a span (?from=…&to=…); another member's is not found."""
    plots = verified_plots(current_user, number)
    if not plots:
        abort(404)
    problem, span = "", []
    for name in ("from", "to"):
        text = request.args.get(name, "").strip()[:20]
        try:
            span.append(parse_date(text) if text else None)
        except ValueError as exc:
            problem = f"{'Начало' if name == 'from' else 'Конец'} периода: {exc}."
            span.append(None)
    if not problem and span[0] and span[1] and span[0] > span[1]:
        problem = "Начало периода позже его конца."
    if problem:
        span = [None, None]
    reconciled = ledger.reconciliation(plots[0], span[0], span[1], date.today())
    return render_template("payments/act.html", act=reconciled, problem=problem), 400 if problem else 200
