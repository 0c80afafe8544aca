"""Сводка: what waits for the board, and how fresh the treasurer's data is."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from flask import render_template
from sqlalchemy import func, select

from snt import inbox, registry
from snt.admin import bp
from snt.electricity.checks import ReadingFlag, check_readings, newest_period
from snt.extensions import db
from snt.models import DataImport, PlotClaim


@dataclass
class Summary:
    pending_claims: int
    unread_messages: int
    open_messages: int
    last_imports: dict[str, datetime | None]
    debtors: int
    debt_total: Decimal
    reading_period: date | None = None  # the newest period, whose readings the checks cover
    reading_flags: list[ReadingFlag] = field(default_factory=list)


IMPORT_TITLES = {"readings": "показаний счётчиков", "payments": "оплат", "registry": "реестра"}


def summary() -> Summary:
    """A fixed number of queries whatever the size of the partnership."""
    pending = db.session.scalar(select(func.count()).where(PlotClaim.status == PlotClaim.PENDING)) or 0
    imports = dict(
        db.session.execute(
            select(DataImport.kind, func.max(DataImport.imported_at)).group_by(DataImport.kind)
        ).all()
    )
    debtors = registry.with_balances(registry.find_plots(), debt="debt")
    period = newest_period()
    return Summary(
        pending_claims=pending,
        unread_messages=inbox.unread_count(),
        open_messages=inbox.open_count(),
        last_imports={kind: imports.get(kind) for kind in IMPORT_TITLES},
        debtors=len(debtors),
        debt_total=sum((s.due for s in debtors), Decimal("0.00")),
        reading_period=period,
        reading_flags=check_readings(period) if period else [],
    )


@bp.route("/")
def dashboard():
    return render_template("admin/dashboard.html", summary=summary(), import_titles=IMPORT_TITLES)
