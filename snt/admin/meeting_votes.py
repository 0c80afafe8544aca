"""Голосование на собрании: how each question is decided, the personalised paper ballots, the
entry and voiding of returned ones, the live count, closing it, and the protocol."""

from io import BytesIO

from flask import abort, flash, redirect, render_template, send_file, url_for
from wtforms import SelectChoice

from snt.admin.blueprint import acting_account, bp
from snt.admin.forms import ActionForm
from snt.extensions import db
from snt.jobs import queue
from snt.meetings import archive, ballots, count, hall, protocol, results, rules
from snt.meetings.vote_forms import AttendanceForm, CloseForm, HandsForm, VoidForm, paper_form, rules_form
from snt.models import Ballot, BallotAnswer, Meeting
from snt.settings import setting


def meeting_or_404(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


@bp.route("/meetings/<int:meeting_id>/rules")
def meeting_rules(meeting_id: int):
    found = meeting_or_404(meeting_id)
    questions = rules.questions(found)
    return _rules_page(found, questions, rules_form(questions), 200)


def _rules_page(found: Meeting, questions: list[rules.Question], form, status: int):
    return render_template(
        "admin/meeting_rules.html",
        meeting=found,
        questions=questions,
        form=form,
        kinds=rules.KINDS,
        rule_titles=rules.RULES,
        voter_titles=rules.VOTERS,
    ), status


@bp.route("/meetings/<int:meeting_id>/rules/save", methods=["POST"])
def meeting_rules_save(meeting_id: int):
    found = meeting_or_404(meeting_id)
    questions = rules.questions(found)
    form = rules_form(questions)
    if not form.validate_on_submit():
        return _rules_page(found, questions, form, 422)
    try:
        rules.save_questions(found, form.chosen(questions), by=acting_account())
    except rules.RulesError as exc:
        flash(str(exc), "error")
        return _rules_page(found, questions, form, 422)
    flash("Порядок голосования по вопросам сохранён.", "success")
    return redirect(url_for("admin.meeting_votes", meeting_id=found.id))


def paper_entry_form(found: Meeting):
    people = [SelectChoice(0, "— выберите —")] + [
        SelectChoice(
            p.id,
            f"{p.full_name} (уч. {', '.join(pl.number for pl in p.plots)})"
            + (f" — есть {ballot.channel_title} бюллетень" if ballot else ""),
        )
        for p, ballot in ballots.owners_and_ballots(found)
    ]
    return paper_form(rules.questions(found), people)


def attendance_form(found: Meeting) -> AttendanceForm:
    form = AttendanceForm()
    form.person.choices = [SelectChoice(0, "— выберите —")] + [
        SelectChoice(
            p.id,
            f"{p.full_name} (уч. {', '.join(pl.number for pl in p.plots)})"
            + (" — отмечен(а)" if mark else "")
            + (" — есть бюллетень" if voted else ""),
        )
        for p, mark, voted in hall.owners_and_marks(found)
    ]
    return form


def hands_form(found: Meeting) -> HandsForm:
    form = HandsForm()
    form.number.choices = [SelectChoice(q.number, f"{q.number}. {q.text}") for q in rules.questions(found)]
    return form


@bp.route("/meetings/<int:meeting_id>/votes")
def meeting_votes(meeting_id: int):
    found = meeting_or_404(meeting_id)
    return votes_page(found, paper_entry_form(found), CloseForm(), 200)


def votes_page(found: Meeting, paper, close, status: int, attend=None, hands=None):
    frozen = ballots.closed(found)
    hidden = bool(setting("meeting_count_hidden")) and frozen is None
    in_hall = hall.in_hall(found)
    return render_template(
        "admin/meeting_votes.html",
        meeting=found,
        by_ballots=ballots.by_ballots(found),
        deadline=ballots.deadline_text(found),
        past_deadline=ballots.past_deadline(found),
        clause=ballots.e_voting_clause(),
        questions=rules.questions(found),
        result=count.tally(found),
        hidden=hidden,
        all_ballots=ballots.ballots(found, with_voided=True),
        titles=BallotAnswer.TITLES,
        frozen=frozen,
        paper_form=paper,
        close_form=close,
        void_form=VoidForm(),
        action_form=ActionForm(),
        in_hall=in_hall,
        all_marks=hall.attendances(found, with_voided=True) if in_hall else [],
        all_hands=hall.hands(found, with_voided=True) if in_hall else [],
        attend_form=attend or (attendance_form(found) if in_hall else None),
        hands_form=hands or (hands_form(found) if in_hall else None),
        results_job=results.job_of(found) if frozen else None,
    ), status


@bp.route("/meetings/<int:meeting_id>/votes/paper", methods=["POST"])
def meeting_paper_ballot(meeting_id: int):
    found = meeting_or_404(meeting_id)
    form = paper_entry_form(found)
    if not form.validate_on_submit() or not form.person.data:
        if not form.person.data:
            form.person.errors = ["Выберите собственника."]
        return votes_page(found, form, CloseForm(), 422)
    upload = form.scan.data
    scan = (
        upload.stream.read(ballots.SCAN_MAX_BYTES + 1) if upload and getattr(upload, "filename", "") else b""
    )
    try:
        ballot = ballots.enter_paper(found, form.person.data, form.answers(), scan, by=acting_account())
    except ballots.BallotError as exc:
        flash(str(exc), "error")
        return votes_page(found, form, CloseForm(), 409 if isinstance(exc, ballots.BallotRefused) else 422)
    flash(f"Бумажный бюллетень {ballot.person_name} внесён.", "success")
    return redirect(url_for("admin.meeting_votes", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/votes/<int:ballot_id>/void", methods=["POST"])
def meeting_ballot_void(meeting_id: int, ballot_id: int):
    found = meeting_or_404(meeting_id)
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or ballot.meeting_id != found.id:
        flash("Бюллетень не найден.", "error")
        return redirect(url_for("admin.meeting_votes", meeting_id=found.id))
    form = VoidForm()
    if not form.validate_on_submit():
        flash("Укажите причину, по которой запись аннулируется.", "error")
        return redirect(url_for("admin.meeting_votes", meeting_id=found.id))
    try:
        ballots.void_paper(ballot, form.reason.data, by=acting_account())
    except ballots.BallotError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Запись бюллетеня {ballot.person_name} аннулирована: внесите бюллетень заново.", "success")
    return redirect(url_for("admin.meeting_votes", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/votes/<int:ballot_id>/scan")
def meeting_ballot_scan(meeting_id: int, ballot_id: int):
    found = meeting_or_404(meeting_id)
    ballot = db.session.get(Ballot, ballot_id)
    if ballot is None or ballot.meeting_id != found.id or not ballot.scan:
        flash("Скан этого бюллетеня не найден.", "error")
        return redirect(url_for("admin.meeting_votes", meeting_id=found.id))
    path = ballots.scan_folder() / ballot.scan
    if not path.is_file():
        abort(404)
    return send_file(path, as_attachment=True, download_name=f"byulleten-{ballot.id}{path.suffix}")


@bp.route("/meetings/<int:meeting_id>/votes/close", methods=["POST"])
def meeting_count_close(meeting_id: int):
    found = meeting_or_404(meeting_id)
    form = CloseForm()
    if not form.validate_on_submit():
        return votes_page(found, paper_entry_form(found), form, 422)
    try:
        count.close_count(
            found, form.chair.data, form.secretary.data, form.commission.data, by=acting_account()
        )
    except count.CountError as exc:
        flash(str(exc), "error")
        return votes_page(found, paper_entry_form(found), form, 409)
    job = queue.submit(
        "meeting_results", {"meeting_id": found.id}, acting_account(), key=results.job_key(found)
    )
    flash(
        "Подсчёт голосов закрыт. Протокол готов к скачиванию."
        + (" Итоги рассылаются по электронной почте (задача ниже)." if job else ""),
        "success",
    )
    return redirect(url_for("admin.meeting_votes", meeting_id=found.id))


@bp.route("/meetings/<int:meeting_id>/ballots", methods=["POST"])
def meeting_ballots_pdf(meeting_id: int):
    """The personalised ballots PDF, made by a job whose page shows the progress and the file."""
    found = meeting_or_404(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    job = queue.submit("meeting_ballots", {"meeting_id": found.id}, acting_account())
    return redirect(url_for("admin.job", job_id=job.id)) if job else abort(409)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.route("/meetings/<int:meeting_id>/protocol.pdf")
def meeting_protocol_pdf(meeting_id: int):
    return _protocol(meeting_or_404(meeting_id), "pdf")


@bp.route("/meetings/<int:meeting_id>/protocol.docx")
def meeting_protocol_docx(meeting_id: int):
    return _protocol(meeting_or_404(meeting_id), "docx")


def _protocol(found: Meeting, fmt: str):
    try:
        data = protocol.protocol_pdf(found) if fmt == "pdf" else protocol.protocol_docx(found)
    except protocol.NotClosed as exc:
        flash(str(exc), "info")
        return redirect(url_for("admin.meeting_votes", meeting_id=found.id))
    mimetype = "application/pdf" if fmt == "pdf" else DOCX
    name = f"protokol-{found.held_on:%Y-%m-%d}.{fmt}"
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


@bp.route("/meetings/<int:meeting_id>/records.zip")
def meeting_records_zip(meeting_id: int):
    """Ballots, scans, the protocol and the notice's delivery log as one archive for the records."""
    found = meeting_or_404(meeting_id)
    return send_file(
        archive.records_zip(found),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"sobranie-{found.held_on:%Y-%m-%d}.zip",
    )
