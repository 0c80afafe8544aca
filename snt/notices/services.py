"""The monthly SMS: who gets one, its exact text, and sending it exactly once.

A period 'YYYY-MM' is the electricity period that starts in that month: 2022-05 is
«01 мая 2022 – 01 июня 2022». Every message is written to the outbox as `pending` and committed
before the gateway is called; a rerun never resends a `sent` one, retries a `failed` one, and
holds back one left `pending` (a crash) or `unknown` (a timeout) unless the operator says so.
A plot whose readings the checks flag (snt.electricity.checks) is held back too unless
`include_flagged`. The monthly email (snt.notices.mail) shares the figures, the sorting and the loop.
"""

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from flask import current_app
from sqlalchemy import Row, func, select, update
from sqlalchemy.exc import IntegrityError

from snt import billing
from snt.database import write_transaction, writes
from snt.electricity.checks import ReadingFlag, check_readings, month_start
from snt.extensions import db
from snt.models import Account, Charge, Plot, PlotClaim, Reading, SmsMessage, Tariff, utcnow
from snt.money import format_plain, format_quantity
from snt.payments.rows import electricity_due_day
from snt.payments.services import electricity_balances
from snt.plots import gateway_phone
from snt.registry.access import verified_owner_rows

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")

# A plan reads plain rows through the tables, never a mapped attribute or object: the first such
# query configures every mapper (0.05-0.1 s of CPU in a shell command), and a plan needs no object.
# Only a real send's claim writes objects (`claim` loads the outbox row it writes to).
_account, _charge, _claim = Account.__table__.c, Charge.__table__.c, PlotClaim.__table__.c
_plot, _reading, _tariff = Plot.__table__.c, Reading.__table__.c, Tariff.__table__.c


class SmsError(ValueError):
    """A Russian message for the operator: nothing was sent."""


@dataclass
class Draft:
    plot: Row  # the plot's id, number, sort_key, two_tariff (and its account's id and phone)
    phone: str  # stored form 8XXXXXXXXXX
    text: str
    outbox: Any = None  # the SmsMessage row of an earlier run, if any: a plain row until claimed
    seen: int | None = field(init=False, default=None)  # the row's attempts when planned

    def __post_init__(self) -> None:
        self.seen = self.outbox.attempts if self.outbox is not None else None

    @cached_property
    def segments(self) -> int:
        """Counted once: a run's preview and totals ask each of a thousand drafts four times."""
        return segments(self.text)

    @property
    def address(self) -> str:
        return self.phone


@dataclass
class Plan:
    """A run of one period; the drafts are Draft (SMS) or snt.notices.mail.EmailDraft."""

    period: str
    start: date
    end: date
    drafts: list[Draft]
    to_send: list[Draft] = field(default_factory=list)
    already_sent: list[Draft] = field(default_factory=list)
    held: list[Draft] = field(default_factory=list)  # pending/unknown: may have been delivered
    flagged: list[Draft] = field(default_factory=list)  # held back: the readings checks flag the plot
    reading_flags: list[ReadingFlag] = field(default_factory=list)  # every flag of the period

    def flags_of(self, draft: Any) -> list[str]:
        return [f.reason for f in self.reading_flags if f.plot_number == draft.plot.number]


@dataclass
class Result:
    sent: list[Draft] = field(default_factory=list)
    failed: list[tuple[Draft, str]] = field(default_factory=list)
    unknown: list[tuple[Draft, str]] = field(default_factory=list)
    stopped: str = ""  # why the run stopped early, if it did
    taken: list[Draft] = field(default_factory=list)  # claimed meanwhile by another run: not sent here


def segments(text: str) -> int:
    """SMS parts: 160/153 characters in GSM-7, 70/67 in UCS-2 (any Cyrillic letter)."""
    if set(text) <= GSM7:
        single, part, length = 160, 153, len(text)
    else:
        single, part, length = 70, 67, len(text.encode("utf-16-le")) // 2
    return 1 if length <= single else math.ceil(length / part)


def money_sentence(charge: Decimal, balance: Decimal, due_day: int) -> str:
    """What the month costs against what the plot owes for electricity, all periods included
    (issue 13): the seed's sentence when they agree, else the arrears or the advance named."""
    pay_by = f"Оплатить до {due_day} числа."
    if balance <= 0:
        return f"За месяц {format_plain(charge)}, оплачено авансом."
    if balance > charge:
        return f"К оплате {format_plain(balance)}, в т.ч. долг {format_plain(balance - charge)}. {pay_by}"
    if balance < charge:
        return f"К оплате {format_plain(balance)} с учётом аванса {format_plain(charge - balance)}. {pay_by}"
    return f"К оплате {format_plain(charge)}. {pay_by}"


def sms_text(short_name: str, plot_number: str | None, used: billing.Consumption, sentence: str) -> str:
    """The reference case's: 'СНТ Аникино: Т1 520, Т2 217. К оплате 4121.45. Оплатить до 5 числа.'"""
    prefix = f"{short_name}, уч. {plot_number}" if plot_number else short_name
    if used.day is not None and used.night is not None:
        reading = f"Т1 {format_quantity(used.day)}, Т2 {format_quantity(used.night)}"
    else:
        reading = f"расход {format_quantity(used.total)} кВт·ч"
    return f"{prefix}: {reading}. {sentence}"


def parse_period(text: str | None) -> str:
    """'2022-05' checked, or the newest electricity period's month when `text` is None."""
    if text is None:
        newest = db.session.scalar(
            select(func.max(_charge.period_start)).where(_charge.kind == Charge.ELECTRICITY)
        )
        if newest is None:
            raise SmsError("Начислений за электроэнергию ещё нет: сначала загрузите показания.")
        return f"{newest:%Y-%m}"
    match = _PERIOD.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise SmsError(f"«{text}» — не месяц: нужно ГГГГ-ММ, например 2022-05.")
    return text.strip()


def plan(period: str, resend_unknown: bool = False, *, include_flagged: bool = False) -> Plan:
    """The messages of `period` and what a run would do with each. Ten queries of plain rows."""
    recipients, several = _recipients()
    figures = month_figures(period, recipients)
    if figures is None:
        raise SmsError(f"За {period} нет начислений за электроэнергию по участкам с согласием на SMS.")
    start, end, by_plot = figures
    short_name = current_app.config["SHORT_NAME"]
    outbox = outbox_rows(SmsMessage, period, list(by_plot))
    balances = electricity_balances(list(by_plot), month_after(period))
    due_day = electricity_due_day()
    drafts = []
    for plot_id, (used, due) in by_plot.items():
        plot = recipients[plot_id]
        sentence = money_sentence(due, balances.get(plot_id, due), due_day)
        text = sms_text(short_name, plot.number if several[plot.account_id] > 1 else None, used, sentence)
        drafts.append(Draft(plot=plot, phone=plot.phone, text=text, outbox=outbox.get(plot_id)))
    return sort_drafts(Plan(period, start, end, drafts), resend_unknown, include_flagged)


def month_figures(
    period: str, plots: Mapping[int, Any]
) -> tuple[date, date, dict[int, tuple[billing.Consumption, Decimal]]] | None:
    """The first start and last end of the electricity periods starting in `period`, and for each
    of these plots (Plot objects, or rows with `two_tariff`) with one, its consumption and amount
    due; None when none has. Two queries of plain rows through the tables (a charge with its
    tariff's rates, a reading's values): a thousand plots' Charge, Tariff and Reading objects would
    cost more than the figures."""
    year, month = int(period[:4]), int(period[5:])
    first, after = date(year, month, 1), month_after(period)
    charges = db.session.execute(
        select(
            _charge.plot_id,
            _charge.period_start,
            _charge.period_end,
            _tariff.single,
            _tariff.day,
            _tariff.night,
        )
        .join_from(Charge.__table__, Tariff.__table__, _tariff.id == _charge.tariff_id)
        .where(
            _charge.kind == Charge.ELECTRICITY,
            _charge.period_start >= first,
            _charge.period_start < after,
            _charge.plot_id.in_(list(plots)),
        )
        .order_by(_charge.period_start)
    ).all()
    if not charges:
        return None
    readings = _readings(charges)
    by_plot: dict[int, list[Row]] = defaultdict(list)
    for charge in charges:
        by_plot[charge.plot_id].append(charge)
    figures = {
        plot_id: _month(plots[plot_id], plot_charges, readings[plot_id])
        for plot_id, plot_charges in by_plot.items()
    }
    return min(c.period_start for c in charges), max(c.period_end for c in charges), figures


def month_after(period: str) -> date:
    """'2022-05' -> 2022-06-01: the periods of a run start before it."""
    year, month = int(period[:4]), int(period[5:])
    return date(year + month // 12, month % 12 + 1, 1)


def outbox_rows(model: type, period: str, plot_ids: list[int]) -> dict[int, Row]:
    """Plot id -> the outbox row (of SmsMessage, EmailNotice) of an earlier run of `period`, as a
    plain row through the table: `claim` loads the object of the few it claims."""
    table = model.__table__
    query = select(table).where(table.c.period == period, table.c.plot_id.in_(plot_ids))
    return {row.plot_id: row for row in db.session.execute(query)}


def sort_drafts(result: Plan, resend_unknown: bool, include_flagged: bool) -> Plan:
    """Sort the drafts into sent before, held (may have gone), flagged by the checks, to send."""
    result.drafts.sort(key=lambda d: d.plot.sort_key)
    result.reading_flags = check_readings(month_start(result.period))
    flagged = {f.plot_number for f in result.reading_flags}
    for draft in result.drafts:
        status = draft.outbox.status if draft.outbox else None
        if status == SmsMessage.SENT:
            result.already_sent.append(draft)
        elif status in (SmsMessage.PENDING, SmsMessage.UNKNOWN) and not resend_unknown:
            result.held.append(draft)
        elif draft.plot.number in flagged and not include_flagged:
            result.flagged.append(draft)
        else:
            result.to_send.append(draft)
    return result


def _recipients() -> tuple[dict[int, Row], dict[int, int]]:
    """Verified plot -> its row (id, number, sort_key, two_tariff) with the first consenting
    account's id and phone; account -> its verified plots."""
    # The text names the plot's number, never its owners: their three queries at 1,000 plots are saved.
    recipients = verified_owner_rows(
        _account.sms_consent.is_(True),
        _account.phone != "",
        columns=(
            _plot.number,
            _plot.sort_key,
            _plot.two_tariff,
            _account.id.label("account_id"),
            _account.phone,
        ),
    )
    several = dict(
        db.session.execute(
            select(_claim.account_id, func.count())
            .where(_claim.status == PlotClaim.VERIFIED)
            .group_by(_claim.account_id)
        ).all()
    )
    return recipients, several


def _readings(charges: Sequence[Row]) -> dict[int, dict[tuple[date, bool], Row]]:
    """The readings at the ends of these periods, by plot and (date, meter_start): one query."""
    query = select(
        _reading.plot_id,
        _reading.taken_on,
        _reading.meter_start,
        _reading.day,
        _reading.night,
        _reading.total,
    ).where(
        _reading.plot_id.in_({c.plot_id for c in charges}),
        _reading.taken_on >= min(c.period_start for c in charges),
        _reading.taken_on <= max(c.period_end for c in charges),
    )
    found: dict[int, dict[tuple[date, bool], Row]] = defaultdict(dict)
    for reading in db.session.execute(query).all():  # fetched at once: row by row costs more
        found[reading.plot_id][(reading.taken_on, reading.meter_start)] = reading
    return found


def _month(plot: Any, charges: list[Row], readings: dict) -> tuple[billing.Consumption, object]:
    """Consumption and amount due over the plot's periods starting this month (usually one);
    `charges` are month_figures' rows, each with its tariff's rates."""
    day = night = total = due = billing.ZERO
    registers = True
    for charge in charges:
        start = readings.get((charge.period_start, True)) or readings[(charge.period_start, False)]
        used = billing.consumption(start, readings[(charge.period_end, False)])
        due += billing.amount_due(billing.costs(used, charge), plot.two_tariff)
        total += used.total
        if used.day is None:
            registers = False
        else:
            day, night = day + used.day, night + used.night
    if registers:
        return billing.Consumption(day=day, night=night, total=total), due
    return billing.Consumption(day=None, night=None, total=total), due


def deliver(run: Plan, backend, progress: Callable[[int], None] | None = None) -> Result:
    """Send `run.to_send`, each claimed in the outbox (committed as pending) before the gateway is
    called. A message another run (a second click, a second browser tab, a parallel command) has
    claimed since this plan was made is left to that run (`taken`)."""
    return deliver_each(
        run,
        lambda d: claim(
            d, SmsMessage, {"plot_id": d.plot.id, "period": run.period}, {"phone": d.phone, "text": d.text}
        ),
        lambda d: backend.send(gateway_phone(d.phone), d.text),
        progress,
    )


@writes  # read and claimed in one BEGIN IMMEDIATE transaction: two tabs never both claim it
def claim(draft: Any, model: type, keys: dict[str, Any], values: dict[str, Any]) -> Any | None:
    """Commit the draft's outbox row as pending, or return None if another run got there first:
    a new row meets the unique (plot, period), an old one must still have the attempts the plan saw.
    The unit commits before the gateway is called (deliver_each), so a crash never sends twice."""
    values = {**values, "status": model.PENDING, "error": ""}
    if draft.outbox is None:
        row = model(**keys, attempts=1, **values)
        try:
            with db.session.begin_nested():  # the unique (plot, period) fails only this savepoint
                db.session.add(row)
        except IntegrityError:
            return None
        draft.outbox = row
        return row
    claimed = db.session.execute(
        update(model)
        .where(model.id == draft.outbox.id, model.attempts == draft.seen)
        .values(attempts=model.attempts + 1, **values)
    ).rowcount
    if claimed != 1:
        return None
    if not isinstance(draft.outbox, model):  # a plan's plain row: load the object its outcome is written to
        draft.outbox = db.session.get(model, draft.outbox.id)
    return draft.outbox


def deliver_each(
    run: Plan,
    claim_row: Callable[[Any], Any | None],
    send: Callable[[Any], Any],
    progress: Callable[[int], None] | None,
) -> Result:
    """The once-only loop of every channel: `claim_row` commits the outbox row as pending (None if
    another run holds it), then `send` returns an snt.notices.gateways.Outcome committed as its status."""
    result = Result()
    for draft in run.to_send:
        row = claim_row(draft)
        if row is None:
            result.taken.append(draft)
            continue
        outcome = send(draft)  # no transaction open while the gateway answers
        with write_transaction():
            row.status, row.gateway_id, row.error = outcome.status, outcome.gateway_id, outcome.error[:500]
            if outcome.status == SmsMessage.SENT:
                row.sent_at = utcnow()
                result.sent.append(draft)
            elif outcome.status == SmsMessage.FAILED:
                result.failed.append((draft, outcome.error))
            else:
                result.unknown.append((draft, outcome.error))
        if progress:
            progress(1)
        if outcome.stop:
            result.stopped = outcome.error
            break
    return result
