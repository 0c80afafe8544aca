"""Фоновые задачи: a job's page (state, progress n/N, its report and file) and its rerun.

The page refreshes itself while the job is queued or running (a meta refresh: no JavaScript).
Jobs are the treasurer's, except the kinds any board member starts (a meeting's notice).
"""

from datetime import date

from flask import abort, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from snt.admin.blueprint import bp
from snt.admin.forms import ActionForm
from snt.jobs import queue, records
from snt.jobs.kinds import BOARD_KINDS
from snt.models import Job


def _job(job_id: int) -> Job:
    job = records.get(job_id)
    if job is None:
        abort(404)
    if current_user.role != "treasurer" and job.kind not in BOARD_KINDS:
        abort(403)
    return job


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    found = _job(job_id)
    running = found.state in (Job.QUEUED, Job.RUNNING) and not records.stale(found)
    page = render_template(
        "admin/job.html",
        job=found,
        lines=records.lines(found),
        table=records.table(found),
        params=records.params(found),
        running=running,
        rerun_form=ActionForm() if records.can_rerun(found) else None,
    )
    return page, 200, {"Refresh": "2"} if running else {}


@bp.get("/jobs/<int:job_id>/result")
def job_result(job_id: int):
    found = _job(job_id)
    try:
        path = records.result_path(found)
    except records.JobError as exc:
        flash(str(exc), "error")
        return redirect(url_for("admin.job", job_id=job_id))
    return send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=f"{'byulleteni' if found.kind == 'meeting_ballots' else 'kvitancii'}-"
        f"{(found.finished_at or date.today()):%Y-%m-%d}.pdf",
    )


@bp.post("/jobs/<int:job_id>/rerun")
def job_rerun(job_id: int):
    _job(job_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        queue.rerun(job_id)
    except records.JobError as exc:
        flash(str(exc), "info")
    return redirect(url_for("admin.job", job_id=job_id))
