"""How long passed readings are kept: older submissions and their photos are deleted after the
board's `readings_keep_days` («Настройки»); the daily `flask readings-remind` calls `purge`.
"""

from datetime import date, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, select

from snt.database import write_transaction
from snt.extensions import db
from snt.models import ReadingSubmission
from snt.settings import setting
from snt.submissions import photos


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
