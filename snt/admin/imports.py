"""Загрузка файлов: readings, payments or the registry, previewed as a table (the shell's `--dry-run`
prints the same report as text), then
imported on confirmation by the worker (a job: snt/jobs; snt.imports.staging keeps the previewed
file). The first confirmation of a file starts its job; a second one is refused."""

from flask import redirect, render_template, url_for

from snt.admin.blueprint import acting_account, bp, treasurer_required
from snt.admin.treasurer_forms import ConfirmImportForm, ImportForm, SkipBadRowsForm
from snt.imports import staging
from snt.jobs import queue
from snt.payments import unmatched
from snt.reports import report_table, skipped_table
from snt.text import size_text


def _page(form: ImportForm, status: int = 200, problem: str = ""):
    return render_template(
        "admin/imports.html",
        form=form,
        problem=problem,
        recent=staging.recent_imports(),
        kinds=staging.IMPORT_KINDS,
        max_size=size_text(staging.max_size()),
        unmatched=unmatched.count_open(),
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
        found = staging.preview(
            form.kind.data, data, filename, acting_account(), form.replace.data, form.other_account.data
        )
    except staging.StagingError as exc:
        form.file.errors.append(str(exc))
        return _page(form, exc.status)
    return render_template(
        "admin/import_report.html",
        report=found.report,
        table=report_table(found.report),
        kind_title=staging.IMPORT_KINDS[form.kind.data],
        replace=form.replace.data and form.kind.data == "readings",
        confirm_form=ConfirmImportForm(token=found.token) if found.token else None,
        **_without_bad_rows(found),
    ), 200 if found.report.ok else 422


def _without_bad_rows(found: staging.Preview) -> dict:
    """The offer to load the file without its bad lines, listing exactly those lines."""
    without = found.without_bad_rows
    if without is None or found.report.ok:
        return {}
    token = found.staged
    return {
        "skip_table": skipped_table(without),
        "skip_form": SkipBadRowsForm(formdata=None, token=token, skipped=staging.skipped_text(without)),
    }


@bp.post("/imports/confirm-without-bad-rows")
@treasurer_required
def import_confirm_without_bad_rows():
    form = SkipBadRowsForm()
    if not form.validate_on_submit():
        return _page(
            ImportForm(formdata=None), 422, problem=" ".join(form.token.errors or form.skipped.errors)
        )
    try:
        report = staging.confirm(form.token.data, acting_account(), skipped=form.skipped.data)
    except staging.StagingError as exc:
        return _page(ImportForm(formdata=None), exc.status, problem=str(exc))
    return _result(report)


@bp.post("/imports/confirm")
@treasurer_required
def import_confirm():
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _page(ImportForm(formdata=None), 422, problem=" ".join(form.token.errors))
    token = form.token.data
    try:
        row = staging.staged(token, acting_account())  # refused at once: another account's, expired, used
    except staging.StagingError as exc:
        return _page(ImportForm(formdata=None), exc.status, problem=str(exc))
    job = queue.submit("import", {"token": token}, acting_account(), key=f"import:{token}")
    if job is None:
        already = f"Файл «{row.filename}» уже загружен (или загружается). Повторно ничего не записано."
        return _page(ImportForm(formdata=None), 409, problem=already)
    return redirect(url_for("admin.job", job_id=job.id))


def _result(report):
    return render_template(
        "admin/import_report.html",
        report=report,
        table=report_table(report),
        kind_title=staging.IMPORT_KINDS.get(report.kind, ""),
        replace=False,
        confirm_form=None,
    ), 200 if report.ok else 422
