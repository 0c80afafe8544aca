"""The once-per-period reminder to pass readings, by SMS and by email, with the monthly SMS's
outbox rules (snt.notices.services): each message is committed as `pending` before the gateway or
the mail server is called, never resent once `sent`, retried when `failed`, and held back when
`pending` or `unknown` unless the operator says so.

Who: accounts with a verified electrified plot that chose SMS (with a phone) or email notices,
while some of their plots has neither a submission (waiting or accepted) nor a reading for the
window's 1st. When: any day the window is open (a daily `flask readings-remind` sends on its
first day; a missed day is caught up), and only if the board keeps `readings_reminders` on.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import and_, or_, select

from snt.email import build_email, external_url
from snt.extensions import db
from snt.models import Account, Plot, Reading, ReadingReminder, ReadingSubmission
from snt.money import NBSP
from snt.notices.mail import dispatch_once
from snt.notices.services import Result, claim, deliver_each, segments
from snt.plots import gateway_phone
from snt.registry.access import verified_pairs
from snt.settings import setting
from snt.submissions.window import Window, current_window, today
from snt.templating import MONTHS_GENITIVE


@dataclass
class ReminderDraft:
    account: Account
    channel: str  # ReadingReminder.SMS or EMAIL
    address: str  # 8XXXXXXXXXX or the email
    text: str
    plots: list[str]
    outbox: ReadingReminder | None = None
    seen: int | None = field(init=False, default=None)  # the row's attempts when planned

    def __post_init__(self) -> None:
        self.seen = self.outbox.attempts if self.outbox is not None else None


@dataclass
class ReminderPlan:
    window: Window
    reason: str = ""  # why nothing is planned (closed window, reminders off)
    to_send: list[ReminderDraft] = field(default_factory=list)
    already_sent: list[ReminderDraft] = field(default_factory=list)
    held: list[ReminderDraft] = field(default_factory=list)  # pending/unknown: may have gone


def until_text(closes_on: date) -> str:
    return f"до {closes_on.day} {MONTHS_GENITIVE[closes_on.month - 1]}"


def reminder_text(short_name: str, closes_on: date) -> str:
    """«СНТ Аникино: передайте показания счётчика до 30 июня на сайте snt.ru», shortened to fit
    one SMS part (70 characters with Cyrillic)."""
    until = until_text(closes_on)
    host = urlsplit(current_app.config["SITE_URL"]).netloc
    candidates = [
        f"{short_name}: передайте показания счётчика {until} на сайте {host}",
        f"{short_name}: передайте показания {until} на сайте {host}",
        f"{short_name}: передайте показания счётчика {until} в личном кабинете",
        f"{short_name}: передайте показания {until}",
    ]
    return next((text for text in candidates if segments(text) == 1), candidates[-1])


def plan_reminders(on: date | None = None, resend_unknown: bool = False) -> ReminderPlan:
    """The reminders of the current window and what a run would do with each: five queries."""
    window = current_window(on)
    result = ReminderPlan(window, reason=_not_now(window, on or today()))
    if result.reason:
        return result
    waiting = _waiting_accounts(window.period)
    outbox = {
        (row.account_id, row.channel): row
        for row in db.session.scalars(
            select(ReadingReminder).where(
                ReadingReminder.period == window.period, ReadingReminder.account_id.in_(list(waiting))
            )
        )
    }
    text = reminder_text(current_app.config["SHORT_NAME"], window.closes_on)
    for account, numbers in waiting.values():
        for channel, address in _channels(account):
            draft = ReminderDraft(account, channel, address, text, numbers, outbox.get((account.id, channel)))
            status = draft.outbox.status if draft.outbox else None
            if status == ReadingReminder.SENT:
                result.already_sent.append(draft)
            elif status in (ReadingReminder.PENDING, ReadingReminder.UNKNOWN) and not resend_unknown:
                result.held.append(draft)
            else:
                result.to_send.append(draft)
    return result


def _not_now(window: Window, on: date) -> str:
    """Why no reminder goes today, or ""."""
    if not setting("readings_reminders"):
        return "Напоминания выключены в настройках («Напоминать о показаниях»)."
    if not window.is_open:
        return f"Приём показаний закрыт; откроется {window.opens_on:%d.%m.%Y}."
    if on > window.closes_on:  # always open, but this 1st's days are over
        return f"Срок приёма показаний на {window.period:%d.%m.%Y} прошёл {window.closes_on:%d.%m.%Y}."
    return ""


def _waiting_accounts(period: date) -> dict[int, tuple[Account, list[str]]]:
    """Account id -> (the account, its plots still without a reading for `period`), for accounts
    that chose SMS or email: three queries."""
    chose = or_(
        and_(Account.sms_consent.is_(True), Account.phone != ""),
        and_(Account.email_notices.is_(True), Account.email_confirmed_at.is_not(None)),
    )
    pairs = verified_pairs(Plot.electrified.is_(True), chose)
    done = _plots_done(period, list({plot.id for plot, _ in pairs}))
    waiting: dict[int, tuple[Account, list[str]]] = {}
    for plot, account in pairs:
        if plot.id not in done:
            waiting.setdefault(account.id, (account, []))[1].append(plot.number)
    return waiting


def _channels(account: Account) -> list[tuple[str, str]]:
    channels = []
    if account.sms_consent and account.phone:
        channels.append((ReadingReminder.SMS, account.phone))
    if account.email_notices and account.email_confirmed_at is not None:
        channels.append((ReadingReminder.EMAIL, account.email))
    return channels


def _plots_done(period: date, plot_ids: list[int]) -> set[int]:
    """Plots with a reading, or a submission waiting or accepted, for `period`: two queries."""
    if not plot_ids:
        return set()
    read = db.session.scalars(
        select(Reading.plot_id).where(Reading.plot_id.in_(plot_ids), Reading.taken_on == period)
    )
    sent = db.session.scalars(
        select(ReadingSubmission.plot_id).where(
            ReadingSubmission.plot_id.in_(plot_ids),
            ReadingSubmission.period == period,
            ReadingSubmission.state != ReadingSubmission.REJECTED,
        )
    )
    return set(read) | set(sent)


def deliver_reminders(run: ReminderPlan, backend) -> Result:
    """Send `run.to_send` once each: SMS through `backend`, email through the mail server."""

    def claim_row(draft: ReminderDraft) -> ReadingReminder | None:
        keys = {"account_id": draft.account.id, "period": run.window.period, "channel": draft.channel}
        return claim(draft, ReadingReminder, keys, {"address": draft.address, "text": draft.text})

    def send(draft: ReminderDraft):
        if draft.channel == ReadingReminder.SMS:
            return backend.send(gateway_phone(draft.address), draft.text)
        message = build_email(
            # A no-break space: Python's header folding would drop a plain one between encoded words.
            f"передайте показания счётчика {until_text(run.window.closes_on).replace(' ', NBSP)}",
            [draft.address],
            "reading_reminder",
            run=run,
            draft=draft,
            page_url=external_url("submissions.page"),
        )
        return dispatch_once(message)

    return deliver_each(run, claim_row, send, None)  # type: ignore[arg-type]
