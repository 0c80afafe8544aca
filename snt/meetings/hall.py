"""The in-person part of a meeting (очное, or the очная часть of an очно-заочное one): the board
registers who attended, in person or by proxy with the proxy's document, and enters the show of
hands per question. One vote per person however many plots; an owner without membership counts
only on the questions open to them. A person registered here cannot have a ballot counted, and the
reverse. Wrong marks and entries are voided (kept, with the reason) and made again, all audited."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from snt import audit, clock
from snt.database import writes
from snt.extensions import db
from snt.meetings import ballots as ballot_service
from snt.meetings import rules
from snt.models import Account, Attendance, HandsVote, Meeting, Person


class HallError(ValueError):
    """A Russian message for the board: nothing was saved."""


class HallRefused(HallError):
    """Not the input but the moment or the person: closed, already registered, has a ballot."""


def in_hall(meeting: Meeting) -> bool:
    """Whether the meeting has an in-person part where hands are shown."""
    return meeting.form in (Meeting.IN_PERSON, Meeting.MIXED)


def attendances(meeting: Meeting, with_voided: bool = False) -> list[Attendance]:
    query = (
        select(Attendance)
        .where(Attendance.meeting_id == meeting.id)
        .order_by(Attendance.person_name, Attendance.id)
    )
    if not with_voided:
        query = query.where(Attendance.voided_at.is_(None))
    return list(db.session.scalars(query))


def hands(meeting: Meeting, with_voided: bool = False) -> list[HandsVote]:
    query = (
        select(HandsVote).where(HandsVote.meeting_id == meeting.id).order_by(HandsVote.number, HandsVote.id)
    )
    if not with_voided:
        query = query.where(HandsVote.voided_at.is_(None))
    return list(db.session.scalars(query))


def eligible(present: list[Attendance], question: rules.Question) -> int:
    """Those attending who vote on the question: every member, non-members only where open to them."""
    return sum(1 for a in present if a.as_member or question.owners_vote)


def _open(meeting: Meeting) -> None:
    if not in_hall(meeting):
        raise HallRefused("У заочного собрания нет очной части: голосуют бюллетенями.")
    if ballot_service.closed(meeting) is not None:
        raise HallRefused("Подсчёт голосов закрыт: регистрация и голосование больше не вносятся.")


@writes
def mark(
    meeting: Meeting, person_id: int, proxy_name: str, document: bytes, by: Account | None
) -> Attendance:
    """Register an owner as attending; by proxy, the proxy's name and document (PDF, JPEG, PNG)."""
    _open(meeting)
    person = db.session.get(Person, person_id)
    if person is None or not person.plots:
        raise HallError("Выберите собственника из реестра.")
    existing = db.session.scalar(
        select(Attendance).where(
            Attendance.meeting_id == meeting.id,
            Attendance.person_id == person.id,
            Attendance.voided_at.is_(None),
        )
    )
    if existing is not None:
        raise HallRefused(
            f"{person.full_name} уже зарегистрирован(а) {existing.way}: второй раз не учитывается."
        )
    ballot = ballot_service.live_ballot(meeting, person.id)
    if ballot is not None:
        raise HallRefused(
            f"От {person.full_name} уже есть {ballot.channel_title} бюллетень: голосовать ещё и на "
            "собрании нельзя, голос учитывается один раз."
        )
    proxy_name = proxy_name.strip()
    name = None
    if proxy_name:
        if not document:
            raise HallError("Приложите доверенность представителя (PDF, JPEG или PNG).")
        try:
            name = ballot_service.save_scan(document)
        except ballot_service.BallotError as exc:
            raise HallError(str(exc).replace("Скан", "Скан доверенности", 1)) from None
    row = Attendance(
        meeting_id=meeting.id,
        person_id=person.id,
        person_name=person.full_name,
        plots=", ".join(p.number for p in person.plots)[:200],
        as_member=person.is_member,
        proxy_name=proxy_name[:200],
        proxy_document=name,
        marked_at=clock.utcnow(),
        marked_by_id=by.id if by else None,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # the same person registered at the same moment by another board member
        db.session.rollback()
        raise HallRefused(f"{person.full_name} уже зарегистрирован(а): второй раз не учитывается.") from None
    audit.record(
        "attendance.mark",
        by,
        row,
        label=person.full_name,
        details=f"{row.way}; {'член' if row.as_member else 'без членства'}; уч. {row.plots}",
    )
    return row


@writes
def enter_hands(
    meeting: Meeting, number: int, votes_for: int, against: int, abstained: int, by: Account | None
) -> HandsVote:
    """The counted hands on one question; refused when more hands than those attending who vote on it."""
    _open(meeting)
    question = next((q for q in rules.questions(meeting) if q.number == number), None)
    if question is None:
        raise HallError("Выберите вопрос повестки.")
    if min(votes_for, against, abstained) < 0:
        raise HallError("Число голосов не может быть отрицательным.")
    if any(h.number == number for h in hands(meeting)):
        raise HallRefused(
            f"Голосование по вопросу {number} уже внесено. Если оно внесено с ошибкой, аннулируйте "
            "запись и внесите заново."
        )
    voters = eligible(attendances(meeting), question)
    if votes_for + against + abstained > voters:
        raise HallError(
            f"Вопрос {number}: голосов {votes_for + against + abstained}, а голосующих по нему на собрании "
            f"зарегистрировано {voters}. Проверьте подсчёт или регистрацию."
        )
    row = HandsVote(
        meeting_id=meeting.id,
        number=number,
        votes_for=votes_for,
        against=against,
        abstained=abstained,
        entered_at=clock.utcnow(),
        entered_by_id=by.id if by else None,
    )
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise HallRefused(f"Голосование по вопросу {number} уже внесено.") from None
    audit.record(
        "hands.enter",
        by,
        row,
        label=f"вопрос {number}",
        details=f"за {votes_for}, против {against}, воздержались {abstained}; голосующих {voters}",
    )
    return row


@writes
def void(row: Attendance | HandsVote, reason: str, by: Account | None) -> None:
    """Void a wrong attendance mark or show-of-hands entry (kept, with the reason); it is then made again."""
    reason = reason.strip()
    if row.voided_at is not None:
        raise HallError("Эта запись уже аннулирована.")
    if ballot_service.closed(db.session.get(Meeting, row.meeting_id)) is not None:  # type: ignore[arg-type]
        raise HallError("Подсчёт голосов закрыт: записи не аннулируются.")
    if not reason:
        raise HallError("Укажите, почему запись аннулируется.")
    row.voided_at, row.voided_by_id, row.void_reason = clock.utcnow(), by.id if by else None, reason[:300]
    if isinstance(row, Attendance):
        audit.record("attendance.void", by, row, label=row.person_name, details=f"{reason}; было: {row.way}")
    else:
        was = f"за {row.votes_for}, против {row.against}, воздержались {row.abstained}"
        audit.record("hands.void", by, row, label=f"вопрос {row.number}", details=f"{reason}; было: {was}")


def unready(meeting: Meeting) -> str | None:
    """Why the in-person part cannot be counted as it stands (checked when closing), or None."""
    present = attendances(meeting)
    if not present:
        return None
    entered = {h.number: h for h in hands(meeting)}
    for question in rules.questions(meeting):
        row = entered.get(question.number)
        if row is None:
            return f"Внесите голосование на собрании по вопросу {question.number}."
        voters = eligible(present, question)
        if row.votes_for + row.against + row.abstained > voters:
            return (
                f"Вопрос {question.number}: голосов больше, чем голосующих по нему на собрании ({voters}): "
                "аннулируйте запись и внесите заново."
            )
    return None


def owners_and_marks(meeting: Meeting) -> list[tuple[Person, Attendance | None, bool]]:
    """Every owner with their live mark, if any, and whether they have a live ballot."""
    from snt.meetings.notice import owners

    marked = {a.person_id: a for a in attendances(meeting)}
    voted = {b.person_id for b in ballot_service.ballots(meeting)}
    return [(p, marked.get(p.id), p.id in voted) for p in owners()]
