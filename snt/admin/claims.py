"""Заявки на участки: approve, or reject with a reason; the member is emailed either way."""

from flask import flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, back_to, bp
from snt.admin.forms import ClaimDecisionForm, RejectForm
from snt.extensions import db
from snt.models import PlotClaim
from snt.registry import claims as claim_service

STATUS_TITLES = {
    "pending": "ждут решения",
    "verified": "подтверждённые",
    "rejected": "отклонённые",
    "all": "все",
}


@bp.route("/claims/")
def claims():
    status = request.args.get("status", "pending")
    if status not in STATUS_TITLES:
        status = "pending"
    return render_template(
        "admin/claims.html",
        claims=claim_service.claims_by_status(status),
        status=status,
        status_titles=STATUS_TITLES,
        reject_form=RejectForm(),
        action_form=ClaimDecisionForm(),
    )


def _after_decision(claim: PlotClaim, approve: bool, mailed: bool):
    verb = "подтверждён" if approve else "отклонён"
    flash(f"Участок № {claim.plot.number} {verb} для {claim.account.login}.", "success")
    if mailed:
        flash(f"Письмо отправлено на {claim.account.email}.", "info")
    else:
        flash(
            f"Решение сохранено, но письмо на {claim.account.email} не отправлено: почтовый сервер не ответил.",
            "error",
        )
    return back_to(url_for("admin.claims"))


def _decide(claim_id: int, approve: bool, form: ClaimDecisionForm, reason: str = ""):
    try:
        claim, mailed = claim_service.decide_and_notify(
            claim_id, approve, acting_account(), form.plot.data, form.account.data, reason
        )
    except claim_service.ClaimError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.claims"))
    return _after_decision(claim, approve, mailed)


@bp.post("/claims/<int:claim_id>/approve")
def claim_approve(claim_id: int):
    claim = db.get_or_404(PlotClaim, claim_id)
    form = ClaimDecisionForm()
    if not form.validate_on_submit():
        return redirect(url_for("admin.claims"))
    if claim.status == PlotClaim.VERIFIED:
        flash(f"Заявка на участок № {claim.plot.number} уже подтверждена.", "info")
        return redirect(url_for("admin.claims"))
    return _decide(claim_id, True, form)


@bp.route("/claims/<int:claim_id>/reject", methods=["GET", "POST"])
def claim_reject(claim_id: int):
    """The reason is required: the member reads it in the email and in the cabinet."""
    claim = db.get_or_404(PlotClaim, claim_id)
    form = RejectForm()
    if claim.status == PlotClaim.REJECTED:
        flash(f"Заявка на участок № {claim.plot.number} уже отклонена.", "info")
        return redirect(url_for("admin.claims"))
    if form.validate_on_submit():
        return _decide(claim_id, False, form, form.reason.data)
    status = 422 if form.is_submitted() else 200
    return render_template("admin/claim_reject.html", claim=claim, form=form), status
