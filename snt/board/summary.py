"""«Сводка»: the treasurer's month as steps with their state (issue 14 item 7), what waits for the
board, and the debts.

Every figure is a bounded aggregate: counts and sums in SQL over the newest month, or over
covering indexes (balances); the reading checks are cached until their readings change. The
number of statements does not grow with the years of history (tests/test_query_bound.py).
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, exists, func, select

from snt.electricity.checks import ReadingFlag, cached_check_readings, newest_period, shift
from snt.extensions import db
from snt.meetings import services as meetings
from snt.models import Account, Charge, DataImport, EmailNotice, Payment, Plot, PlotClaim, Reading, SmsMessage
from snt.payments.balances import debt_totals
from snt.public import inbox
from snt.registry.access import verified_plot_ids_where
from snt.templating import ru_date
from snt.text import count_text

MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь",
          "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь")  # fmt: skip


@dataclass
class Step:
    """One step of the month: what, its state in words, where it is done, whether it is done."""

    title: str
    state: str
    endpoint: str  # the admin page where the step is done
    done: bool
    anchor: str = ""


@dataclass
class Summary:
    steps: list[Step]
    pending_claims: int
    unread_messages: int
    open_messages: int
    debtors: int
    debt_total: Decimal
    reading_period: date | None = None  # the newest period, whose readings the checks cover
    reading_flags: list[ReadingFlag] = field(default_factory=list)
    meeting_warnings: list[str] = field(default_factory=list)  # deadlines of the meetings ahead


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def summary() -> Summary:
    """A fixed number of queries whatever the size of the partnership or the length of its history."""
    pending = db.session.scalar(select(func.count()).where(PlotClaim.status == PlotClaim.PENDING)) or 0
    imports: dict[str, datetime] = dict(
        db.session.execute(
            select(DataImport.kind, func.max(DataImport.imported_at)).group_by(DataImport.kind)
        )
        .tuples()
        .all()
    )
    period = newest_period()
    flags = cached_check_readings(period) if period else []
    debtors, debt_total = debt_totals()
    steps = [
        registry_step(imports.get("plots"), pending),
        readings_step(period),
        flags_step(period, flags),
        charges_step(period),
        payments_step(imports.get("payments")),
        *notice_steps(period),
    ]
    return Summary(
        steps=steps,
        pending_claims=pending,
        unread_messages=inbox.unread_count(),
        open_messages=inbox.open_count(),
        debtors=debtors,
        debt_total=debt_total,
        reading_period=period,
        reading_flags=flags,
        meeting_warnings=meetings.warnings(),
    )


def registry_step(imported_at: datetime | None, pending: int) -> Step:
    loaded = f"реестр загружен {ru_date(imported_at)}" if imported_at else "реестр из файла не загружался"
    claims = f"заявок на участки ждут решения: {pending}" if pending else "заявок, ждущих решения, нет"
    return Step("Изменения реестра", f"{loaded}; {claims}", "admin.plots", done=pending == 0)


def readings_step(period: date | None) -> Step:
    """How many electrified plots have no reading in the month of the newest reading. Two counts."""
    if period is None:
        return Step("Показания счётчиков", "показаний ещё нет", "admin.imports", done=False)
    month = shift(period, 1)  # the newest readings close `period`: they were taken in this month
    after = shift(month, 1)
    electrified = Plot.electrified.is_(True)
    total = db.session.scalar(select(func.count()).where(electrified)) or 0
    has_reading = exists().where(
        and_(Reading.plot_id == Plot.id, Reading.taken_on >= month, Reading.taken_on < after)
    )
    missing = db.session.scalar(select(func.count()).where(electrified, ~has_reading)) or 0
    state = f"за {month_name(month)} загружены у {total - missing} из {count_text(total, 'участка', 'участков', 'участков')}"
    if missing:
        state += f"; без показаний — {count_text(missing, 'участок', 'участка', 'участков')}"
    return Step("Показания счётчиков", state, "admin.imports", done=missing == 0)


def flags_step(period: date | None, flags: list[ReadingFlag]) -> Step:
    if period is None:
        return Step("Подозрительные показания", "проверять нечего", "admin.dashboard", done=True)
    state = (
        f"за период с {ru_date(period)}: {count_text(len(flags), 'показание', 'показания', 'показаний')}, список ниже"
        if flags
        else f"за период с {ru_date(period)} нет"
    )
    return Step("Подозрительные показания", state, "admin.dashboard", done=not flags, anchor="reading-flags")


def charges_step(period: date | None) -> Step:
    """The newest period's electricity charges and this year's membership fee. Two counts."""
    parts = []
    if period is not None:
        electricity = (
            db.session.scalar(
                select(func.count()).where(
                    Charge.kind == Charge.ELECTRICITY,
                    Charge.period_start >= period,
                    Charge.period_start < shift(period, 1),
                )
            )
            or 0
        )
        parts.append(
            f"электроэнергия за {month_name(period)} — {count_text(electricity, 'начисление', 'начисления', 'начислений')}"
        )
    year = (period or date.today()).year
    fees = (
        db.session.scalar(select(func.count()).where(Charge.kind == Charge.MEMBERSHIP, Charge.year == year))
        or 0
    )
    parts.append(
        f"членские взносы за {year} год начислены {count_text(fees, 'участку', 'участкам', 'участкам')}"
        if fees
        else f"членские взносы за {year} год не начислены"
    )
    return Step("Начисления", "; ".join(parts), "admin.fees", done=bool(fees))


def payments_step(imported_at: datetime | None) -> Step:
    newest = db.session.scalar(select(func.max(Payment.paid_on)))
    if newest is None:
        return Step("Оплаты", "оплат ещё нет", "admin.imports", done=False)
    state = f"загружены по {ru_date(newest)}"
    if imported_at:
        state += f" (последняя загрузка {ru_date(imported_at)})"
    return Step("Оплаты", state, "admin.imports", done=True)


def notice_steps(period: date | None) -> list[Step]:
    """The newest period's SMS and emails: to whom they are due (verified owners who chose them
    and have a charge of the period), sent, failed. Two aggregate queries per channel."""
    if period is None:
        return []
    key, after = f"{period:%Y-%m}", shift(period, 1)
    channels = (
        ("SMS", SmsMessage, (Account.sms_consent.is_(True), Account.phone != "")),
        ("Письма", EmailNotice, (Account.email_notices.is_(True), Account.email_confirmed_at.is_not(None))),
    )
    steps = []
    for title, model, conditions in channels:
        due, start, end = db.session.execute(
            select(
                func.count(func.distinct(Charge.plot_id)),
                func.min(Charge.period_start),
                func.max(Charge.period_end),
            ).where(
                Charge.kind == Charge.ELECTRICITY,
                Charge.period_start >= period,
                Charge.period_start < after,
                Charge.plot_id.in_(verified_plot_ids_where(*conditions)),
            )
        ).one()
        counts = dict(
            db.session.execute(
                select(model.status, func.count()).where(model.period == key).group_by(model.status)
            )
            .tuples()
            .all()
        )
        if not due:
            steps.append(Step(title, f"за {month_name(period)} отправлять некому", "admin.sms", done=True))
            continue
        sent, failed = counts.get(model.SENT, 0), counts.get(model.FAILED, 0)
        unclear = counts.get(model.PENDING, 0) + counts.get(model.UNKNOWN, 0)
        state = f"за период {ru_date(start)} – {ru_date(end)} отправлено {sent}, не отправлено {max(due - sent, 0)} из {due}"
        if failed:
            state += f", из них с ошибкой — {failed}"
        if unclear:
            state += f", судьба неизвестна — {unclear}"
        steps.append(Step(title, state, "admin.sms", done=sent >= due))
    return steps
