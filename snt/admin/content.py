"""Объявления и страницы: Markdown text, previewed and saved; every change audited."""

from flask import abort, flash, redirect, render_template, request, url_for

from snt.admin.blueprint import acting_account, bp
from snt.admin.forms import ActionForm, AnnouncementForm, PageForm
from snt.extensions import db
from snt.markup import render_markdown
from snt.models import Announcement
from snt.public import content
from snt.public.services import PAGE_TITLES, get_page


@bp.route("/announcements/")
def announcements():
    return render_template(
        "admin/announcements.html", items=content.all_announcements(), action_form=ActionForm()
    )


@bp.route("/announcements/new", methods=["GET", "POST"])
@bp.route("/announcements/<int:announcement_id>/edit", methods=["GET", "POST"])
def announcement_edit(announcement_id: int | None = None):
    item = db.get_or_404(Announcement, announcement_id) if announcement_id else None
    form = AnnouncementForm(obj=item if request.method == "GET" else None)
    if item is not None and not form.is_submitted():
        form.published.data = item.published_at is not None
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data)
        else:
            item = content.save_announcement(
                item,
                form.title.data,
                form.body.data,
                form.is_public.data,
                form.pinned.data,
                form.published.data,
                by=acting_account(),
            )
            state = "опубликовано" if item.published_at else "сохранено как черновик"
            flash(f"Объявление «{item.title}» {state}.", "success")
            return redirect(url_for("admin.announcements"))
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template("admin/announcement_edit.html", item=item, form=form, preview=preview), status


@bp.post("/announcements/<int:announcement_id>/delete")
def announcement_delete(announcement_id: int):
    item = db.get_or_404(Announcement, announcement_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    content.delete_announcement(item, acting_account())
    flash(f"Объявление «{item.title}» удалено.", "success")
    return redirect(url_for("admin.announcements"))


@bp.route("/pages/")
def pages():
    return render_template(
        "admin/pages.html", titles=PAGE_TITLES, pages={slug: get_page(slug) for slug in PAGE_TITLES}
    )


@bp.route("/pages/<slug>", methods=["GET", "POST"])
def page_edit(slug: str):
    if slug not in PAGE_TITLES:
        abort(404)
    page = get_page(slug)
    form = PageForm(obj=page if request.method == "GET" else None)
    preview = None
    if form.validate_on_submit():
        if form.preview.data:
            preview = render_markdown(form.body.data)
        else:
            content.save_page(slug, form.body.data or "", acting_account())
            flash(f"Страница «{PAGE_TITLES[slug]}» сохранена.", "success")
            return redirect(
                url_for("public.contacts") if slug == "contacts" else url_for("public.page", slug=slug)
            )
    status = 422 if form.is_submitted() and form.errors else 200
    return render_template(
        "admin/page_edit.html", slug=slug, title=PAGE_TITLES[slug], form=form, preview=preview
    ), status
