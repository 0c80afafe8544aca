"""Показания участников: the treasurer's queue of readings members passed, accept or reject."""

from flask import flash, render_template, request, url_for

from snt.admin.blueprint import acting_account, back_to, bp, treasurer_required
from snt.admin.forms import ActionForm
from snt.electricity.checks import month_start
from snt.reports import totals_text
from snt.submissions import review
from snt.submissions.sending import SubmissionNotFound
from snt.templating import ru_date_short


@bp.route("/readings/")
def readings_queue():
    text = request.args.get("period", "").strip()[:20]
    try:
        period = month_start(text) if text else None
    except ValueError as exc:
        flash(f"{exc}.", "error")
        period = None
    return render_template(
        "admin/submissions.html",
        rows=review.queue(period),
        periods=review.pending_periods(),
        period=period,
        form=ActionForm(),
    )


@bp.route("/readings/accept-clean", methods=["POST"])
@treasurer_required
def readings_accept_clean():
    if ActionForm().validate_on_submit():
        text = request.form.get("period", "")
        try:
            period = month_start(text) if text else None
        except ValueError as exc:
            flash(f"{exc}.", "error")
        else:
            _say(review.accept_clean(period, acting_account()))
    return back_to(url_for("admin.readings_queue"))


@bp.route("/readings/<int:submission_id>/accept", methods=["POST"])
@treasurer_required
def readings_accept(submission_id: int):
    if ActionForm().validate_on_submit():
        _say(review.accept([submission_id], acting_account()))
    return back_to(url_for("admin.readings_queue"))


@bp.route("/readings/<int:submission_id>/reject", methods=["POST"])
@treasurer_required
def readings_reject(submission_id: int):
    if ActionForm().validate_on_submit():
        try:
            submission = review.reject(submission_id, request.form.get("reason", ""), acting_account())
        except review.RejectError as exc:
            flash(str(exc), "error")
        except SubmissionNotFound:
            flash("Таких показаний нет: обновите страницу.", "error")
        else:
            flash(f"Показания участка {submission.plot.number} отклонены.", "success")
    return back_to(url_for("admin.readings_queue"))


def _say(result: review.Acceptance) -> None:
    if result.accepted:
        totals = totals_text(result.report) if result.report and result.report.written else ""
        flash(f"Принято показаний: {len(result.accepted)}." + (f" {totals}." if totals else ""), "success")
    for submission, reason in result.failed:
        flash(
            f"Участок {submission.plot.number}, на {ru_date_short(submission.period)}: не принято — {reason}",
            "error",
        )
    if not result.accepted and not result.failed:
        flash("Нечего принимать: показаний без замечаний нет.", "info")
