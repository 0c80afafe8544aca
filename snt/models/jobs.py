"""Long work the board starts in the browser and the worker does outside the request (snt/jobs)."""

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from snt.models.base import IDS_NEVER_REUSED, Model, utcnow


class Job(Model):
    """One run of a long operation: what it is, who started it, how far it got and what it left.

    The id travels in URLs (the job's page), so SQLite never gives a deleted job's id to a new one.
    `params` and `lines` are JSON; `result_file` is a file name under instance/jobs/.
    """

    __table_args__ = (IDS_NEVER_REUSED,)

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATE_TITLES: ClassVar[dict[str, str]] = {
        QUEUED: "в очереди",
        RUNNING: "выполняется",
        DONE: "готово",
        FAILED: "ошибка",
    }

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # receipts, sms, email, import
    title: Mapped[str] = mapped_column(String(200))
    key: Mapped[str | None] = mapped_column(String(100), unique=True)  # one job per uploaded file
    params: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    lines: Mapped[str] = mapped_column(Text, default="[]")  # the report, one line per item
    ok: Mapped[bool] = mapped_column(default=True)  # False: the report holds errors or failures
    result_file: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str] = mapped_column(Text, default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"), index=True)
    runs: Mapped[int] = mapped_column(default=0)  # started this many times (a rerun adds one)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]  # the last sign of life: a start or a step of progress
    finished_at: Mapped[datetime | None]

    @property
    def state_title(self) -> str:
        return self.STATE_TITLES.get(self.state, self.state)
