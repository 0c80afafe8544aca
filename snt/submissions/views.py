"""«Передать показания»: the member's form for each verified plot, and the meter photos."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from snt.submissions import sending
from snt.submissions.forms import SubmissionForm
from snt.submissions.sending import STATE_TEXT
from snt.submissions.window import current_window, today
from snt.text import has_control_characters

bp = Blueprint("submissions", __name__)


@bp.route("/", methods=["GET"])
@login_required
def page():
    return _render({})


@bp.route("/<number>", methods=["POST"])
@login_required
def send(number: str):
    if has_control_characters(number):  # a NUL would reach PostgreSQL as a bound string
        abort(404)
    form = SubmissionForm(prefix=prefix(number))
    if not form.validate_on_submit():  # the CSRF token, control characters
        return _render({number: form}), 400
    upload = form.photo.data
    photo = upload.stream if upload and upload.filename else None
    try:
        outcome = sending.submit(
            current_user,
            number,
            {"day": form.day.data or "", "night": form.night.data or "", "total": form.total.data or ""},
            meter_replaced=form.meter_replaced.data,
            confirmed=form.confirmed.data == "1",
            photo=photo,
        )
    except sending.SubmissionNotFound:
        abort(404)
    if outcome.submission is not None:
        flash(f"Показания участка {number} переданы казначею: они на проверке.", "success")
        return redirect(url_for("submissions.page"))
    problems = form.set_errors(outcome.errors)
    if outcome.warnings:
        form.confirmed.data = "1"
    status = 200 if outcome.warnings and not outcome.errors else 422
    return _render({number: form}, problems, outcome.warnings, photo is not None), status


def prefix(number: str) -> str:
    """Each plot's form has its own field names and ids: several plots share one page."""
    return f"u{number}"


def _render(forms: dict, problems=(), warnings=(), had_photo: bool = False):
    window = current_window()
    cards = sending.member_page(current_user, window)
    for card in cards:
        forms.setdefault(card.plot.number, SubmissionForm(formdata=None, prefix=prefix(card.plot.number)))
    return render_template(
        "submissions/page.html",
        window=window,
        today=today(),
        cards=cards,
        forms=forms,
        problems=problems,
        warnings=warnings,
        had_photo=had_photo,
        states=STATE_TEXT,
        posted=request.view_args.get("number") if request.view_args else None,
    )


@bp.route("/photo/<int:submission_id>")
@bp.route("/photo/<int:submission_id>/small", defaults={"small": True})
def photo(submission_id: int, small: bool = False):
    """The owner (verified) and the board see a photo; anyone else, a guest included, gets 404."""
    path = sending.photo_path(current_user, submission_id, small)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
