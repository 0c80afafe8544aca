"""Long operations as jobs on Huey (issue 12, item 3), with a real worker: `flask worker`'s
consumer in its own process on Huey's SQLite storage in the app's instance folder, started and
stopped (or killed) by the test. Waits are bounded polls of the job's page, never bare sleeps."""

import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug import Request, Response

from snt.extensions import db
from snt.jobs import queue, records
from snt.models import Job, Reading
from tests.helpers import EXPECTED, SBER, link_href, page_text, write_xlsx
from tests.processes import free_port, need, running
from tests.test_admin_imports import MAY

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import json, sys
from snt import create_app
from snt.jobs.queue import run_worker
app = create_app(json.loads(sys.argv[1]))
app.instance_path = sys.argv[2]
run_worker(app)
"""


class Worker:
    """`run_worker` in a separate process with the test app's settings and instance folder."""

    def __init__(self, app, log: Path):
        config = {k: v for k, v in app.config.items() if isinstance(v, str | int | float | bool | type(None))}
        config["TASK_QUEUE_IMMEDIATE"] = False
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(config), app.instance_path],
            cwd=ROOT,
            stdout=self.log,
            stderr=self.log,
        )

    def stop(self) -> None:
        """Huey's graceful stop (SIGINT), as systemd or Ctrl+C stops it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.log.close()

    def kill(self) -> None:
        """SIGKILL: the process dies mid-job, as when the VPS runs out of memory or loses power."""
        self.process.kill()
        self.process.wait()


def queued(app) -> None:
    """The web side puts jobs on Huey's SQLite storage instead of running them at once."""
    app.config["TASK_QUEUE_IMMEDIATE"] = False
    app.extensions.pop("snt_huey", None)


def wait_for_page(client, url: str, text: str, timeout: float = 60) -> str:
    """Reload the job's page until it says `text` (bounded: fails after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        page = page_text(client.get(url))
        if text in page:
            return page
        assert time.monotonic() < deadline, f"«{text}» never appeared; last page: {page[-600:]}"
        time.sleep(0.05)


def test_receipts_job_with_a_real_worker(app, reference, accounts, tmp_path):
    queued(app)
    treasurer = accounts.staff("treasurer")
    treasurer.post("/admin/requisites", data=asdict(SBER))
    started = treasurer.post("/admin/receipts")
    assert started.status_code == 302
    url = started.headers["Location"]
    waiting = treasurer.get(url)
    assert "Состояние: в очереди" in page_text(waiting) and waiting.headers["Refresh"] == "2"

    worker = Worker(app, tmp_path / "worker.log")
    try:
        text = wait_for_page(treasurer, url, "Состояние: готово")
    finally:
        worker.stop()
    assert "обработано 3 из 3" in text and "Квитанций: 3." in text
    done = treasurer.get(url)
    assert "Refresh" not in done.headers
    pdf = treasurer.get(link_href(done, "Скачать PDF"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    pages = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    for plot in ("269", "270", "271"):
        assert f"Квитанция на оплату — участок {plot}" in pages
    assert "Выгружены квитанции" in page_text(treasurer.get("/admin/audit/"))


def test_receipts_job_through_a_live_redis(app, reference, accounts, tmp_path):
    """TASK_QUEUE_URL=redis://…: the site puts the job on a real redis-server, a worker in its own
    process takes it from there (the storage of several web processes and PostgreSQL sites)."""
    port = free_port()
    redis = [
        need("redis-server"),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    with running(redis, port, tmp_path / "redis.log"):
        app.config["TASK_QUEUE_URL"] = f"redis://127.0.0.1:{port}/0"
        queued(app)
        treasurer = accounts.staff("treasurer")
        treasurer.post("/admin/requisites", data=asdict(SBER))
        url = treasurer.post("/admin/receipts").headers["Location"]
        with app.app_context():
            assert isinstance(queue.huey_for(app), RedisHuey) and len(queue.huey_for(app)) == 1
        worker = Worker(app, tmp_path / "worker.log")
        try:
            text = wait_for_page(treasurer, url, "Состояние: готово")
        finally:
            worker.stop()
        assert "Квитанций: 3." in text
        with app.app_context():
            assert len(queue.huey_for(app)) == 0  # taken off the Redis queue


@pytest.fixture
def blocking_gateway(app, httpserver, gateway):
    """The SMS gateway, holding its second call until the test lets it go."""
    reached, release = threading.Event(), threading.Event()

    def handler(request: Request) -> Response:
        if gateway.calls == 1:  # this is the second call
            reached.set()
            release.wait(30)
        return gateway(request)

    httpserver.clear()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(handler)
    app.config["SMSRU_TIMEOUT"] = 30  # the worker waits for the gateway: it is killed meanwhile
    yield gateway, reached, release
    release.set()


def test_sms_job_killed_halfway_and_rerun_sends_nobody_twice(
    app, members, accounts, blocking_gateway, tmp_path
):
    gateway, reached, release = blocking_gateway
    queued(app)
    treasurer = accounts.staff("treasurer")
    page = treasurer.get("/admin/sms/?period=2022-05")
    assert "Будет отправлено сейчас: 4" in page_text(page)
    html = page.get_data(as_text=True)
    form = html[html.index('action="/admin/sms/send"') :]
    fields = dict(re.findall(r'name="(\w+)" type="hidden" value="([^"]*)"', form[: form.index("</form>")]))
    url = treasurer.post("/admin/sms/send", data=fields).headers["Location"]

    worker = Worker(app, tmp_path / "worker.log")
    try:
        assert reached.wait(60), "the worker never reached the second message"
        worker.kill()  # mid-send: the second message is claimed, the gateway has it, no answer came back
    finally:
        worker.stop()
    release.set()

    text = page_text(treasurer.get(url))
    assert "Состояние: выполняется" in text and "обработано 1 из 4" in text
    assert "Запустить снова" not in text  # a live worker might still be on it
    app.config["JOB_STALE_SECONDS"] = -1  # now it has been silent for longer than the limit
    text = page_text(treasurer.get(url))
    assert "похоже, обработчик фоновых задач был остановлен" in text and "Запустить снова" in text

    assert treasurer.post(f"{url}/rerun").status_code == 302
    worker = Worker(app, tmp_path / "worker2.log")
    try:
        text = wait_for_page(treasurer, url, "Состояние: готово")
    finally:
        worker.stop()
    assert "Уже отправлены раньше и не повторяются: 1." in text
    assert "Не отправляются повторно (1)" in text  # the one in flight when the worker died
    assert "Отправлено: 2 из 2." in text
    assert Counter(gateway.delivered) == Counter(dict.fromkeys(EXPECTED, 1))  # each message once
    with app.app_context():
        job = records.get(int(url.rsplit("/", 1)[1]))
        assert job is not None and (job.state, job.runs) == (Job.DONE, 2)


def test_queue_storage_is_chosen_by_the_setting(app, tmp_path):
    """SQLite storage in the instance folder by default; Redis for redis:// (no server is needed
    to build the client); anything else is refused with a Russian message."""
    queued(app)
    huey = queue.huey_for(app)
    assert isinstance(huey, SqliteHuey) and huey.storage.filename == str(
        Path(app.instance_path) / "tasks.sqlite3"
    )
    for url, kind in (
        ("redis://127.0.0.1:6379/0", RedisHuey),
        (f"sqlite:///{tmp_path}/q.sqlite3", SqliteHuey),
    ):
        app.config["TASK_QUEUE_URL"] = url
        app.extensions.pop("snt_huey")
        assert isinstance(queue.huey_for(app), kind)
    app.config["TASK_QUEUE_URL"] = "amqp://rabbit"
    app.extensions.pop("snt_huey")
    with pytest.raises(ValueError, match="TASK_QUEUE_URL: ожидается redis://"):
        queue.huey_for(app)


def test_upload_confirmed_then_imported_by_the_worker(app, registry, accounts, tmp_path):
    """The browser's upload: preview in the request, the import in the worker, the report on the job's page."""
    queued(app)
    treasurer = accounts.staff("treasurer")
    path = write_xlsx(tmp_path / "показания-май.xlsx", MAY)
    preview = treasurer.post(
        "/admin/imports/",
        data={"kind": "readings", "file": (io.BytesIO(Path(path).read_bytes()), "май.xlsx")},
        content_type="multipart/form-data",
    )
    [token] = re.findall(r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True))
    url = treasurer.post("/admin/imports/confirm", data={"token": token}).headers["Location"]
    second = treasurer.post(
        "/admin/imports/confirm", data={"token": token}
    )  # a second click, before the worker ran
    assert second.status_code == 409 and "Повторно ничего не записано." in page_text(second)

    worker = Worker(app, tmp_path / "worker.log")
    try:
        text = wait_for_page(treasurer, url, "Состояние: готово")
    finally:
        worker.stop()
    assert "Файл загружен в базу." in text and "6 изменений" in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reading)) == 6
