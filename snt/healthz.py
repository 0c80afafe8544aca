"""/healthz for the host's monitoring: the database answers, its schema is the code's, the task
worker is alive (its heartbeat: snt/jobs/heartbeat.py). It says nothing about the data (no counts, no names), so it needs no login."""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from snt.extensions import db
from snt.jobs.heartbeat import healthy as worker_healthy
from snt.jobs.heartbeat import worker_state
from snt.web import limiter

bp = Blueprint("healthz", __name__)


def code_heads() -> set[str]:
    """The newest migration revisions in migrations/ (what `flask db upgrade` would reach)."""
    from alembic.config import Config  # here: alembic is slow to import and few commands need it
    from alembic.script import ScriptDirectory

    directory = current_app.extensions["migrate"].directory
    config = Config()
    config.set_main_option("script_location", directory)
    return set(ScriptDirectory.from_config(config).get_heads())


def database_status() -> tuple[str, str]:
    """(database, migrations): "ok" or what is wrong, in a word or two."""
    from alembic.runtime.migration import MigrationContext

    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(conn).get_current_heads())
    except SQLAlchemyError as exc:
        current_app.logger.error("healthz: database unreachable: %s", exc)
        return "unreachable", "unknown"
    if current == code_heads():
        return "ok", "ok"
    return "ok", "behind the code: run flask db upgrade" if current else "not applied"


@bp.get("/healthz")
@limiter.exempt
def healthz():
    database, migrations = database_status()
    worker = worker_state()
    healthy = database == "ok" and migrations == "ok" and worker_healthy(worker)
    body = {
        "status": "ok" if healthy else "fail",
        "database": database,
        "migrations": migrations,
        "worker": worker,
    }
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response
