"""Real servers for the deployment tests: gunicorn started as deploy/snt.service starts it, nginx
with deploy/nginx-snt.conf, redis-server. Each waits until its port answers; none sleeps blindly."""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
import requests
from requests.adapters import HTTPAdapter

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def need(program: str) -> str:
    path = shutil.which(program) or shutil.which(program, path="/usr/sbin:/usr/bin:/sbin")
    if path is None:
        pytest.fail(f"{program} is not installed: `make system-deps` installs it")
    return path


def listens(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    ready: Callable[[], bool], what: str, process: subprocess.Popen, log: Path, timeout: float = 60
):
    """Until `ready()` (a readiness check, not a timing); fails when the process exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[0]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        if ready():
            return
        time.sleep(0.05)
    pytest.fail(f"{what} after {timeout} s:\n{log.read_text()[-3000:]}")


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Until something accepts connections on `port`."""
    wait_until(lambda: listens(port), f"nothing listens on {port}", process, log, timeout)


@contextmanager
def running(
    command: list[str],
    port: int | None,
    log: Path,
    env: dict | None = None,
    cwd: Path = REPO,
    ready: Callable[[], bool] | None = None,
):
    """The process, once its `port` answers (or `ready()` says so, for one that listens nowhere)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        if port is not None:
            wait_for_port(port, process, log)
        if ready is not None:
            wait_until(ready, "not ready", process, log)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def unit_exec_start(unit: Path, port: int, app_dir: Path | None = None) -> list[str]:
    """The unit's ExecStart, with the test's port (and app folder, for deploy/'s own unit)."""
    [line] = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
    line = line.removeprefix("ExecStart=")
    if app_dir is not None:
        line = line.replace("/opt/snt/app", str(app_dir))
    return shlex.split(line.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))


def site_env(folder: Path, **settings: str) -> dict[str, str]:
    """The environment of a site process: its own database and files unless given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SNT_", "FLASK_", "WEB_CONCURRENCY"))}
    env.update(
        {
            "FLASK_APP": "app",
            "SNT_SECRET_KEY": "deploy-test-secret",
            "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'snt.sqlite3'}",
            "SNT_FILES_DIR": str(folder / "files"),
            "SNT_PASSWORD_HASH_METHOD": '"pbkdf2:sha256:1000"',
        }
    )
    env.update(settings)
    return env


def flask(env: dict[str, str], *args: str, input: str | None = None) -> str:
    result = subprocess.run(
        [str(BIN / "flask"), *args], cwd=REPO, env=env, input=input, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def prepare_site(env: dict[str, str], email: str, password: str) -> None:
    """A migrated database with one board account, as install.sh leaves it."""
    flask(env, "db", "upgrade")
    flask(env, "create-user", "--email", email, "--role", "board", "--password-stdin", input=password + "\n")


class SourceAddress(HTTPAdapter):
    """requests from a chosen loopback address (127.0.0.2, …): a distinct visitor for the limits."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def visitor(address: str = "127.0.0.1") -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAddress(address))
    return session


def csrf_token(html: str) -> str:
    return unescape(re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1))


def login(
    session: requests.Session, base: str, login_name: str, password: str, **headers
) -> requests.Response:
    form = session.get(f"{base}/auth/login", headers=headers)
    return session.post(
        f"{base}/auth/login",
        data={"login": login_name, "password": password, "csrf_token": csrf_token(form.text)},
        headers=headers,
        allow_redirects=False,
    )
