from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    send_from_directory,
    url_for,
)
from flask_login import current_user

from snt.extensions import db
from snt.markup import first_paragraph
from snt.models import Announcement, Document
from snt.public import documents, services
from snt.public.forms import ContactForm
from snt.registry import access
from snt.web import limiter, login_manager

bp = Blueprint("public", __name__)
MEMBERS_ONLY = (
    "Документ доступен членам товарищества: откроется после того, как правление подтвердит ваш участок."
)


@bp.route("/")
def index():
    """Home page = «Объявления»."""
    items = services.announcements(members=access.can_see_members_only(current_user))
    return render_template("public/index.html", announcements=items, first_paragraph=first_paragraph)


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for /favicon.ico whatever the page says; a PNG there is understood by all."""
    return send_from_directory(current_app.static_folder, "favicon.png", mimetype="image/png", max_age=86400)


@bp.route("/announcements/<int:announcement_id>")
def announcement(announcement_id: int):
    item = db.get_or_404(Announcement, announcement_id)
    if item.published_at is None or not access.may_see(item, current_user):
        abort(404)
    return render_template("public/announcement.html", item=item)


@bp.route("/page/<slug>")
def page(slug: str):
    """Устав, Правление, the «Финансы» pages, privacy policy: text kept in the database."""
    if slug not in services.PAGE_TITLES or slug == "contacts":
        abort(404)
    item = services.get_page(slug)
    files = documents.listed(slug) if slug in documents.CATEGORIES else []
    visible = [d for d in files if access.may_see(d, current_user)]
    return render_template(
        "public/page.html",
        title=services.PAGE_TITLES[slug],
        item=item,
        slug=slug,
        documents=visible,
        hidden=len(files) - len(visible),
    )


@bp.route("/documents/<int:document_id>")
def document(document_id: int):
    """A document for download; a members-only one asks a guest to log in first."""
    item = db.get_or_404(Document, document_id)
    if not access.may_see(item, current_user):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return render_template("errors/error.html", code=403, message=MEMBERS_ONLY), 403
    path = documents.path_of(item)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype=documents.mimetype_of(item), as_attachment=True, download_name=item.original_name
    )


@bp.route("/contacts", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_CONTACT"], methods=["POST"])
def contacts():
    form = ContactForm()
    if current_user.is_authenticated and not form.is_submitted():
        form.email.data = current_user.email
        form.name.data = current_user.full_name
        form.plot_number.data = current_user.login_plot.number if current_user.login_plot else ""
    if form.validate_on_submit():
        services.submit_contact_message(
            form.name.data,
            form.email.data,
            form.plot_number.data or "",
            form.text.data,
            current_user if current_user.is_authenticated else None,
        )
        flash("Сообщение отправлено правлению. Ответ придёт на указанный адрес.", "success")
        return redirect(url_for("public.contacts"))
    return render_template(
        "public/contacts.html", form=form, item=services.get_page("contacts")
    ), 422 if form.is_submitted() else 200


@bp.route("/help")
def help_page():
    return render_template("public/help.html")


@bp.route("/help/instruction.html")
def instruction_download():
    """«Скачать инструкцию по работе с личным кабинетом»: a standalone file to keep or print."""
    html = render_template("public/instruction_file.html")
    return Response(
        html,
        mimetype="text/html",
        headers={"Content-Disposition": "attachment; filename=instrukciya-lichnyj-kabinet.html"},
    )
