"""Readings members pass: the member's page, sending one, the treasurer's queue and decisions.

An accepted submission becomes a Reading through the readings import (`store_readings`): the
same checks against stored readings, the same charges, the same audit entry as a file.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, cast

from sqlalchemy import CursorResult, delete, select
from sqlalchemy.orm import contains_eager, joinedload

from snt import audit, billing
from snt.database import write_transaction
from snt.electricity.checks import shift
from snt.electricity.timeline import Point
from snt.email import external_url, send_email_or_log
from snt.extensions import db
from snt.imports.common import parse_number
from snt.imports.readings import Row, store_readings
from snt.models import Account, Plot, Reading, ReadingSubmission, utcnow
from snt.registry.access import verified_plot_ids, verified_plots
from snt.reports import Issue, Report
from snt.settings import setting
from snt.submissions import photos
from snt.submissions.checks import check_reading
from snt.submissions.window import Window, current_window
from snt.templating import ru_date_short

HISTORY_MONTHS = 14  # enough for the spike rule (the same month a year before) and a late reading
SOURCE = "показания, переданные участниками"
REPLACED_FLAG = "счётчик заменён: сверьте фото и запишите замену (flask replace-meter), затем примите"
STATE_TEXT = {
    ReadingSubmission.PENDING: "на проверке",
    ReadingSubmission.ACCEPTED: "принято",
    ReadingSubmission.REJECTED: "отклонено",
}


class SubmissionNotFound(LookupError):
    """No such plot (or submission) for this person: the view answers 404."""


@dataclass
class PlotCard:
    """One plot on «Передать показания»: its last accepted reading and what was sent lately."""

    plot: Plot
    last: Reading | None
    submissions: list[ReadingSubmission]
    taken: bool = False  # the window's 1st already has its reading: nothing to pass


@dataclass
class Outcome:
    """What sending gave: field -> messages (refused), warnings to confirm, or the submission."""

    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    submission: ReadingSubmission | None = None

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def member_page(account: Account, window: Window) -> list[PlotCard]:
    """The account's verified electrified plots with their last reading and recent submissions."""
    plots = [p for p in verified_plots(account) if p.electrified]
    ids = [p.id for p in plots]
    history = _history(ids, window.period)
    recent = defaultdict(list)
    if ids:
        query = (
            select(ReadingSubmission)
            .where(ReadingSubmission.plot_id.in_(ids), ReadingSubmission.period >= shift(window.period, -3))
            .order_by(ReadingSubmission.sent_at.desc(), ReadingSubmission.id.desc())
        )
        for submission in db.session.scalars(query):
            recent[submission.plot_id].append(submission)
    return [
        PlotCard(
            p,
            _last(history[p.id], window.period),
            recent[p.id],
            any(r.taken_on == window.period and not r.meter_start for r in history[p.id]),
        )
        for p in plots
    ]


def submit(
    account: Account,
    number: str,
    values: dict[str, str],
    *,
    meter_replaced: bool = False,
    confirmed: bool = False,
    photo: BinaryIO | None = None,
    on: date | None = None,
) -> Outcome:
    """Check and keep one plot's reading for the window's 1st; nothing is kept on any error.

    `values`: "day" and "night" for a two-tariff meter, "total" for a single-rate one, as typed.
    Warnings (a consumption far above usual) are returned until `confirmed`. A newer submission
    for the same plot and 1st replaces one still waiting for the treasurer."""
    window = current_window(on)
    found = verified_plots(account, number)
    if not found or not found[0].electrified:
        raise SubmissionNotFound(number)
    plot, outcome = found[0], Outcome()
    checked = _checked(plot, values, window, meter_replaced, photo is not None, outcome)
    if checked is None:
        return outcome
    point, warnings = checked
    if warnings and not confirmed:
        outcome.warnings = warnings
        return outcome
    stored = None
    if photo is not None:
        try:
            stored = photos.store(photo)
        except photos.PhotoError as exc:
            outcome.error("photo", str(exc))
            return outcome
    flags = warnings + ([REPLACED_FLAG] if meter_replaced else [])
    try:
        outcome.submission, replaced = _keep(account, plot, point, meter_replaced, stored, flags)
    except BaseException:
        if stored:
            photos.delete(stored.name)
        raise
    for name in replaced:
        photos.delete(name)
    return outcome


def _checked(
    plot: Plot,
    values: dict[str, str],
    window: Window,
    meter_replaced: bool,
    has_photo: bool,
    outcome: Outcome,
) -> tuple[Point, list[str]] | None:
    """The reading and the warnings it needs confirmed; None with the reasons in `outcome`."""
    if not window.is_open:
        opens = ru_date_short(window.opens_on)
        outcome.error("", f"Приём показаний на {ru_date_short(window.period)} откроется {opens}.")
        return None
    point = _point(plot, values, window.period, outcome)
    if point is None:
        return None
    history = _history([plot.id], window.period)[plot.id]
    if any(r.taken_on == window.period and not r.meter_start for r in history):
        outcome.error("", f"Показания на {ru_date_short(window.period)} уже приняты правлением.")
        return None
    verdict = check_reading(point, history, meter_replaced)
    for message in verdict.errors:
        outcome.error("day" if plot.two_tariff else "total", message)
    if meter_replaced and not has_photo:
        outcome.error("photo", "Приложите фото нового счётчика: по нему казначей подтвердит замену.")
    return None if outcome.errors else (point, list(verdict.warnings))


def _point(plot: Plot, values: dict[str, str], period: date, outcome: Outcome) -> Point | None:
    names = ("day", "night") if plot.two_tariff else ("total",)
    parsed: dict[str, Decimal] = {}
    for name in names:
        text = (values.get(name) or "").strip()
        if not text:
            outcome.error(name, "Обязательное поле.")
            continue
        try:
            parsed[name] = parse_number(text)
        except ValueError as exc:
            outcome.error(name, f"{exc}. Введите число с табло счётчика, например 14350 или 14350,5.")
    if outcome.errors:
        return None
    if plot.two_tariff:
        day, night = parsed["day"], parsed["night"]
        return Point(taken_on=period, day=day, night=night, total=day + night)
    return Point(taken_on=period, day=None, night=None, total=parsed["total"])


def _keep(account, plot, point, meter_replaced, stored, flags) -> tuple[ReadingSubmission, list[str]]:
    with write_transaction():
        waiting = list(
            db.session.scalars(
                select(ReadingSubmission).where(
                    ReadingSubmission.plot_id == plot.id,
                    ReadingSubmission.period == point.taken_on,
                    ReadingSubmission.state == ReadingSubmission.PENDING,
                )
            )
        )
        replaced = [s.photo for s in waiting if s.photo]
        for old in waiting:
            db.session.delete(old)
        submission = ReadingSubmission(
            plot=plot,
            account_id=account.id,
            period=point.taken_on,
            day=point.day,
            night=point.night,
            total=point.total,
            meter_replaced=meter_replaced,
            photo=stored.name if stored else "",
            photo_taken_at=stored.taken_at if stored else None,
            flags="\n".join(flags),
        )
        db.session.add(submission)
    return submission, replaced


def _history(plot_ids: list[int], period: date) -> dict[int, list[Reading]]:
    """The plots' readings of the HISTORY_MONTHS before `period` and on it: one query."""
    found: dict[int, list[Reading]] = defaultdict(list)
    if not plot_ids:
        return found
    query = select(Reading).where(
        Reading.plot_id.in_(plot_ids),
        Reading.taken_on >= shift(period, -HISTORY_MONTHS),
        Reading.taken_on <= period,
    )
    for reading in db.session.scalars(query):
        found[reading.plot_id].append(reading)
    return found


def _last(readings: list[Reading], period: date) -> Reading | None:
    earlier = [r for r in readings if r.taken_on < period]
    return max(earlier, key=lambda r: (r.taken_on, r.meter_start)) if earlier else None


# --- the treasurer's queue ---------------------------------------------------------------------


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
    history = _history(list({s.plot_id for s in submissions}), max(s.period for s in submissions))
    rows = []
    for submission in submissions:
        point = Point(submission.period, submission.day, submission.night, submission.total)
        readings = [r for r in history[submission.plot_id] if r.taken_on < submission.period]
        verdict = check_reading(point, readings, submission.meter_replaced)
        flags = submission.flag_list + verdict.errors
        rows.append(QueueRow(submission, _last(readings, submission.period), verdict.used, flags))
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


# --- photos and retention ------------------------------------------------------------------------


def photo_path(account: Account, submission_id: int, small: bool = False) -> Path | None:
    """The photo's file for its plot's verified owner or the board; None for anyone else."""
    if not account.is_authenticated:
        return None
    query = select(ReadingSubmission.photo).where(
        ReadingSubmission.id == submission_id, ReadingSubmission.photo != ""
    )
    if not account.is_board:
        query = query.where(ReadingSubmission.plot_id.in_(verified_plot_ids(account)))
    name = db.session.scalar(query)
    if name is None:
        return None
    path = photos.path_of(name, small)
    return path if path.exists() else None


def purge(on: date | None = None) -> int:
    """Delete submissions (and their photos) older than the board's `readings_keep_days`."""
    before = (on or date.today()) - timedelta(days=int(setting("readings_keep_days")))
    old = ReadingSubmission.sent_at < before
    with write_transaction():
        names = list(db.session.scalars(select(ReadingSubmission.photo).where(old)))
        deleted = cast(CursorResult, db.session.execute(delete(ReadingSubmission).where(old))).rowcount
    for name in names:
        photos.delete(name)
    return deleted
