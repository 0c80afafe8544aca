"""What a host's monitoring and logs see: /healthz, one request line per request, one files folder."""

import json
import logging
import time

from flask_migrate import stamp

from snt import create_app
from snt.jobs.heartbeat import MISSING, NOT_NEEDED, STALE_AFTER, beat, heartbeat_file
from tests.helpers import PDF, Accounts, dispose, make_app
from tests.test_admin_content import upload
from tests.test_jobs import Worker, queued


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, json.loads(response.data)


def test_healthz_says_ok_when_the_schema_is_the_codes_and_names_no_data(app, client, reference):
    with app.app_context():
        stamp()  # the tables exist (create_all); mark them as migrated to the newest revision
    status, body = health(client)
    assert status == 200
    assert body == {"status": "ok", "database": "ok", "migrations": "ok", "worker": NOT_NEEDED}
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_migrations_are_behind_or_missing(app, client):
    assert health(client) == (
        503,
        {"status": "fail", "database": "ok", "migrations": "not applied", "worker": NOT_NEEDED},
    )
    with app.app_context():
        stamp(revision="0001")
    status, body = health(client)
    assert status == 503 and body["migrations"] == "behind the code: run flask db upgrade"


def wait_for_file(path, worker, timeout: float = 60) -> None:
    """Until the worker has written `path` (bounded; fails if the worker exits)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert worker.process.poll() is None, f"the worker exited: {worker.log.name}"
        assert time.monotonic() < deadline, "the worker wrote no heartbeat"
        time.sleep(0.05)


def test_healthz_reads_the_heartbeat_of_a_real_worker(app, client, tmp_path):
    """With a queue the site needs a worker: none yet is a failure; `flask worker`'s heartbeat
    makes it healthy; a heartbeat older than STALE_AFTER (the worker gone) fails again."""
    with app.app_context():
        stamp()
        path = heartbeat_file()
    queued(app)
    assert health(client) == (
        503,
        {"status": "fail", "database": "ok", "migrations": "ok", "worker": MISSING},
    )

    worker = Worker(app, tmp_path / "worker.log")
    try:
        wait_for_file(path, worker)
        assert health(client) == (200, {"status": "ok", "database": "ok", "migrations": "ok", "worker": "ok"})
    finally:
        worker.stop()

    beat(path, now=time.time() - STALE_AFTER - 5)  # the last beat of a worker that died long ago
    status, body = health(client)
    assert status == 503 and body["status"] == "fail"
    assert body["worker"].startswith("stale: last heartbeat 12") and "snt-worker.service" in body["worker"]


def test_healthz_is_503_when_the_database_does_not_answer():
    # Nothing listens on port 1: the connection is refused at once.
    down = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/x",
        }
    )
    status, body = health(down.test_client())
    assert status == 503 and body["database"] == "unreachable" and body["status"] == "fail"


def test_each_request_is_logged_with_method_route_status_and_time_but_no_personal_data(
    app, client, accounts, reference, caplog
):
    accounts.member("269", "orlova269@example.ru", password="Sekret-Parol-1").get("/auth/logout")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="snt.requests"):
        client.post("/auth/login", data={"login": "orlova269@example.ru", "password": "Sekret-Parol-1"})
        client.get("/my-data/payments/?plot=269")
        client.get("/auth/confirm/SOME.SIGNED.TOKEN")
        client.get("/no/such/page/orlova269@example.ru")
    lines = [r.getMessage() for r in caplog.records if r.name == "snt.requests"]
    assert [line.rsplit(" ", 2)[0] for line in lines] == [
        "POST /auth/login 302",
        "GET /my-data/payments/ 200",
        "GET /auth/confirm/<token> 400",
        "GET (no route) 404",
    ]
    assert all(line.endswith(" ms") for line in lines)
    logged = "\n".join(lines)
    for secret in ("orlova269", "Sekret", "TOKEN", "127.0.0.1", "plot=", "269"):
        assert secret not in logged


def test_documents_go_to_the_one_configured_files_folder(tmp_path, smtp_server, mailbox):
    shared = tmp_path / "shared-storage"
    app = make_app(tmp_path / "site", smtp_server[0].port, FILES_DIR=str(shared))
    board = Accounts(app, mailbox).staff("board")
    assert upload(board, PDF, "Устав.pdf").status_code == 302
    [stored] = list((shared / "documents").iterdir())
    assert stored.read_bytes() == PDF
    assert not (tmp_path / "site" / "instance" / "documents").exists()
    assert board.get("/documents/1").data == PDF
    dispose(app)
