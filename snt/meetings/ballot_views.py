"""«Голосование» for owners: the online ballot of a заочное or очно-заочное meeting (where the
устав allows electronic voting), the receipt on screen and by email, and the totals after the
deadline."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from snt.email import send_email_or_log
from snt.extensions import db
from snt.meetings import ballots, rules
from snt.meetings.count import tally
from snt.meetings.vote_forms import ballot_form
from snt.models import Ballot, BallotAnswer, Meeting
from snt.registry.access import can_see_members_only

bp = Blueprint("voting", __name__)


def _questions_for(meeting: Meeting) -> list[rules.Question]:
    person = ballots.person_of(current_user)
    return [q for q in rules.questions(meeting) if person is not None and ballots.votes_on(person, q)]


def _page(meeting: Meeting, form, status: int = 200):
    person = ballots.person_of(current_user)
    mine = ballots.live_ballot(meeting, person.id) if person is not None else None
    show_totals = ballots.past_deadline(meeting) and can_see_members_only(current_user)
    return render_template(
        "meetings/vote.html",
        meeting=meeting,
        deadline=ballots.deadline_text(meeting),
        clause=ballots.e_voting_clause(),
        refusal=None if mine else ballots.online_refusal(meeting, current_user),
        mine=mine,
        questions={q.number: q for q in rules.questions(meeting)},
        titles=BallotAnswer.TITLES,
        form=form,
        result=tally(meeting) if show_totals else None,
    ), status


@bp.route("/<int:meeting_id>/vote")
@login_required
def vote(meeting_id: int):
    found = db.get_or_404(Meeting, meeting_id)
    return _page(found, ballot_form(_questions_for(found)))


@bp.route("/<int:meeting_id>/vote", methods=["POST"])
@login_required
def vote_submit(meeting_id: int):
    found = db.get_or_404(Meeting, meeting_id)
    form = ballot_form(_questions_for(found))
    if not form.validate_on_submit():
        return _page(found, form, 422)
    try:
        ballot = ballots.cast_online(found, current_user, form.answers())
    except ballots.BallotError as exc:
        flash(str(exc), "error")
        return _page(found, form, 409 if isinstance(exc, ballots.BallotRefused) else 422)
    _send_receipt(found, ballot)
    flash("Бюллетень получен. Квитанция — ниже и в письме на ваш адрес.", "success")
    return redirect(url_for("voting.vote", meeting_id=found.id))


def _send_receipt(meeting: Meeting, ballot: Ballot) -> None:
    from snt.templating import ru_date

    questions = {q.number: q for q in rules.questions(meeting)}
    send_email_or_log(
        f"ваш бюллетень на общем собрании {ru_date(meeting.held_on)}",
        [current_user.email],
        "ballot_receipt",
        meeting=meeting,
        ballot=ballot,
        questions=questions,
        titles=BallotAnswer.TITLES,
    )
