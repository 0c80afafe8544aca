"""The in-person part of a meeting on «Голосование и подсчёт»: registering who attended (in person or
by proxy, with the proxy's document), the show of hands per question, and voiding wrong entries."""

from flask import abort, flash, redirect, send_file, url_for

from snt.admin.blueprint import acting_account, bp
from snt.admin.meeting_votes import attendance_form, hands_form, meeting_or_404, paper_entry_form, votes_page
from snt.extensions import db
from snt.meetings import ballots, hall
from snt.meetings.vote_forms import CloseForm, VoidForm
from snt.models import Attendance, HandsVote


def _back(meeting_id: int):
    return redirect(url_for("admin.meeting_votes", meeting_id=meeting_id))


def _refused(found, exc: hall.HallError, **forms):
    """The count page again with the refused form and why: 409 when the entry clashes with what is
    recorded (a ballot, a live mark), 422 when it is wrong in itself."""
    flash(str(exc), "error")
    status = 409 if isinstance(exc, hall.HallRefused) else 422
    return votes_page(found, paper_entry_form(found), CloseForm(), status, **forms)


@bp.route("/meetings/<int:meeting_id>/hall/attend", methods=["POST"])
def meeting_attend(meeting_id: int):
    found = meeting_or_404(meeting_id)
    form = attendance_form(found)
    if not form.validate_on_submit() or not form.person.data:
        if not form.person.data:
            form.person.errors = ["Выберите собственника."]
        return votes_page(found, paper_entry_form(found), CloseForm(), 422, attend=form)
    upload = form.document.data
    document = (
        upload.stream.read(ballots.SCAN_MAX_BYTES + 1) if upload and getattr(upload, "filename", "") else b""
    )
    try:
        mark = hall.mark(found, form.person.data, form.proxy_name.data or "", document, by=acting_account())
    except hall.HallError as exc:
        return _refused(found, exc, attend=form)
    flash(f"{mark.person_name}: присутствие отмечено ({mark.way}).", "success")
    return _back(found.id)


@bp.route("/meetings/<int:meeting_id>/hall/<int:mark_id>/void", methods=["POST"])
def meeting_attend_void(meeting_id: int, mark_id: int):
    return _void(meeting_id, db.session.get(Attendance, mark_id))


@bp.route("/meetings/<int:meeting_id>/hall/hands/<int:entry_id>/void", methods=["POST"])
def meeting_hands_void(meeting_id: int, entry_id: int):
    return _void(meeting_id, db.session.get(HandsVote, entry_id))


def _void(meeting_id: int, row: Attendance | HandsVote | None):
    found = meeting_or_404(meeting_id)
    if row is None or row.meeting_id != found.id:
        flash("Запись не найдена.", "error")
        return _back(found.id)
    form = VoidForm()
    if not form.validate_on_submit():
        flash("Укажите причину, по которой запись аннулируется.", "error")
        return _back(found.id)
    try:
        hall.void(row, form.reason.data, by=acting_account())
    except hall.HallError as exc:
        flash(str(exc), "error")
    else:
        what = (
            f"Отметка о присутствии {row.person_name} аннулирована"
            if isinstance(row, Attendance)
            else f"Запись голосования по вопросу {row.number} аннулирована"
        )
        flash(f"{what}: внесите заново, если нужно.", "success")
    return _back(found.id)


@bp.route("/meetings/<int:meeting_id>/hall/<int:mark_id>/proxy")
def meeting_proxy_document(meeting_id: int, mark_id: int):
    found = meeting_or_404(meeting_id)
    mark = db.session.get(Attendance, mark_id)
    if mark is None or mark.meeting_id != found.id or not mark.proxy_document:
        flash("Доверенность не найдена.", "error")
        return _back(found.id)
    path = ballots.scan_folder() / mark.proxy_document
    if not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=f"doverennost-{mark.id}{path.suffix}")


@bp.route("/meetings/<int:meeting_id>/hall/hands", methods=["POST"])
def meeting_hands(meeting_id: int):
    found = meeting_or_404(meeting_id)
    form = hands_form(found)
    if not form.validate_on_submit():
        return votes_page(found, paper_entry_form(found), CloseForm(), 422, hands=form)
    try:
        hall.enter_hands(
            found,
            form.number.data,
            form.votes_for.data,
            form.against.data,
            form.abstained.data,
            by=acting_account(),
        )
    except hall.HallError as exc:
        return _refused(found, exc, hands=form)
    flash(f"Голосование по вопросу {form.number.data} внесено.", "success")
    return _back(found.id)
