"""«Собрания» for members: meetings ahead and past, the agenda, and the materials for owners with
a verified plot (members and non-members alike); the banner on the cabinet pages."""

from flask import Blueprint, abort, has_request_context, render_template, request, send_file
from flask_login import current_user, login_required

from snt.extensions import db
from snt.meetings import services
from snt.models import Meeting
from snt.public import documents
from snt.registry.access import verified_plots

bp = Blueprint("meetings", __name__)
CABINET = {"mydata", "payments", "electricity", "meetings"}


def _may_read_materials() -> bool:
    return current_user.is_board or bool(verified_plots(current_user))


@bp.route("/")
@login_required
def index():
    return render_template("meetings/index.html", upcoming=services.upcoming(), past=services.past())


@bp.route("/<int:meeting_id>")
@login_required
def meeting(meeting_id: int):
    found = db.get_or_404(Meeting, meeting_id)
    return render_template(
        "meetings/meeting.html",
        meeting=found,
        when=services.when_text(found),
        materials_open=_may_read_materials(),
    )


@bp.route("/<int:meeting_id>/materials/<int:document_id>")
@login_required
def material(meeting_id: int, document_id: int):
    """A material, for owners with a verified plot (the board too)."""
    found = db.get_or_404(Meeting, meeting_id)
    item = next((m.document for m in found.materials if m.document_id == document_id), None)
    if item is None:
        abort(404)
    if not _may_read_materials():
        abort(403)
    path = documents.path_of(item)
    if not path.is_file():
        abort(404)
    return send_file(
        path, mimetype=documents.mimetype_of(item), as_attachment=True, download_name=item.original_name
    )


@bp.app_context_processor
def meeting_banner() -> dict:
    """The nearest noticed meeting, on the cabinet's pages only (one query there, none elsewhere)."""
    if not has_request_context() or request.blueprint not in CABINET or not current_user.is_authenticated:
        return {}
    ahead = services.noticed_ahead()
    return {"meeting_banner": (ahead, services.when_text(ahead))} if ahead else {}
