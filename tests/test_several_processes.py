"""A site that has grown: two gunicorn processes on one database (SQLite, or PostgreSQL in the
PostgreSQL run), rate limits in one Redis, one secret key from the environment, one files folder.
Each request goes to a chosen process, so what is shared is shown, not assumed."""

import io

import pytest

from tests.helpers import database_uri
from tests.processes import (
    BIN,
    csrf_token,
    free_port,
    login,
    need,
    prepare_site,
    running,
    site_env,
    visitor,
)

BOARD, PASSWORD = "chair@example.ru", "Pravlenie-2026"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two")
    redis_port = free_port()
    redis = [
        need("redis-server"),
        "--port",
        str(redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    env = site_env(
        folder,
        SNT_SQLALCHEMY_DATABASE_URI=database_uri(folder),
        SNT_RATELIMIT_ENABLED="true",
        SNT_RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{redis_port}/0",
        SNT_FILES_DIR=str(folder / "shared-files"),
    )
    prepare_site(env, BOARD, PASSWORD)
    ports = free_port(), free_port()
    with (
        running(redis, redis_port, folder / "redis.log"),
        running(_gunicorn(ports[0]), ports[0], folder / "a.log", env=env),
        running(_gunicorn(ports[1]), ports[1], folder / "b.log", env=env),
    ):
        yield [f"http://127.0.0.1:{port}" for port in ports], folder


def _gunicorn(port: int) -> list[str]:
    return [
        str(BIN / "gunicorn"),
        "--threads",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "app:app",
    ]


def test_a_rate_limit_is_counted_across_both_processes(two_processes):
    (a, b), _ = two_processes
    guesser = visitor("127.0.0.2")
    # Ten wrong passwords, five to each process (a new login each time: only the address limit).
    statuses = [login(guesser, (a, b)[i % 2], f"guess{i}@example.ru", "wrong").status_code for i in range(10)]
    assert statuses == [422] * 10
    # Each process has seen only five, yet both refuse the eleventh: the count is shared in Redis.
    assert login(guesser, a, "guess10@example.ru", "wrong").status_code == 429
    assert login(guesser, b, "guess11@example.ru", "wrong").status_code == 429
    assert login(visitor("127.0.0.3"), b, BOARD, PASSWORD).status_code == 302  # others are not affected


def test_a_session_from_one_process_works_on_the_other_and_files_are_shared(two_processes):
    (a, b), folder = two_processes
    board = visitor("127.0.0.4")
    assert login(board, a, BOARD, PASSWORD).status_code == 302
    assert "Сводка" in board.get(f"{b}/admin/").text  # the same secret key signs and checks

    form = board.get(f"{a}/admin/documents/")
    uploaded = board.post(
        f"{a}/admin/documents/",
        data={
            "csrf_token": csrf_token(form.text),
            "title": "Устав",
            "category": "charter",
            "visibility": "public",
        },
        files={"file": ("charter.pdf", io.BytesIO(PDF), "application/pdf")},
        allow_redirects=False,
    )
    assert uploaded.status_code == 302, uploaded.text
    [stored] = list((folder / "shared-files" / "documents").iterdir())
    assert stored.read_bytes() == PDF
    assert visitor().get(f"{b}/documents/1").content == PDF  # written by one, served by the other
