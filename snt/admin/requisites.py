"""Реквизиты для оплаты (the treasurer's): checked as banks check them, audited; and the
receipts of every debtor in one PDF."""

from dataclasses import asdict
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.forms import RequisitesForm
from snt.payments.receipt import debtors_receipts_download
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


@bp.route("/receipts.pdf")
@treasurer_required
def debtors_receipts_pdf():
    """«Квитанции всем должникам (PDF)»: what `flask receipts` writes, audited like an export."""
    try:
        pdf, _ = debtors_receipts_download(acting_account())
    except ValueError as exc:
        flash(str(exc), "info")
        return redirect(url_for("admin.exports_page"))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=kvitancii-{date.today():%Y-%m-%d}.pdf"},
    )
