"""The results of a closed count by email, to every owner with an email in the registry (the
announcement on the site is made when the count closes, snt.meetings.count.close_count). Sent by a
job on the task queue (snt/jobs/kinds.py `meeting_results`) through the notice's once-only loop:
each letter is a MeetingNotice row of channel `results` committed as pending before the mail
server is called, so a rerun sends only what is left and nobody gets two."""

from collections.abc import Callable

from sqlalchemy import select

from snt import audit
from snt.database import write_transaction
from snt.email import MailSession, build_email, dispatch, external_url
from snt.extensions import db
from snt.meetings import ballots, count, notice
from snt.models import Account, Job, Meeting, MeetingNotice
from snt.notices.gateways import Outcome
from snt.notices.mail import dispatch_once
from snt.notices.services import Result, deliver_each
from snt.templating import ru_date


def job_key(meeting: Meeting) -> str:
    """One results job per meeting (a second click finds the first; its page reruns it)."""
    return f"meeting_results:{meeting.id}"


def job_of(meeting: Meeting) -> Job | None:
    return db.session.scalar(select(Job).where(Job.key == job_key(meeting)))


def plan_results(meeting: Meeting, resend_unknown: bool = False) -> notice.Batch:
    rows = {
        r.person_id: r
        for r in db.session.scalars(
            select(MeetingNotice).where(
                MeetingNotice.meeting_id == meeting.id, MeetingNotice.channel == MeetingNotice.RESULTS
            )
        )
    }
    batch = notice.Batch()
    for person in notice.owners():
        if person.email:
            batch.drafts.append(
                notice.NoticeDraft(person, MeetingNotice.RESULTS, person.email, rows.get(person.id))
            )
    notice.sort_batch(batch, resend_unknown)
    return batch


def send_results(
    meeting: Meeting, by: Account | None, progress: Callable[[int], None] | None = None
) -> tuple[notice.Batch, Result]:
    """Send the results to whoever has not had them; notice.NoticeError before the count is closed."""
    if ballots.closed(meeting) is None:
        raise notice.NoticeError("Подсчёт голосов не закрыт: итоги ещё не объявлены.")
    batch = plan_results(meeting)
    body = count.results_text(meeting, count.tally(meeting))
    session = MailSession()
    try:
        result = deliver_each(
            batch,  # type: ignore[arg-type]
            lambda d: notice.claim_draft(meeting, d),
            lambda d: _send(meeting, d, body, session.send),
            progress,
        )
    finally:
        session.close()
    with write_transaction():
        audit.record(
            "meeting.results",
            by,
            meeting,
            label=f"собрание {meeting.held_on:%d.%m.%Y}",
            details=f"писем отправлено {len(result.sent)}, не отправлено {len(result.failed) + len(result.unknown)}",
        )
    return batch, result


def subject(meeting: Meeting) -> str:
    return f"итоги общего собрания {ru_date(meeting.held_on)}"


def _send(meeting: Meeting, draft: notice.NoticeDraft, body: str, send: Callable = dispatch) -> Outcome:
    message = build_email(
        subject(meeting),
        [draft.address],
        "meeting_results",
        meeting=meeting,
        person=draft.person,
        lines=body.splitlines(),
        meeting_url=external_url("meetings.meeting", meeting_id=meeting.id),
    )
    return dispatch_once(message, send)


def result_lines(batch: notice.Batch, result: Result) -> list[str]:
    lines = []
    if batch.already_sent:
        lines.append(f"Уже отправлены раньше и не повторяются: {len(batch.already_sent)}.")
    if batch.held:
        lines.append(
            f"Не отправляются повторно ({len(batch.held)}): прошлый запуск прервался, письма могли дойти."
        )
    lines.append(f"Писем с итогами отправлено: {len(result.sent)}.")
    lines += [f"НЕ ОТПРАВЛЕНО {draft.address}: {error}" for draft, error in result.failed + result.unknown]
    if result.taken:
        lines.append(f"Уже отправляются другой задачей: {len(result.taken)}.")
    if result.stopped:
        lines.append(
            f"ОШИБКА: отправка остановлена: {result.stopped}. Запустите задачу снова, когда сервер "
            "заработает: уже отправленное не повторится."
        )
    return lines
