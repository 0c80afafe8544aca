"""Ballots of заочное and очно-заочное meetings (217-ФЗ art. 17 ч. 21–24, 17.1): online where the
устав allows electronic voting, or on paper entered by the board with the scan. One live ballot per
person (however many plots), online ones final; a wrong paper entry is voided and entered again."""

import secrets
from datetime import datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from snt import audit, clock
from snt.database import writes
from snt.extensions import db
from snt.meetings import rules
from snt.models import Account, Attendance, Ballot, BallotAnswer, Meeting, MeetingCount, Person
from snt.registry.access import verified_plots

ONLINE_ANSWERS = (BallotAnswer.FOR, BallotAnswer.AGAINST, BallotAnswer.ABSTAIN)
PAPER_ANSWERS = (*ONLINE_ANSWERS, BallotAnswer.BLANK)
SCAN_KINDS = {b"%PDF-": ".pdf", b"\xff\xd8\xff": ".jpg", b"\x89PNG\r\n\x1a\n": ".png"}
SCAN_MAX_BYTES = 20 * 1024 * 1024


class BallotError(ValueError):
    """A Russian message for the voter or the board: nothing was saved."""


class BallotRefused(BallotError):
    """Not the answers but the moment or the person: late, closed, already voted, not allowed."""


def by_ballots(meeting: Meeting) -> bool:
    return meeting.form in (Meeting.ABSENTEE, Meeting.MIXED)


def deadline(meeting: Meeting) -> datetime:
    """When ballots stop being accepted, in the partnership's time zone: the end of the last day for
    заочное, the start of the in-person part for очно-заочное (the end of its day without a time)."""
    if meeting.form == Meeting.MIXED and meeting.starts_at is not None:
        return datetime.combine(meeting.held_on, meeting.starts_at, tzinfo=clock.zone())
    if meeting.form == Meeting.IN_PERSON:  # no ballots: the count closes once the meeting has begun
        return datetime.combine(meeting.held_on, meeting.starts_at or time(0, 0), tzinfo=clock.zone())
    return datetime.combine(meeting.held_on + timedelta(days=1), time(0, 0), tzinfo=clock.zone())


def deadline_text(meeting: Meeting) -> str:
    from snt.templating import ru_date

    if meeting.form == Meeting.MIXED and meeting.starts_at is not None:
        return f"{ru_date(meeting.held_on)}, {meeting.starts_at:%H:%M} (начало очной части)"
    if meeting.form == Meeting.IN_PERSON:
        return ru_date(meeting.held_on) + (f", {meeting.starts_at:%H:%M}" if meeting.starts_at else "")
    return f"{ru_date(meeting.held_on)} включительно"


def past_deadline(meeting: Meeting) -> bool:
    return clock.now() >= deadline(meeting)


def closed(meeting: Meeting) -> MeetingCount | None:
    return db.session.get(MeetingCount, meeting.id)


def e_voting_clause() -> str:
    """The устав's clause allowing electronic voting (art. 17.1), or "" when it does not."""
    from snt.settings import setting

    return str(setting("meeting_e_voting_clause")).strip()


def person_of(account: Account) -> Person | None:
    """The registry's person behind an account: the owner of its verified plots (among co-owners,
    the one with the account's email). None when there is no verified plot or no telling."""
    found = {owner.id: owner for plot in verified_plots(account) for owner in plot.owners}
    if len(found) == 1:
        return next(iter(found.values()))
    same_email = [p for p in found.values() if p.email and p.email.lower() == account.email.lower()]
    return same_email[0] if len(same_email) == 1 else None


def votes_on(person: Person, question: rules.Question) -> bool:
    return person.is_member or question.owners_vote


def live_ballot(meeting: Meeting, person_id: int) -> Ballot | None:
    return db.session.scalar(
        select(Ballot).where(
            Ballot.meeting_id == meeting.id, Ballot.person_id == person_id, Ballot.voided_at.is_(None)
        )
    )


def attending(meeting: Meeting, person_id: int) -> Attendance | None:
    """The person's live registration at the in-person part (snt.meetings.hall), if any."""
    return db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id,
            Attendance.person_id == person_id,
            Attendance.voided_at.is_(None),
        )
    )


def ballots(meeting: Meeting, with_voided: bool = False) -> list[Ballot]:
    query = select(Ballot).where(Ballot.meeting_id == meeting.id).order_by(Ballot.person_name, Ballot.id)
    if not with_voided:
        query = query.where(Ballot.voided_at.is_(None))
    return list(db.session.scalars(query))


def online_refusal(meeting: Meeting, account: Account) -> str | None:
    """Why this account may not vote online now, or None."""
    if not by_ballots(meeting):
        return "На очном собрании голосуют на самом собрании, бюллетеней нет."
    if not e_voting_clause():
        return (
            "Устав товарищества не предусматривает электронного голосования: голосуйте бумажным бюллетенем."
        )
    if closed(meeting) is not None or past_deadline(meeting):
        return f"Приём бюллетеней закончился {deadline_text(meeting)}. Бюллетень не принят."
    person = person_of(account)
    if person is None:
        return (
            "Голосовать на сайте может собственник с подтверждённым участком. Если вы совладелец, "
            "попросите правление указать в реестре ваш адрес электронной почты."
        )
    ballot = live_ballot(meeting, person.id)
    if ballot is not None:
        return (
            "Ваш бюллетень уже получен"
            + (" (бумажный, его внесло правление)" if ballot.channel == Ballot.PAPER else "")
            + ": голосовать второй раз нельзя."
        )
    if attending(meeting, person.id) is not None:
        return "Вы зарегистрированы на очной части собрания: ваш голос учтён там, бюллетень не принимается."
    return None


def _answers(person: Person, meeting: Meeting, given: dict[int, str], allowed: tuple[str, ...]) -> dict:
    answers = {}
    for question in rules.questions(meeting):
        if not votes_on(person, question):
            continue
        answer = given.get(question.number)
        if answer not in allowed:
            raise BallotError(f"Вопрос {question.number}: отметьте «за», «против» или «воздержался».")
        answers[question.number] = answer
    if not answers:
        raise BallotError("В повестке нет вопросов, по которым этот собственник голосует.")
    return answers


def _new_ballot(meeting: Meeting, person: Person, channel: str, answers: dict, by: Account | None) -> Ballot:
    ballot = Ballot(
        meeting_id=meeting.id,
        person_id=person.id,
        person_name=person.full_name,
        plots=", ".join(p.number for p in person.plots),
        as_member=person.is_member,
        channel=channel,
        submitted_at=clock.utcnow(),
        entered_by_id=by.id if by else None,
        answers=[BallotAnswer(number=n, answer=a) for n, a in sorted(answers.items())],
    )
    db.session.add(ballot)
    try:
        db.session.flush()
    except IntegrityError:  # a second live ballot of the same person, posted at the same moment
        db.session.rollback()
        raise BallotRefused("Бюллетень этого собственника уже получен: второй не принимается.") from None
    return ballot


def _summary(ballot: Ballot) -> str:
    return "; ".join(f"{a.number}: {BallotAnswer.TITLES[a.answer]}" for a in ballot.answers)


@writes
def cast_online(meeting: Meeting, account: Account, given: dict[int, str]) -> Ballot:
    """The logged-in owner's own ballot: final once saved. BallotError when refused."""
    reason = online_refusal(meeting, account)
    if reason:
        raise BallotRefused(reason)
    person = person_of(account)
    assert person is not None  # online_refusal checked
    ballot = _new_ballot(
        meeting, person, Ballot.ONLINE, _answers(person, meeting, given, ONLINE_ANSWERS), account
    )
    audit.record("ballot.online", account, ballot, label=person.full_name, details=_summary(ballot))
    return ballot


@writes
def enter_paper(
    meeting: Meeting, person_id: int, given: dict[int, str], scan: bytes, by: Account | None
) -> Ballot:
    """A returned paper ballot, as marked, with its scan. BallotError when refused."""
    if not by_ballots(meeting):
        raise BallotRefused("У очного собрания нет бюллетеней.")
    if closed(meeting) is not None:
        raise BallotRefused("Подсчёт голосов закрыт: бюллетени больше не вносятся.")
    person = db.session.get(Person, person_id)
    if person is None or not person.plots:
        raise BallotError("Выберите собственника из реестра.")
    existing = live_ballot(meeting, person.id)
    if existing is not None:
        raise BallotRefused(
            f"От {person.full_name} уже есть {existing.channel_title} бюллетень: второй не засчитывается."
            + (
                " Если он внесён с ошибкой, аннулируйте его и внесите заново."
                if existing.channel == Ballot.PAPER
                else ""
            )
        )
    if attending(meeting, person.id) is not None:
        raise BallotRefused(
            f"{person.full_name} зарегистрирован(а) на очной части собрания: голос учитывается там, "
            "бюллетень не засчитывается."
        )
    answers = _answers(person, meeting, given, PAPER_ANSWERS)
    name = save_scan(scan)
    ballot = _new_ballot(meeting, person, Ballot.PAPER, answers, by)
    ballot.scan = name
    audit.record("ballot.paper", by, ballot, label=person.full_name, details=_summary(ballot))
    return ballot


@writes
def void_paper(ballot: Ballot, reason: str, by: Account | None) -> None:
    """Void a paper ballot entered wrongly (kept, with the reason); it is then entered again."""
    reason = reason.strip()
    if ballot.channel != Ballot.PAPER:
        raise BallotError("Электронный бюллетень окончателен: его не может изменить или аннулировать никто.")
    if ballot.voided_at is not None:
        raise BallotError("Этот бюллетень уже аннулирован.")
    if db.session.get(MeetingCount, ballot.meeting_id) is not None:
        raise BallotError("Подсчёт голосов закрыт: бюллетени не аннулируются.")
    if not reason:
        raise BallotError("Укажите, почему запись бюллетеня аннулируется.")
    ballot.voided_at = clock.utcnow()
    ballot.voided_by_id = by.id if by else None
    ballot.void_reason = reason[:300]
    audit.record(
        "ballot.void", by, ballot, label=ballot.person_name, details=f"{reason}; было: {_summary(ballot)}"
    )


def scan_folder() -> Path:
    path = Path(current_app.instance_path) / "meetings" / "ballots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_scan(data: bytes) -> str:
    """Store a ballot's scan (PDF, JPEG or PNG); returns its generated name. BallotError otherwise."""
    if not data:
        raise BallotError("Приложите скан подписанного бюллетеня (PDF, JPEG или PNG).")
    if len(data) > SCAN_MAX_BYTES:
        raise BallotError("Скан больше 20 МБ: уменьшите его.")
    extension = next((ext for magic, ext in SCAN_KINDS.items() if data.startswith(magic)), None)
    if extension is None:
        raise BallotError("Скан должен быть в формате PDF, JPEG или PNG.")
    name = secrets.token_hex(16) + extension
    (scan_folder() / name).write_bytes(data)
    return name


def owners_and_ballots(meeting: Meeting) -> list[tuple[Person, Ballot | None]]:
    """Every owner with their live ballot, if any: the choices for entering a paper one."""
    from snt.meetings.notice import owners

    live = {b.person_id: b for b in ballots(meeting)}
    return [(p, live.get(p.id)) for p in owners()]
