"""Two facts a cabinet page reads besides its own data, read together in one statement per page
read (GET, HEAD): the ledger version (snt.figures keeps computed figures under it) and the nearest
meeting ahead whose notice has gone out (the cabinet's banner, snt.meetings). Each was a statement
of its own, and executing a statement costs a page far more than the lookups themselves. Other
requests (a POST may write between two reads) read each one afresh whenever it is asked for."""

from flask import g, has_request_context, request
from sqlalchemy import bindparam, select

from snt import clock
from snt.extensions import db
from snt.models import LedgerVersion, Meeting

# Built once, on the tables (Core): building a statement costs more than the query itself, and a
# statement naming a mapped class would configure every mapper at import.
_version, _meeting = LedgerVersion.__table__, Meeting.__table__
VERSION = select(_version.c.value).where(_version.c.id == 1)
NOTICED_AHEAD = (
    select(_meeting.c.id)
    .where(_meeting.c.held_on >= bindparam("today"), _meeting.c.notice_started_at.is_not(None))
    .order_by(_meeting.c.held_on)
    .limit(1)
)
BOTH = select(VERSION.scalar_subquery(), NOTICED_AHEAD.scalar_subquery())


def ledger_version() -> int | None:
    """The ledger's version now; None where the database has no version row."""
    return _page_reads()[0] if _page_read() else db.session.scalar(VERSION)


def noticed_meeting_id() -> int | None:
    """The id of the nearest meeting from today on whose notice has gone out, if any."""
    if _page_read():
        return _page_reads()[1]
    return db.session.scalar(NOTICED_AHEAD, {"today": clock.today()})


def _page_read() -> bool:
    return has_request_context() and request.method in ("GET", "HEAD")


def _page_reads() -> tuple[int | None, int | None]:
    if "page_reads" not in g:
        version, meeting_id = db.session.execute(BOTH, {"today": clock.today()}).one()
        g.page_reads = (version, meeting_id)
    return g.page_reads
