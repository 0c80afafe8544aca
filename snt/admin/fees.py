"""Взносы: accrue a year's fee to every plot (as `flask accrue-fees`): a preview table of each
plot's fee with the total, then the confirmation of exactly that preview and its result, a table too."""

from flask import render_template

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import FeesForm
from snt.payments.fees import accrue
from snt.reports import Report, fingerprint, report_table

CHANGED = (
    "Пока вы смотрели расчёт, данные изменились (участки, площади или уже начисленные взносы). "
    "Ничего не начислено: проверьте новый расчёт ниже."
)


def _accrue(form: FeesForm, **options) -> Report:
    rate = form.rate.value
    return accrue(
        form.year.value,
        form.kind.data,
        per_sotka=rate if form.mode.data == "per_sotka" else None,
        fixed=rate if form.mode.data == "fixed" else None,
        title=(form.title.data or "").strip(),
        due_on=form.due.value,
        **options,
    )


@bp.route("/fees/", methods=["GET", "POST"])
@treasurer_required
def fees():
    form = FeesForm()
    preview, problem, status = None, "", 200
    if form.validate_on_submit():
        preview = _accrue(form, dry_run=True)
        if form.submit.data and preview.ok:
            if form.fingerprint.data == fingerprint(preview):
                report = _accrue(form, by=acting_account())
                return render_template(
                    "admin/fees.html", form=FeesForm(formdata=None), done=report, table=report_table(report)
                )
            problem, status = CHANGED, 409
        form.fingerprint.data = fingerprint(preview)
        if not preview.ok:
            status = 422
    elif form.is_submitted():
        status = 422
    table = report_table(preview) if preview else None
    return render_template(
        "admin/fees.html", form=form, preview=preview, table=table, problem=problem
    ), status
