"""Документы: upload (type and size checked), edit the title, section and access, delete."""

from flask import abort, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp
from snt.admin.forms import ActionForm, DocumentEditForm, DocumentForm
from snt.extensions import db
from snt.models import Document
from snt.public import documents
from snt.text import size_text


@bp.route("/documents/", methods=["GET", "POST"])
def documents_page():
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            document = documents.upload(
                upload.stream,
                upload.filename or "",
                form.title.data or "",
                form.category.data,
                form.visibility.data == "public",
                by=acting_account(),
            )
        except documents.DocumentError as exc:
            form.file.errors.append(str(exc))
        else:
            flash(
                f"Документ «{document.title}» загружен в раздел «{documents.CATEGORIES[document.category]}».",
                "success",
            )
            return redirect(url_for("admin.documents_page"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/documents.html",
        form=form,
        items=documents.listed(),
        categories=documents.CATEGORIES,
        allowed=documents.ALLOWED,
        max_size=size_text(documents.max_size()),
        size_text=size_text,
        action_form=ActionForm(),
    ), status


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def document_edit(document_id: int):
    document = db.get_or_404(Document, document_id)
    form = DocumentEditForm(obj=document if request.method == "GET" else None)
    if not form.is_submitted():
        form.visibility.data = "public" if document.is_public else "members"
    if form.validate_on_submit():
        documents.update(
            document, form.title.data, form.category.data, form.visibility.data == "public", acting_account()
        )
        flash(f"Документ «{document.title}» сохранён.", "success")
        return redirect(url_for("admin.documents_page"))
    status = 422 if form.is_submitted() else 200
    return render_template("admin/document_edit.html", document=document, form=form), status


@bp.post("/documents/<int:document_id>/delete")
def document_delete(document_id: int):
    document = db.get_or_404(Document, document_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    documents.delete(document, acting_account())
    flash(f"Документ «{document.title}» удалён.", "success")
    return redirect(url_for("admin.documents_page"))
