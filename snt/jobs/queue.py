"""The task queue: Huey, with its SQLite storage in instance/tasks.sqlite3 by default (nothing to
install or run besides the worker: fits a 1 GB VPS) or Redis storage when TASK_QUEUE_URL is
redis://… (several web processes, PostgreSQL deployments).

Huey carries only a job's id; what to do and how far it got live in the Job row (snt/jobs/records),
so the page reads progress from the site's own database whatever the storage. The worker is
`flask worker` (make run starts it beside the site); TASK_QUEUE_IMMEDIATE runs each job at once in
the submitting process (Huey's immediate mode, for tests of a job's logic).
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from snt.database import like_a_request
from snt.jobs import heartbeat, kinds, records
from snt.models import Account, Job

if TYPE_CHECKING:
    from huey import Huey

TASK_NAME = "snt.run_job"


def huey_for(app: Flask) -> "Huey":
    """The app's Huey instance, made on first use (the instance path is known by then)."""
    if "snt_huey" not in app.extensions:
        queue = _make(app)
        app.extensions["snt_job_task"] = _register(queue, app)
        app.extensions["snt_huey"] = queue
    return cast("Huey", app.extensions["snt_huey"])


def _make(app: Flask) -> "Huey":
    # Imported here: huey's storage module imports redis and psycopg when they are installed,
    # a third of a second on every command and page start that never touches the queue.
    from huey import MemoryHuey, RedisHuey, SqliteHuey

    url = app.config.get("TASK_QUEUE_URL") or ""
    if app.config.get("TASK_QUEUE_IMMEDIATE"):
        return MemoryHuey("snt", immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("snt", url=url, results=False)
    if url and not url.startswith("sqlite:///"):
        raise ValueError(f"TASK_QUEUE_URL: ожидается redis://… или sqlite:///путь, а не «{url}».")
    filename = Path(url.removeprefix("sqlite:///") or Path(app.instance_path) / "tasks.sqlite3")
    filename.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("snt", filename=str(filename), results=False)


def _register(queue: "Huey", app: Flask) -> Any:
    """The one Huey task: run a Job row by its id, in an app context of its own."""

    def run_job(job_id: int) -> None:
        with app.app_context(), like_a_request():
            kinds.run(job_id)

    return queue.task(name=TASK_NAME)(run_job)


def submit(kind: str, params: dict[str, Any], by: Account | None, key: str | None = None) -> Job | None:
    """Record a job and put it on the queue. None when a job with the same `key` exists (the same
    upload confirmed twice)."""
    by_id = by.id if by else None  # read now: after the commit below `by` would be reloaded
    try:
        job_id = records.create(kind, kinds.TITLES[kind], params, by_id, key)
    except IntegrityError:
        return None
    _enqueue(job_id)  # in immediate mode the job runs here, on a connection of its own
    return records.get(job_id)


def rerun(job_id: int) -> Job | None:
    """Put a failed or abandoned job on the queue again (records.JobError when it is not)."""
    records.requeued(job_id)
    _enqueue(job_id)
    return records.get(job_id)


def _enqueue(job_id: int) -> None:
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    huey_for(app)
    app.extensions["snt_job_task"](job_id)


def run_worker(app: Flask, workers: int = 1) -> None:
    """Run the consumer in this process until SIGINT/SIGTERM (Huey's own signal handling)."""
    from snt.jobs.consumer import BeatingConsumer  # huey's consumer: only the worker needs it

    with app.app_context():
        path = heartbeat.heartbeat_file()
    consumer = BeatingConsumer(
        huey_for(app),
        workers=workers,
        worker_type="thread",
        periodic=False,
        max_delay=1.0,  # idle: look every second
        health_check_interval=heartbeat.HEARTBEAT_EVERY,
    )
    consumer.heartbeat = path
    consumer.run()
