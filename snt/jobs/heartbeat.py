"""The worker's heartbeat, read by /healthz: `flask worker` writes the time into
FILES_DIR/worker/heartbeat when it starts and then every HEARTBEAT_EVERY seconds, from the
consumer's own loop (not from a task: a long job holding every worker thread must not look like
a dead worker), and only while the queue's storage answers. Several workers sharing FILES_DIR
write the same file: any live one keeps the site healthy.

When TASK_QUEUE_IMMEDIATE is on, jobs run in the site's own process and no worker is expected.
"""

import os
import time
from pathlib import Path

from flask import current_app

from snt.storage import files_dir

HEARTBEAT_EVERY = 30  # seconds between two beats
STALE_AFTER = 120  # seconds without a beat before /healthz fails: four missed beats

OK = "ok"
NOT_NEEDED = "not needed: jobs run in the site's process (TASK_QUEUE_IMMEDIATE)"
MISSING = "no heartbeat: start the worker (flask worker, snt-worker.service)"


def heartbeat_file() -> Path:
    return files_dir("worker") / "heartbeat"


def beat(path: Path, now: float | None = None) -> None:
    """Record that the worker is alive at `now` (a Unix time), atomically."""
    spare = path.with_name(f".{path.name}.{os.getpid()}")
    spare.write_text(f"{time.time() if now is None else now:.3f}\n", encoding="ascii")
    os.replace(spare, path)


def worker_state(now: float | None = None) -> str:
    """OK, NOT_NEEDED, MISSING or "stale: …" — healthy only for the first two."""
    if current_app.config.get("TASK_QUEUE_IMMEDIATE"):
        return NOT_NEEDED
    try:
        last = float(heartbeat_file().read_text(encoding="ascii"))
    except (OSError, ValueError):
        return MISSING
    age = (time.time() if now is None else now) - last
    if age > STALE_AFTER:
        return f"stale: last heartbeat {int(age)} s ago (restart snt-worker.service)"
    return OK


def healthy(state: str) -> bool:
    return state in (OK, NOT_NEEDED)
