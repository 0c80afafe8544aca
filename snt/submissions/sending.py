"""Readings members pass: the member's page «Передать показания» and sending one (checked,
kept waiting for the treasurer with its photo); who may see a submission's photo.

The treasurer's side is snt/submissions/review.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select

from snt.database import write_transaction
from snt.electricity.checks import shift
from snt.electricity.timeline import Point
from snt.extensions import db
from snt.imports.common import parse_number
from snt.models import Account, Plot, Reading, ReadingSubmission
from snt.registry.access import verified_plot_ids, verified_plots
from snt.submissions import photos
from snt.submissions.checks import check_reading
from snt.submissions.window import Window, current_window
from snt.templating import ru_date_short

HISTORY_MONTHS = 14  # enough for the spike rule (the same month a year before) and a late reading


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
    history = plot_history(ids, window.period)
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
            last_reading(history[p.id], window.period),
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
    history = plot_history([plot.id], window.period)[plot.id]
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


def plot_history(plot_ids: list[int], period: date) -> dict[int, list[Reading]]:
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


def last_reading(readings: list[Reading], period: date) -> Reading | None:
    earlier = [r for r in readings if r.taken_on < period]
    return max(earlier, key=lambda r: (r.taken_on, r.meter_start)) if earlier else None


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
