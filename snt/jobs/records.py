"""The Job rows: created when the board starts a job, advanced by the worker, read by the page.

Every change is its own short write unit, so a job holds the write lock only while it writes.
"""

import json
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select

from snt.database import write_transaction
from snt.extensions import db
from snt.models import Job, utcnow
from snt.reports import ReportTable


class JobError(ValueError):
    """A Russian message for the board (a job that cannot be started again, a missing result)."""


def folder() -> Path:
    """instance/jobs/: the files jobs leave (the receipts PDF)."""
    path = Path(current_app.instance_path) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def create(kind: str, title: str, params: dict[str, Any], by_id: int | None, key: str | None = None) -> int:
    """A queued job's id; IntegrityError (nothing written) when a job with this `key` exists.
    Returns with no transaction open, so the job may start at once on another connection."""
    with write_transaction():
        job = Job(
            kind=kind,
            title=title[:200],
            key=key,
            params=json.dumps(params, ensure_ascii=False),
            account_id=by_id,
        )
        db.session.add(job)
        db.session.flush()
        job_id = job.id
    return job_id


def get(job_id: int) -> Job | None:
    return db.session.get(Job, job_id)


def recent(limit: int = 10) -> list[Job]:
    return list(db.session.scalars(select(Job).order_by(Job.id.desc()).limit(limit)))


def params(job: Job) -> dict[str, Any]:
    return json.loads(job.params or "{}")


def lines(job: Job) -> list[str]:
    stored = json.loads(job.lines or "[]")
    return stored["lines"] if isinstance(stored, dict) else stored


def table(job: Job) -> dict[str, Any] | None:
    """The report's table (snt.reports.ReportTable as a dict), if the job left one."""
    stored = json.loads(job.lines or "[]")
    return stored.get("table") if isinstance(stored, dict) else None


def started(job_id: int) -> Job:
    with write_transaction():
        job = db.session.get_one(Job, job_id)
        now = utcnow()
        job.state, job.started_at, job.updated_at, job.finished_at = Job.RUNNING, now, now, None
        job.runs, job.done, job.error = job.runs + 1, 0, ""
    return job


def progress(job_id: int, done: int, total: int) -> None:
    with write_transaction():
        job = db.session.get_one(Job, job_id)
        job.done, job.total, job.updated_at = done, total, utcnow()


def finished(
    job_id: int,
    report: list[str],
    ok: bool = True,
    result_file: str | None = None,
    table: ReportTable | None = None,
) -> None:
    """`report`: the lines the page shows; `table`: the rows below them (stored beside the lines,
    in the same JSON column: a list alone is a job that left no table)."""
    stored: Any = report if table is None else {"lines": report, "table": asdict(table)}
    with write_transaction():
        job = db.session.get_one(Job, job_id)
        job.state, job.lines, job.ok, job.result_file = (
            Job.DONE,
            json.dumps(stored, ensure_ascii=False),
            ok,
            result_file,
        )
        job.finished_at = job.updated_at = utcnow()
        job.done = max(job.done, job.total)


def failed(job_id: int, message: str) -> None:
    db.session.rollback()
    with write_transaction():
        job = db.session.get_one(Job, job_id)
        job.state, job.error, job.ok = Job.FAILED, message[:2000], False
        job.finished_at = job.updated_at = utcnow()


def stale(job: Job) -> bool:
    """A running or queued job with no sign of life for JOB_STALE_SECONDS: its worker was stopped."""
    if job.state not in (Job.QUEUED, Job.RUNNING):
        return False
    last = job.updated_at or job.created_at
    return utcnow() - last > timedelta(seconds=current_app.config["JOB_STALE_SECONDS"])


def can_rerun(job: Job) -> bool:
    """A failed job, or one whose worker died, may be started again: each kind is safe to repeat
    (sends resume through the outbox, an upload imports at most once, receipts are rebuilt)."""
    return job.state == Job.FAILED or stale(job)


def requeued(job_id: int) -> None:
    with write_transaction():
        job = db.session.get_one(Job, job_id)
        if not can_rerun(job):
            raise JobError("Эта задача ещё выполняется или уже готова: запускать её снова не нужно.")
        job.state, job.updated_at, job.error = Job.QUEUED, utcnow(), ""


def result_path(job: Job) -> Path:
    if job.state != Job.DONE or not job.result_file:
        raise JobError("У этой задачи нет готового файла.")
    path = folder() / job.result_file
    if not path.is_file():
        raise JobError("Файл этой задачи удалён: запустите её снова.")
    return path
