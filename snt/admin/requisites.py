"""Реквизиты для оплаты (the treasurer's): checked as banks check them, audited; and the
receipts of every debtor in one PDF."""

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import RequisitesForm
from snt.jobs import queue
from snt.payments.requisites import (
    FIELD_TITLES,
    Requisites,
    RequisitesError,
    current_requisites,
    update_requisites,
)


@bp.route("/requisites", methods=["GET", "POST"])
@treasurer_required
def requisites():
    stored = current_requisites()
    form = RequisitesForm(data=asdict(stored) if stored and request.method == "GET" else None)
    if form.validate_on_submit():
        values = Requisites(**{key: getattr(form, key).data or "" for key in FIELD_TITLES})
        try:
            changes = update_requisites(values, by=acting_account())
        except RequisitesError as exc:
            for key, message in exc.problems.items():
                getattr(form, key).errors.append(message)
        else:
            flash(
                "Реквизиты сохранены." if changes else "Ничего не изменилось.",
                "success" if changes else "info",
            )
            return redirect(url_for("admin.requisites"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/requisites.html", form=form, stored=stored), status


@bp.post("/receipts")
@treasurer_required
def debtors_receipts_pdf():
    """«Квитанции всем должникам (PDF)»: what `flask receipts` writes, made by the worker; the
    job's page offers the file when it is ready."""
    job = queue.submit("receipts", {}, acting_account())
    return redirect(url_for("admin.job", job_id=job.id)) if job else abort(409)
