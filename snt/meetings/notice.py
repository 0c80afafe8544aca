"""The notice of a general meeting, sent once with proof (217-ФЗ art. 17 ч. 13–14).

One action (the admin button or `flask meeting send-notice`) starts it: refused when the last
lawful day has passed (snt.meetings.services.late_notice_reason), never refused once started.
Starting publishes a public announcement pinned until the meeting and puts every owner without an
email on the list for letters; then every owner with an email gets one email, and with the
board's tick every owner who chose SMS gets one SMS. Each email and SMS is a MeetingNotice row
committed as `pending` before the mail server or the gateway is called (the monthly SMS's
once-only loop, snt.notices.services.deliver_each): a rerun after a crash never sends twice, retries a
`failed` row, and holds a `pending`/`unknown` one (it may have arrived) unless told to resend.

The admin button starts the notice in the request (`start_notice`: the date is checked when the
board clicks) and leaves the sending to a job on the task queue (snt/jobs/kinds.py
`meeting_notice`, its progress on the job's page); a rerun of that job after a crash resumes it.
The shell command sends in the shell, through the same `send_notice`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from snt import audit, clock
from snt.database import write_transaction
from snt.email import MailSession, build_email, dispatch, external_url
from snt.extensions import db
from snt.meetings import services
from snt.models import Account, Announcement, Meeting, MeetingNotice, Person, plot_owner
from snt.notices.gateways import Outcome, get_backend
from snt.notices.mail import dispatch_once
from snt.notices.services import Result, claim, deliver_each
from snt.plots import gateway_phone
from snt.registry.access import verified_owners
from snt.templating import ru_date


class NoticeError(ValueError):
    """A Russian message for the board: nothing was sent."""


@dataclass
class NoticeDraft:
    """One owner's notice by one channel; `outbox` is the row of an earlier run, if any."""

    person: Person
    channel: str
    address: str
    outbox: MeetingNotice | None = None
    seen: int | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.seen = self.outbox.attempts if self.outbox is not None else None

    @property
    def plots(self) -> str:
        return ", ".join(p.number for p in self.person.plots)


@dataclass
class Batch:
    """The drafts of one channel sorted as the monthly SMS sorts them."""

    drafts: list[NoticeDraft] = field(default_factory=list)
    to_send: list[NoticeDraft] = field(default_factory=list)
    already_sent: list[NoticeDraft] = field(default_factory=list)
    held: list[NoticeDraft] = field(default_factory=list)  # pending/unknown: may have arrived


@dataclass
class NoticePlan:
    meeting: Meeting
    deadlines: services.Deadlines
    refused: str | None  # why a new notice may not start today
    email: Batch
    sms: Batch
    letters: list[Person]  # owners without an email: the printed list for letters


@dataclass
class NoticeResult:
    email: Result
    sms: Result | None
    letters: int
    announcement: Announcement | None


def owners() -> list[Person]:
    """Every person who owns a plot, in the order of their first plot: one query."""
    rows = db.session.scalars(
        select(Person)
        .where(Person.id.in_(select(plot_owner.c.person_id)))
        .options(selectinload(Person.plots))
    )
    return sorted(rows, key=lambda p: (min((pl.sort_key for pl in p.plots), default=""), p.id))


def plan_notice(meeting: Meeting, resend_unknown: bool = False) -> NoticePlan:
    """Who gets what by which channel, and what a run would do with each."""
    people = owners()
    rows = {
        (r.person_id, r.channel): r
        for r in db.session.scalars(select(MeetingNotice).where(MeetingNotice.meeting_id == meeting.id))
    }
    email = Batch()
    letters = []
    for person in people:
        if person.email:
            email.drafts.append(
                NoticeDraft(person, MeetingNotice.EMAIL, person.email, rows.get((person.id, "email")))
            )
        else:
            letters.append(person)
    sms = Batch()
    for person, phone in _sms_choosers(people).items():
        sms.drafts.append(NoticeDraft(person, MeetingNotice.SMS, phone, rows.get((person.id, "sms"))))
    for batch in (email, sms):
        sort_batch(batch, resend_unknown)
    return NoticePlan(
        meeting, services.deadlines(meeting), services.late_notice_reason(meeting), email, sms, letters
    )


def _sms_choosers(people: list[Person]) -> dict[Person, str]:
    """Owners who chose SMS in their cabinet (a verified plot's account with SMS on and a phone):
    the co-owner whose registry email is the account's, else the plot's first owner."""
    chosen: dict[Person, str] = {}
    for plot, account in verified_owners(Account.sms_consent.is_(True), Account.phone != "").values():
        if not plot.owners:
            continue
        person = next(
            (o for o in plot.owners if o.email and o.email.lower() == account.email.lower()), plot.owners[0]
        )
        chosen.setdefault(person, account.phone)
    return chosen


def sort_batch(batch: Batch, resend_unknown: bool) -> None:
    for draft in batch.drafts:
        row = draft.outbox
        if row is None or row.status == MeetingNotice.FAILED:
            batch.to_send.append(draft)
        elif row.status == MeetingNotice.SENT:
            batch.already_sent.append(draft)
        elif resend_unknown:
            batch.to_send.append(draft)
        else:
            batch.held.append(draft)


def send_notice(
    meeting: Meeting,
    by: Account | None,
    *,
    sms: bool = False,
    resend_unknown: bool = False,
    progress: Callable[[int], None] | None = None,
) -> NoticeResult:
    """Start (or resume) the notice and send what is left to send. Raises NoticeError when a new
    notice would be late; a notice already started is resumed whatever the date."""
    announcement = start_notice(meeting, by, sms)
    plan = plan_notice(meeting, resend_unknown)
    session = MailSession()
    try:
        email_result = deliver_each(
            plan.email,  # type: ignore[arg-type]
            lambda d: claim_draft(meeting, d),
            lambda d: _send_email(meeting, d, session.send),
            progress,
        )
    finally:
        session.close()
    sms_result = None
    if meeting.notice_sms and not email_result.stopped:
        backend = get_backend(current_app.config, current_app.instance_path)
        sms_result = deliver_each(
            plan.sms,  # type: ignore[arg-type]
            lambda d: claim_draft(meeting, d),
            lambda d: backend.send(gateway_phone(d.address), sms_text(meeting)),
            progress,
        )
    with write_transaction():
        audit.record(
            "meeting.notice",
            by,
            meeting,
            label=f"собрание {meeting.held_on:%d.%m.%Y}",
            details=f"писем отправлено {len(email_result.sent)}, не отправлено {len(email_result.failed) + len(email_result.unknown)}"
            + (f"; SMS отправлено {len(sms_result.sent)}" if sms_result else ""),
        )
    return NoticeResult(email_result, sms_result, len(plan.letters), announcement)


def retry_one(row: MeetingNotice, by: Account | None) -> Result:
    """Send one owner's notice again (a failed or doubtful row): never refused by the date."""
    meeting = db.session.get(Meeting, row.meeting_id)
    if meeting is None or row.person is None or row.channel in (MeetingNotice.POST, MeetingNotice.RESULTS):
        raise NoticeError("Эту строку журнала отправить повторно нельзя.")
    if row.status == MeetingNotice.SENT:
        raise NoticeError("Уведомление этому владельцу уже отправлено.")
    draft = NoticeDraft(row.person, row.channel, row.address, row)
    batch = Batch(drafts=[draft], to_send=[draft])
    if row.channel == MeetingNotice.EMAIL:
        draft.address = row.person.email or row.address
        send = lambda d: _send_email(meeting, d)  # noqa: E731
    else:
        backend = get_backend(current_app.config, current_app.instance_path)
        send = lambda d: backend.send(gateway_phone(d.address), sms_text(meeting))  # noqa: E731
    return deliver_each(batch, lambda d: claim_draft(meeting, d), send, None)  # type: ignore[arg-type]


def start_notice(meeting: Meeting, by: Account | None, sms: bool) -> Announcement | None:
    """The first run: the deadline check (NoticeError when late), the pinned announcement, the
    list for letters. A notice already started is left as it is."""
    with write_transaction():
        db.session.refresh(meeting)
        if meeting.notice_started_at is not None:
            return meeting.announcement
        reason = services.late_notice_reason(meeting)
        if reason:
            raise NoticeError(reason)
        now = clock.utcnow()
        meeting.notice_started_at = now
        meeting.notice_sms = sms
        announcement = Announcement(
            title=f"Общее собрание членов товарищества {ru_date(meeting.held_on)}",
            body=announcement_text(meeting),
            is_public=True,
            pinned=True,
            pinned_until=meeting.held_on,
            published_at=now,
        )
        db.session.add(announcement)
        meeting.announcement = announcement
        for person in owners():
            if not person.email:
                db.session.add(
                    MeetingNotice(
                        meeting_id=meeting.id,
                        person_id=person.id,
                        person_name=person.full_name,
                        plots=", ".join(p.number for p in person.plots)[:200],
                        channel=MeetingNotice.POST,
                        address=person.postal_address or "",
                        status=MeetingNotice.LISTED,
                        attempts=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
        audit.record("announcement.publish", by, announcement, label=announcement.title)
        return announcement


def claim_draft(meeting: Meeting, draft: NoticeDraft) -> Any:
    keys = {"meeting_id": meeting.id, "person_id": draft.person.id, "channel": draft.channel}
    values = {"address": draft.address, "person_name": draft.person.full_name, "plots": draft.plots[:200]}
    return claim(draft, MeetingNotice, keys, values)


def result_lines(result: NoticeResult) -> list[str]:
    """What a run did, for the job's report."""
    email = result.email
    lines = [f"Писем отправлено: {len(email.sent)}."]
    lines += [f"НЕ ОТПРАВЛЕНО {draft.address}: {error}" for draft, error in email.failed + email.unknown]
    if email.taken:
        lines.append(f"Уже отправляются другой задачей: {len(email.taken)}.")
    if email.stopped:
        lines.append(
            f"ОШИБКА: отправка остановлена: {email.stopped}. Запустите задачу снова, когда сервер "
            "заработает: уже отправленное не повторится."
        )
    if result.sms is not None:
        lines.append(f"SMS отправлено: {len(result.sms.sent)}.")
        lines += [
            f"НЕ ОТПРАВЛЕНО {d.address}: {error}" for d, error in result.sms.failed + result.sms.unknown
        ]
    lines.append(
        f"Без электропочты (письма по почте): {result.letters}. Объявление на сайте закреплено до собрания."
    )
    return lines


def notice_subject(meeting: Meeting) -> str:
    return f"уведомление об общем собрании {ru_date(meeting.held_on)}"


def _send_email(meeting: Meeting, draft: NoticeDraft, send: Callable = dispatch) -> Outcome:
    message = build_email(
        notice_subject(meeting),
        [draft.address],
        "meeting_notice",
        meeting=meeting,
        person=draft.person,
        when=services.when_text(meeting),
        meeting_url=external_url("meetings.meeting", meeting_id=meeting.id),
        materials=[
            (
                m.document.title,
                external_url("meetings.material", meeting_id=meeting.id, document_id=m.document_id),
            )
            for m in meeting.materials
        ],
    )
    return dispatch_once(message, send)


def sms_text(meeting: Meeting) -> str:
    """Short: the partnership, the date and the link (the email and the letter carry the rest)."""
    short = current_app.config["SHORT_NAME"]
    link = external_url("meetings.meeting", meeting_id=meeting.id)
    kind = "заочное собрание до" if meeting.form == Meeting.ABSENTEE else "общее собрание"
    start = f" {meeting.starts_at:%H:%M}" if meeting.starts_at and meeting.form != Meeting.ABSENTEE else ""
    return f"{short}: {kind} {meeting.held_on:%d.%m.%Y}{start}. Повестка: {link}"


def announcement_text(meeting: Meeting) -> str:
    """The announcement's Markdown: what the law asks the notice to say (ч. 15)."""
    lines = [
        f"Правление уведомляет о проведении общего собрания членов товарищества {meeting.form_phrase}.",
        "",
        f"**Когда и где:** {services.when_text(meeting)}.",
        "",
        "**Повестка дня:**",
        "",
    ]
    lines += [f"{n}. {q}" for n, q in enumerate(meeting.questions, start=1)]
    lines += [
        "",
        "Собственники участков, ведущие садоводство без участия в товариществе, вправе участвовать в собрании "
        "и голосовать по вопросам, отнесённым к их участию законом (217-ФЗ, ст. 5).",
        "",
        "Проекты документов и материалы к собранию — на странице «Собрания» в личном кабинете "
        "(для владельцев с подтверждённым участком).",
    ]
    return "\n".join(lines)
