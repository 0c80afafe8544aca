"""The dashboard's summary: what waits for the board, and how fresh the treasurer's data is."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select

from snt.electricity.checks import ReadingFlag, check_readings, newest_period
from snt.extensions import db
from snt.meetings import services as meetings
from snt.models import DataImport, PlotClaim
from snt.notices import services as sms
from snt.public import inbox
from snt.registry import services as registry


@dataclass
class SmsBacklog:
    """The newest electricity period's SMS: how many are not yet sent (of all due)."""

    period: str
    start: date
    end: date
    unsent: int
    total: int


@dataclass
class Summary:
    pending_claims: int
    unread_messages: int
    open_messages: int
    last_imports: dict[str, datetime | None]
    debtors: int
    debt_total: Decimal
    sms: SmsBacklog | None  # None: no period has anyone to send an SMS to
    reading_period: date | None = None  # the newest period, whose readings the checks cover
    reading_flags: list[ReadingFlag] = field(default_factory=list)
    meeting_warnings: list[str] = field(default_factory=list)  # deadlines of the meetings ahead


# DataImport.kind as the importers write it (snt.imports.*: Report.kind).
IMPORT_TITLES = {"readings": "показаний счётчиков", "payments": "оплат", "plots": "реестра"}


def summary() -> Summary:
    """A fixed number of queries whatever the size of the partnership."""
    pending = db.session.scalar(select(func.count()).where(PlotClaim.status == PlotClaim.PENDING)) or 0
    imports: dict[str, datetime] = dict(
        db.session.execute(
            select(DataImport.kind, func.max(DataImport.imported_at)).group_by(DataImport.kind)
        )
        .tuples()
        .all()
    )
    # Every plot's balance in Python, until balances are summed in SQL.
    debtors = registry.with_balances(registry.find_plots(), debt="debt")
    period = newest_period()
    return Summary(
        pending_claims=pending,
        unread_messages=inbox.unread_count(),
        open_messages=inbox.open_count(),
        last_imports={kind: imports.get(kind) for kind in IMPORT_TITLES},
        debtors=len(debtors),
        debt_total=sum((s.due for s in debtors), Decimal("0.00")),
        sms=sms_backlog(),
        reading_period=period,
        reading_flags=check_readings(period) if period else [],
        meeting_warnings=meetings.warnings(),
    )


def sms_backlog() -> SmsBacklog | None:
    """Counted by the same plan `send-sms` makes, so it agrees with the SMS page."""
    try:
        run = sms.plan(sms.parse_period(None))
    except sms.SmsError:
        return None
    return SmsBacklog(
        run.period, run.start, run.end, len(run.drafts) - len(run.already_sent), len(run.drafts)
    )
