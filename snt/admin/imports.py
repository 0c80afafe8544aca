"""Загрузка файлов: readings, payments or the registry, previewed as `--dry-run` prints them, then
imported on confirmation (snt.imports.staging keeps the previewed file)."""

from flask import render_template

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import ConfirmImportForm, ImportForm
from snt.imports import staging
from snt.reports import report_lines
from snt.text import size_text


def _page(form: ImportForm, status: int = 200, problem: str = ""):
    return render_template(
        "admin/imports.html",
        form=form,
        problem=problem,
        recent=staging.recent_imports(),
        kinds=staging.IMPORT_KINDS,
        max_size=size_text(staging.max_size()),
    ), status


@bp.route("/imports/", methods=["GET", "POST"])
@treasurer_required
def imports():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.is_submitted() else 200)
    upload = form.file.data
    try:
        data, filename = staging.read_upload(upload.stream, upload.filename or "")
        found = staging.preview(form.kind.data, data, filename, acting_account(), form.replace.data)
    except staging.StagingError as exc:
        form.file.errors.append(str(exc))
        return _page(form, exc.status)
    return render_template(
        "admin/import_report.html",
        report=found.report,
        lines=report_lines(found.report),
        kind_title=staging.IMPORT_KINDS[form.kind.data],
        replace=form.replace.data and form.kind.data == "readings",
        confirm_form=ConfirmImportForm(token=found.token) if found.token else None,
    ), 200 if found.report.ok else 422


@bp.post("/imports/confirm")
@treasurer_required
def import_confirm():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _page(ImportForm(formdata=None), 422, problem=" ".join(form.token.errors))
    try:
        report = staging.confirm(form.token.data, acting_account())
    except staging.StagingError as exc:
        return _page(ImportForm(formdata=None), exc.status, problem=str(exc))
    return render_template(
        "admin/import_report.html",
        report=report,
        lines=report_lines(report),
        kind_title=staging.IMPORT_KINDS.get(report.kind, ""),
        replace=False,
        confirm_form=None,
    ), 200 if report.ok else 422
