"""Собрания: a meeting, its materials, its legal deadlines, the notice and its proof."""

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from wtforms import SelectChoice

from snt import clock
from snt.admin.blueprint import acting_account, bp
from snt.admin.forms import ActionForm, BoardPostingForm, MaterialForm, MeetingForm, NoticeForm
from snt.extensions import db
from snt.jobs import queue
from snt.meetings import notice, proof, rules, services
from snt.meetings.vote_forms import add_rule_rows, chosen_rows
from snt.models import Document, Meeting, MeetingNotice
from snt.public import documents
from snt.registry.exports import to_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


@bp.route("/meetings/")
def meetings():
    return render_template(
        "admin/meetings.html", upcoming=services.upcoming(), past=services.past(), when=services.when_text
    )


NEW_ROWS = 10  # the rule rows a new meeting's form offers (more questions: set on the rules page)


def _meeting_form(found: Meeting | None) -> tuple[MeetingForm, int]:
    """The agenda form with the per-question choice of how each is decided (none once ballots or
    the in-person count have begun: the rules no longer change then)."""
    questions = rules.questions(found) if found is not None else []
    posted_rows = 0
    if request.method == "POST":
        posted_rows = len([q for q in request.form.get("agenda", "").splitlines() if q.strip()])
    rows = 0 if found is not None and rules.locked(found) else max(len(questions) + 3, NEW_ROWS, posted_rows)

    class Form(MeetingForm):
        pass

    data = add_rule_rows(Form, questions, rows)
    if request.method == "POST":
        return Form(), rows
    form = Form(obj=found, data=data)
    return form, rows


def _edit_page(form: MeetingForm, found: Meeting | None, rows: int, status: int = 200):
    return render_template(
        "admin/meeting_edit.html",
        form=form,
        meeting=found,
        rows=rows,
        kinds=rules.KINDS,
        rule_titles=rules.RULES,
        voter_titles=rules.VOTERS,
    ), status


@bp.route("/meetings/new")
def meeting_new():
    form, rows = _meeting_form(None)
    return _edit_page(form, None, rows)


@bp.route("/meetings/<int:meeting_id>/edit")
def meeting_edit(meeting_id: int):
    found = _meeting(meeting_id)
    form, rows = _meeting_form(found)
    return _edit_page(form, found, rows)


@bp.route("/meetings/new/save", methods=["POST"], endpoint="meeting_create")
@bp.route("/meetings/<int:meeting_id>/save", methods=["POST"])
def meeting_save(meeting_id: int | None = None):
    found = _meeting(meeting_id) if meeting_id is not None else None
    form, rows = _meeting_form(found)
    valid = form.validate_on_submit()
    chosen, lawful = chosen_rows(form, len(form.values()["agenda"].splitlines()) if valid else 0)
    if valid and lawful:
        if form.held_on.data < clock.today():
            form.held_on.errors = ["Дата собрания уже прошла."]
        else:
            try:
                saved = services.save_meeting(found, form.values(), by=acting_account(), chosen=chosen)
            except (services.MeetingError, rules.RulesError) as exc:
                flash(str(exc), "error")
            else:
                flash(f"Собрание {saved.held_on:%d.%m.%Y} сохранено.", "success")
                return redirect(url_for("admin.meeting", meeting_id=saved.id))
    return _edit_page(form, found, rows, 422)


@bp.route("/meetings/<int:meeting_id>")
def meeting(meeting_id: int):
    found = _meeting(meeting_id)
    return _page(found, NoticeForm(), BoardPostingForm(), 200)


def _page(found: Meeting, notice_form: NoticeForm, board_form: BoardPostingForm, status: int):
    material_form = MaterialForm()
    attached = {m.document_id for m in found.materials}
    material_form.document.choices = [
        SelectChoice(d.id, d.title) for d in documents.listed() if d.id not in attached
    ]
    plan = notice.plan_notice(found)
    return render_template(
        "admin/meeting.html",
        meeting=found,
        when=services.when_text(found),
        due=plan.deadlines,
        plan=plan,
        materials_open_on=services.materials_open_on(found),
        materials_late=services.materials_late(found),
        material_form=material_form,
        notice_form=notice_form,
        board_form=board_form,
        action_form=ActionForm(),
        log=proof.log_lines(found),
        summary=proof.summary_lines(found),
    ), status


@bp.route("/meetings/<int:meeting_id>/materials", methods=["POST"])
def meeting_attach(meeting_id: int):
    found = _meeting(meeting_id)
    form = MaterialForm()
    form.document.choices = [SelectChoice(d.id, d.title) for d in documents.listed()]
    if not form.validate_on_submit():
        flash("Выберите документ из списка.", "error")
        return redirect(url_for("admin.meeting", meeting_id=found.id))
    document = db.get_or_404(Document, form.document.data)
    try:
        services.attach_material(found, document, by=acting_account())
    except services.MeetingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Документ «{document.title}» прикреплён к материалам собрания.", "success")
    return redirect(url_for("admin.meeting", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/materials/<int:document_id>/remove", methods=["POST"])
def meeting_detach(meeting_id: int, document_id: int):
    found = _meeting(meeting_id)
    if ActionForm().validate_on_submit():
        services.detach_material(found, document_id, by=acting_account())
        flash("Документ убран из материалов собрания.", "success")
    return redirect(url_for("admin.meeting", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/notice", methods=["POST"])
def meeting_notice(meeting_id: int):
    """The one action that sends the notice: started here (the date is checked at the click), sent
    by a job on the task queue whose page shows the progress."""
    found = _meeting(meeting_id)
    form = NoticeForm()
    if not form.validate_on_submit():
        return _page(found, form, BoardPostingForm(), 422)
    by = acting_account()
    try:
        notice.start_notice(found, by, sms=form.sms.data)
    except notice.NoticeError as exc:
        flash(str(exc), "error")
        return _page(found, form, BoardPostingForm(), 409)
    job = queue.submit("meeting_notice", {"meeting_id": found.id, "sms": bool(form.sms.data)}, by)
    return redirect(url_for("admin.job", job_id=job.id)) if job else abort(409)


@bp.route("/meetings/<int:meeting_id>/retry", methods=["POST"])
def meeting_retry(meeting_id: int):
    """Send one owner's notice again (a failed or doubtful line of the log)."""
    found = _meeting(meeting_id)
    row_id = request.form.get("row", "")
    row = db.session.get(MeetingNotice, int(row_id)) if row_id.isascii() and row_id.isdigit() else None
    if not ActionForm().validate_on_submit() or row is None or row.meeting_id != found.id:
        flash("Строка журнала не найдена.", "error")
        return redirect(url_for("admin.meeting", meeting_id=found.id))
    try:
        result = notice.retry_one(row, acting_account())
    except notice.NoticeError as exc:
        flash(str(exc), "error")
    else:
        ok = bool(result.sent)
        flash(
            f"{row.person_name}: отправлено." if ok else f"{row.person_name}: не отправлено — {row.error}.",
            "success" if ok else "error",
        )
    return redirect(url_for("admin.meeting", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/letters")
def meeting_letters(meeting_id: int):
    """The printable list of owners without an email: names and postal addresses."""
    found = _meeting(meeting_id)
    return render_template(
        "admin/meeting_letters.html",
        meeting=found,
        when=services.when_text(found),
        people=proof.letters(found),
    )


@bp.route("/meetings/<int:meeting_id>/letters.pdf")
def meeting_letters_pdf(meeting_id: int):
    found = _meeting(meeting_id)
    return _download(proof.letters_pdf(found), f"pisma-{found.held_on:%Y-%m-%d}.pdf", "application/pdf")


@bp.route("/meetings/<int:meeting_id>/board.pdf")
def meeting_board_pdf(meeting_id: int):
    found = _meeting(meeting_id)
    return _download(proof.board_pdf(found), f"uvedomlenie-{found.held_on:%Y-%m-%d}.pdf", "application/pdf")


@bp.route("/meetings/<int:meeting_id>/board", methods=["POST"])
def meeting_board(meeting_id: int):
    """«Размещено на щите»: the date and a photo."""
    found = _meeting(meeting_id)
    form = BoardPostingForm()
    if not form.validate_on_submit():
        return _page(found, NoticeForm(), form, 422)
    photo = None
    upload = form.photo.data
    if upload and getattr(upload, "filename", ""):
        try:
            photo = proof.save_photo(upload.stream.read(proof.PHOTO_MAX_BYTES + 1))
        except proof.PhotoError as exc:
            form.photo.errors = [str(exc)]
            return _page(found, NoticeForm(), form, 422)
    services.record_board_posting(found, form.posted_on.data, photo, by=acting_account())
    flash(f"Отмечено: уведомление размещено на щите {form.posted_on.data:%d.%m.%Y}.", "success")
    return redirect(url_for("admin.meeting", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/board-photo")
def meeting_board_photo(meeting_id: int):
    found = _meeting(meeting_id)
    if not found.board_photo:
        flash("Фото щита ещё не загружено.", "info")
        return redirect(url_for("admin.meeting", meeting_id=found.id))
    path = proof.photo_folder() / found.board_photo
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png" if found.board_photo.endswith(".png") else "image/jpeg")


@bp.route("/meetings/<int:meeting_id>/log.xlsx")
def meeting_log_xlsx(meeting_id: int):
    found = _meeting(meeting_id)
    return _download(
        to_xlsx(proof.log_table(found)), f"zhurnal-uvedomleniy-{found.held_on:%Y-%m-%d}.xlsx", XLSX
    )


@bp.route("/meetings/<int:meeting_id>/log.pdf")
def meeting_log_pdf(meeting_id: int):
    found = _meeting(meeting_id)
    return _download(
        proof.log_pdf(found), f"zhurnal-uvedomleniy-{found.held_on:%Y-%m-%d}.pdf", "application/pdf"
    )


def _download(data: bytes, name: str, mimetype: str):
    from io import BytesIO

    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
