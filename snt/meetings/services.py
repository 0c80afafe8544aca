"""Meetings in the admin area and for members: saving a meeting, its materials, and the legal
deadlines counted in the partnership's time zone (snt.clock).

217-ФЗ art. 17 (see docs/meetings.md): the notice goes out at least two weeks before the meeting
(ч. 13), the draft documents are open to the owners at least seven days before it (ч. 17). An
устав may set longer periods (the board's settings), never shorter ones.
"""

from dataclasses import dataclass
from datetime import UTC, date, timedelta

from sqlalchemy import select

from snt import audit, clock, pagereads
from snt.database import writes
from snt.extensions import db
from snt.meetings import rules
from snt.models import Account, Document, Meeting, MeetingMaterial

LAW_NOTICE_DAYS = 14  # ч. 13: «не позднее чем за две недели до дня его проведения»
LAW_MATERIALS_DAYS = 7  # ч. 17: «не менее чем за семь дней до даты проведения»


class MeetingError(ValueError):
    """A Russian message for the board: nothing was changed."""


def notice_days() -> int:
    from snt.settings import setting

    return max(int(setting("meeting_notice_days")), LAW_NOTICE_DAYS)


def materials_days() -> int:
    from snt.settings import setting

    return max(int(setting("meeting_materials_days")), LAW_MATERIALS_DAYS)


@dataclass
class Deadlines:
    today: date
    notice_by: date  # the last day to send the notice
    materials_by: date  # the last day to open the materials
    notice_days: int
    materials_days: int

    @property
    def notice_late(self) -> bool:
        return self.today > self.notice_by

    @property
    def earliest_lawful_date(self) -> date:
        """The earliest meeting day a notice started today allows."""
        return self.today + timedelta(days=self.notice_days)


def deadlines(meeting: Meeting) -> Deadlines:
    days, materials = notice_days(), materials_days()
    return Deadlines(
        today=clock.today(),
        notice_by=meeting.held_on - timedelta(days=days),
        materials_by=meeting.held_on - timedelta(days=materials),
        notice_days=days,
        materials_days=materials,
    )


def late_notice_reason(meeting: Meeting) -> str | None:
    """Why a notice may not be started today, or None. A notice already started is never refused
    (resuming it or retrying one owner is not a new notice)."""
    if meeting.notice_started_at is not None:
        return None
    due = deadlines(meeting)
    if not due.notice_late:
        return None
    return (
        f"Уведомление о собрании {_d(meeting.held_on)} нужно было разослать не позднее {_d(due.notice_by)}: "
        f"не менее чем за {_days(due.notice_days)} до собрания (217-ФЗ, ст. 17, ч. 13"
        + (", и устав товарищества" if due.notice_days > LAW_NOTICE_DAYS else "")
        + f"). Сегодня {_d(due.today)} — поздно. Самая ранняя законная дата собрания при рассылке "
        f"сегодня — {_d(due.earliest_lawful_date)}: перенесите собрание и разошлите уведомление."
    )


def _d(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _days(n: int) -> str:
    last, tens = n % 10, n % 100
    word = (
        "день" if last == 1 and tens != 11 else "дня" if 2 <= last <= 4 and not 12 <= tens <= 14 else "дней"
    )
    return f"{n} {word}"


def materials_open_on(meeting: Meeting) -> date | None:
    """The local day the first material was attached (when the materials became open)."""
    if not meeting.materials:
        return None
    first = min(m.attached_at for m in meeting.materials)
    return first.replace(tzinfo=UTC).astimezone(clock.zone()).date()


def materials_late(meeting: Meeting, today: date | None = None) -> bool:
    """Whether the materials are not open though the day to open them has come."""
    today = today or clock.today()
    due = deadlines(meeting)
    if today < due.materials_by or today > meeting.held_on:
        return False
    opened = materials_open_on(meeting)
    return opened is None or opened > due.materials_by


def warnings() -> list[str]:
    """Сводка's daily warnings about meetings ahead: materials not open in time, a notice whose
    last day has come or gone without it."""
    today = clock.today()
    found = []
    for meeting in upcoming():
        due = deadlines(meeting)
        if materials_late(meeting, today):
            opened = materials_open_on(meeting)
            found.append(
                f"Собрание {_d(meeting.held_on)}: материалы не открыты владельцам за {_days(due.materials_days)} "
                f"(не позднее {_d(due.materials_by)}). Прикрепите документы на странице собрания."
                if opened is None
                else f"Собрание {_d(meeting.held_on)}: материалы открыты с опозданием — {_d(opened)} вместо "
                f"{_d(due.materials_by)} (за {_days(due.materials_days)} до собрания). Решение о переносе "
                "собрания — за правлением."
            )
        if meeting.notice_started_at is None and today >= due.notice_by:
            found.append(
                f"Собрание {_d(meeting.held_on)}: уведомление не разослано, а последний срок — {_d(due.notice_by)}."
            )
    return found


def upcoming() -> list[Meeting]:
    return list(
        db.session.scalars(select(Meeting).where(Meeting.held_on >= clock.today()).order_by(Meeting.held_on))
    )


def past() -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.held_on < clock.today()).order_by(Meeting.held_on.desc())
        )
    )


def noticed_ahead() -> Meeting | None:
    """The nearest meeting ahead whose notice has gone out: the cabinet's banner. Its id is read with
    the ledger version (snt.pagereads: the banner is on every cabinet page and there is seldom a
    meeting ahead), the meeting only when there is one."""
    meeting_id = pagereads.noticed_meeting_id()
    return None if meeting_id is None else db.session.get(Meeting, meeting_id)


def when_text(meeting: Meeting) -> str:
    """«20 декабря 2026, 11:00, правление (ул. 5, д. 1)» or, for заочное, the ballots' last day."""
    from snt.templating import ru_date

    if meeting.form == Meeting.ABSENTEE:
        return f"заочное голосование, бюллетени принимаются до {ru_date(meeting.held_on)} включительно"
    start = f", {meeting.starts_at:%H:%M}" if meeting.starts_at else ""
    return f"{ru_date(meeting.held_on)}{start}, {meeting.place}"


FIELDS = ("form", "held_on", "starts_at", "place", "agenda")


@writes
def save_meeting(
    meeting: Meeting | None,
    values: dict,
    by: Account | None,
    chosen: dict[int, tuple[str, str, str]] | None = None,
) -> Meeting:
    """Create or change a meeting (values validated by the form) and, with `chosen`, how its
    questions are decided (kind, rule, voters by number; only the changed ones are saved, through
    snt.meetings.rules, RulesError when looser than the law or once voting began). Once the notice
    has gone out, its date, time, place and agenda are what the owners were told: refused with
    MeetingError. All or nothing."""
    if meeting is not None and meeting.notice_started_at is not None:
        changed = [f for f in FIELDS if getattr(meeting, f) != values[f]]
        if changed:
            raise MeetingError(
                "Уведомление уже разослано: дату, время, место, форму и повестку менять нельзя. "
                "Если собрание переносится, создайте новое и разошлите уведомление о нём."
            )
    is_new = meeting is None
    if meeting is None:
        meeting = Meeting(created_by_id=by.id if by else None)
        db.session.add(meeting)
    for field in FIELDS:
        setattr(meeting, field, values[field])
    db.session.flush()
    audit.record(
        "meeting.create" if is_new else "meeting.edit",
        by,
        meeting,
        label=f"собрание {_d(meeting.held_on)}",
        details=f"{meeting.form_title}; {when_text(meeting)}; вопросов: {len(meeting.questions)}",
    )
    if chosen:
        current = {q.number: (q.kind, q.rule, q.voters) for q in rules.questions(meeting)}
        edits = {n: c for n, c in chosen.items() if n in current and current[n] != c}
        if edits:
            rules.save_questions(meeting, edits, by)
    return meeting


@writes
def attach_material(meeting: Meeting, document: Document, by: Account | None) -> None:
    if any(m.document_id == document.id for m in meeting.materials):
        raise MeetingError(f"Документ «{document.title}» уже среди материалов.")
    meeting.materials.append(MeetingMaterial(document=document, attached_at=clock.utcnow()))
    audit.record(
        "meeting.material",
        by,
        meeting,
        label=f"собрание {_d(meeting.held_on)}",
        details=f"+ {document.title}",
    )


@writes
def detach_material(meeting: Meeting, document_id: int, by: Account | None) -> None:
    for material in list(meeting.materials):
        if material.document_id == document_id:
            meeting.materials.remove(material)
            audit.record(
                "meeting.material",
                by,
                meeting,
                label=f"собрание {_d(meeting.held_on)}",
                details=f"− {material.document.title}",
            )


@writes
def record_board_posting(meeting: Meeting, posted_on: date, photo: str | None, by: Account | None) -> None:
    """«Размещено на щите»: the day the printed notice went up on the information board, and its photo."""
    meeting.board_posted_on = posted_on
    if photo:
        meeting.board_photo = photo
    audit.record(
        "meeting.board",
        by,
        meeting,
        label=f"собрание {_d(meeting.held_on)}",
        details=f"размещено {_d(posted_on)}",
    )
