"""The treasurer's queue of readings members passed, and the decisions: accept (many at once, or
every one without remarks) or reject with a reason.

An accepted submission becomes a Reading through the readings import (`store_readings`): the
same checks against stored readings, the same charges, the same audit entry as a file.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from snt import audit, billing
from snt.database import write_transaction
from snt.electricity.timeline import Point
from snt.email import external_url, send_email_or_log
from snt.extensions import db
from snt.imports.readings import Row, store_readings
from snt.models import Account, Plot, Reading, ReadingSubmission, utcnow
from snt.reports import Issue, Report
from snt.submissions.checks import check_reading
from snt.submissions.sending import SubmissionNotFound, last_reading, plot_history
from snt.templating import ru_date_short

SOURCE = "показания, переданные участниками"


@dataclass
class QueueRow:
    submission: ReadingSubmission
    last: Reading | None
    used: billing.Consumption | None  # since the last accepted reading
    flags: list[str]  # confirmed warnings, a replaced meter, and what the checks say now

    @property
    def clean(self) -> bool:
        return not self.flags


def queue(period: date | None = None) -> list[QueueRow]:
    """Submissions waiting for the treasurer (of one 1st, or all), by 1st and plot: three queries.

    The checks run again: a file imported since may have changed what the reading compares with."""
    query = (
        select(ReadingSubmission)
        .join(ReadingSubmission.plot)
        .options(joinedload(ReadingSubmission.plot))
        .where(ReadingSubmission.state == ReadingSubmission.PENDING)
        .order_by(ReadingSubmission.period, Plot.sort_key)
    )
    if period is not None:
        query = query.where(ReadingSubmission.period == period)
    submissions = list(db.session.scalars(query))
    if not submissions:
        return []
    history = plot_history(list({s.plot_id for s in submissions}), max(s.period for s in submissions))
    rows = []
    for submission in submissions:
        point = Point(submission.period, submission.day, submission.night, submission.total)
        readings = [r for r in history[submission.plot_id] if r.taken_on < submission.period]
        verdict = check_reading(point, readings, submission.meter_replaced)
        flags = submission.flag_list + verdict.errors
        rows.append(QueueRow(submission, last_reading(readings, submission.period), verdict.used, flags))
    return rows


def pending_periods() -> list[date]:
    query = (
        select(ReadingSubmission.period)
        .where(ReadingSubmission.state == ReadingSubmission.PENDING)
        .distinct()
        .order_by(ReadingSubmission.period)
    )
    return list(db.session.scalars(query))


@dataclass
class Acceptance:
    accepted: list[ReadingSubmission] = field(default_factory=list)
    failed: list[tuple[ReadingSubmission, str]] = field(default_factory=list)
    report: Report | None = None


def accept_clean(period: date | None, by: Account | None) -> Acceptance:
    """«Принять все без замечаний»: every waiting submission the queue shows without flags."""
    return accept([row.submission.id for row in queue(period) if row.clean], by)


def accept(ids: list[int], by: Account | None) -> Acceptance:
    """Turn these waiting submissions into readings, through the readings import, in one unit.

    If the import refuses some (a file loaded another value for that 1st meanwhile, a lower
    reading), those stay waiting with the reason and the rest are accepted in a second run."""
    result = Acceptance()
    with write_transaction():
        batch = _waiting(ids)
        if not batch:
            return result
        report = _store(batch, by)
        if report.errors:
            bad = {issue.line for issue in report.errors}
            result.failed = [
                (s, _reason(report.errors, i))
                for i, s in enumerate(batch, start=1)
                if i in bad or None in bad
            ]
            batch = [s for i, s in enumerate(batch, start=1) if i not in bad and None not in bad]
            if batch:
                report = _store(batch, by)
        result.report = report
        for submission, why in result.failed:  # kept waiting, no longer «без замечаний»
            submission.flags = "\n".join([*submission.flag_list, f"не принято: {why}"])
        if batch and not report.errors:
            result.accepted = batch
    return result


def _waiting(ids: list[int]) -> list[ReadingSubmission]:
    """These submissions if still waiting, locked: on PostgreSQL a second click or a parallel
    `readings-accept` waits here and then finds them accepted (SQLite: BEGIN IMMEDIATE)."""
    query = (
        select(ReadingSubmission)
        .join(ReadingSubmission.plot)
        .options(contains_eager(ReadingSubmission.plot))
        .where(ReadingSubmission.id.in_(ids), ReadingSubmission.state == ReadingSubmission.PENDING)
        .order_by(ReadingSubmission.period, Plot.sort_key)
        .with_for_update(of=ReadingSubmission)
    )
    return list(db.session.scalars(query))


def _store(batch: list[ReadingSubmission], by: Account | None) -> Report:
    """The readings import over the batch, each submission a numbered «line», and their states,
    in one savepoint: all of it stays, or none of it (the same values already stored from a file
    change no reading, and the submissions are accepted all the same)."""
    savepoint = db.session.begin_nested()
    _mark_accepted(batch, by)
    rows = [
        Row(
            line=i,
            number=s.plot.number,
            taken_on=s.period,
            point=Point(s.period, s.day, s.night, s.total, line=i),
        )
        for i, s in enumerate(batch, start=1)
    ]
    report = store_readings(rows, Report("readings", SOURCE, by=by))
    if report.errors:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report


def _mark_accepted(batch: list[ReadingSubmission], by: Account | None) -> None:
    now = utcnow()
    for submission in batch:
        submission.state, submission.decided_at = ReadingSubmission.ACCEPTED, now
        submission.decided_by_id = by.id if by else None


def _reason(errors: list[Issue], line: int) -> str:
    return "; ".join(issue.message for issue in errors if issue.line in (line, None))


class RejectError(ValueError):
    """A Russian message for the treasurer: nothing was changed."""


def reject(submission_id: int, reason: str, by: Account | None) -> ReadingSubmission:
    """Reject a waiting submission with a reason; the member sees it, and gets it by email if they
    chose email notices."""
    reason = " ".join(reason.split())
    if not reason:
        raise RejectError("Напишите причину: участник увидит её в личном кабинете.")
    if len(reason) > 500:
        raise RejectError("Причина — не длиннее 500 знаков.")
    with write_transaction():
        submission = db.session.get(ReadingSubmission, submission_id, with_for_update=True)
        if submission is None:
            raise SubmissionNotFound(submission_id)
        if submission.state != ReadingSubmission.PENDING:
            raise RejectError("Эти показания уже не ждут проверки: обновите страницу.")
        submission.state, submission.reason = ReadingSubmission.REJECTED, reason
        submission.decided_at, submission.decided_by_id = utcnow(), by.id if by else None
        audit.record(
            "readings.reject",
            by,
            submission,
            label=f"уч. {submission.plot.number}, на {ru_date_short(submission.period)}",
            details=reason,
        )
    account = submission.account
    if account is not None and account.email_notices and account.email_confirmed_at is not None:
        send_email_or_log(
            f"показания участка {submission.plot.number} не приняты",
            [account.email],
            "reading_rejected",
            submission=submission,
            page_url=external_url("submissions.page"),
        )
    return submission
