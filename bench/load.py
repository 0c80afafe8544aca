"""Load bench: gunicorn as the README deploys it, members browsing while the database is written
and backed up. Run on demand (not part of `make test`):

    .venv/bin/python bench/load.py                 # 30 members, 60 seconds
    .venv/bin/python bench/load.py --members 30 --seconds 120

Members log in through the real forms (CSRF on, scrypt hashes) from their own addresses (sent as
X-Forwarded-For with PROXY_COUNT=1, as behind nginx), then open cabinet pages with 1–3 s of
thinking; one in ten steps saves «Изменить регистрационные данные» (a web write). Meanwhile
`flask import-readings` loads a 2,000-row file (1,000 plots × 2 months) every 15 s and
`flask backup` runs every 20 s. Prints p50/p95/max, the 5xx count, "database is locked" in the
server log, and the backups' and imports' results; exits 1 if a target is missed.
The faults (kill -9 in the middle of an import, an SMS gateway failing halfway): bench/faults.py.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PASSWORD = "Bench-2022-ok"
PAGES = ["/my-data/", "/my-data/payments/", "/my-data/electricity/", "/"]
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN / "flask", *args], cwd=ROOT, env=env, capture_output=True, text=True)


def prepare(env: dict, members: int, work: Path) -> list[str]:
    """The demo partnership plus 1,000 plots (1001–2000, for the imports), plus `members` confirmed
    members with verified plots and phones for SMS; returns their logins."""
    registry = ["участок;площадь;счётчик"] + [f"{n};6;двухтарифный" for n in range(1001, 2001)]
    (work / "registry.csv").write_text("\n".join(registry), encoding="utf-8")
    for step in (["db", "upgrade"], ["seed-demo"], ["import-plots", str(work / "registry.csv")]):
        result = flask(env, *step)
        if result.returncode:
            sys.exit(f"{' '.join(step)} failed:\n{result.stdout}{result.stderr}")
    logins = [str(221 + i) for i in range(members)]
    script = (
        "from snt import create_app\n"
        "from snt.auth.accounts import create_account\n"
        "from snt.extensions import db\n"
        "with create_app().app_context():\n"
        f"    for n in {logins!r}:\n"
        f"        account = create_account(f'owner{{n}}@example.ru', {PASSWORD!r}, 'member', n)\n"
        "        account.phone, account.sms_consent = f'8916000{int(n):04d}', True\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True)
    return logins


class Member(threading.Thread):
    def __init__(self, base: str, login: str, address: str, deadline: float, results: list):
        super().__init__(daemon=True)
        self.base, self.login, self.deadline, self.results = base, login, deadline, results
        self.http = requests.Session()
        self.http.headers["X-Forwarded-For"] = address
        # One connection per request, as nginx talks to gunicorn by default (HTTP/1.0 upstream).
        # A kept-alive connection idle for longer than gunicorn's 2 s keep-alive races its close.
        self.http.headers["Connection"] = "close"

    def timed(self, method: str, path: str, **kwargs) -> requests.Response | None:
        start = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base + path, timeout=30, allow_redirects=False, **kwargs
            )
        except requests.RequestException as exc:
            self.results.append((path, "error", time.perf_counter() - start, str(exc)))
            return None
        self.results.append((path, response.status_code, time.perf_counter() - start, ""))
        return response

    def form_token(self, path: str) -> str:
        page = self.timed("GET", path)
        found = CSRF.search(page.text) if page is not None else None
        return found.group(1) if found else ""

    def run(self) -> None:
        time.sleep(random.uniform(0, 3))  # members arrive over the first seconds, not all at once
        token = self.form_token("/auth/login")
        self.timed(
            "POST", "/auth/login", data={"csrf_token": token, "login": self.login, "password": PASSWORD}
        )
        while time.time() < self.deadline:
            if random.random() < 0.1:
                token = self.form_token("/my-data/edit")
                self.timed(
                    "POST", "/my-data/edit", data={"csrf_token": token, "plots": self.login, "phone": ""}
                )
            else:
                self.timed("GET", random.choice(PAGES))
            time.sleep(random.uniform(1, 3))


def readings_file(work: Path, run: int) -> Path:
    """2,000 readings: plots 1001–2000, two months from July 2022 on (run 0), two later each run."""
    lines = ["участок;дата;день;ночь"]
    for step in (1, 2):
        month = 6 + 2 * run + step  # months since January 2022, from 7 (July) on
        on = date(2022 + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        value = 100000 + 1000 * month
        lines += [f"{n};{on:%d.%m.%Y};{value};{value // 2}" for n in range(1001, 2001)]
    path = work / f"readings-{run}.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def import_readings(env: dict, work: Path, run: int) -> tuple[bool, float]:
    """`flask import-readings` of a fresh 2,000-row file; (written, seconds including process start)."""
    path = readings_file(work, run)
    start = time.perf_counter()
    result = flask(env, "import-readings", str(path))
    if result.returncode:
        print(result.stdout[-2000:], result.stderr[-2000:], file=sys.stderr)
    return result.returncode == 0, time.perf_counter() - start


def every(seconds: float, deadline: float, job, log: list) -> threading.Thread:
    def loop():
        run = 0
        while time.time() + seconds < deadline:
            time.sleep(seconds)
            log.append(job(run))
            run += 1

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (database, logs)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="snt-bench-"))
    port = free_port()
    env = os.environ | {
        "FLASK_APP": "app",
        "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'snt.sqlite3'}",
        "SNT_SECRET_KEY": "bench-secret",
        "SNT_SITE_URL": f"http://127.0.0.1:{port}",
        "SNT_PROXY_COUNT": "1",
    }
    logins = prepare(env, args.members, work)
    log = open(work / "gunicorn.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [BIN / "gunicorn", "--workers", "1", "--threads", "8", "--bind", f"127.0.0.1:{port}", "--no-control-socket", "app:app"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.1)
        deadline = time.time() + args.seconds
        results: list = []
        members = [
            Member(base, login, f"198.51.100.{i + 1}", deadline, results) for i, login in enumerate(logins)
        ]
        for member in members:
            member.start()
        backups: list = []
        writes: list = []
        (work / "backups").mkdir()
        backup = lambda run: flask(env, "backup", str(work / "backups"))  # noqa: E731
        jobs = [
            every(20, deadline, backup, backups),
            every(15, deadline, lambda run: import_readings(env, work, run), writes),
        ]
        for thread in members + jobs:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()

    server_log = (work / "gunicorn.log").read_text()
    latencies = sorted(r[2] for r in results if r[1] != "error")
    # The target is for browsing: page views. A login costs one scrypt hash (~70 ms of CPU) and is
    # reported on its own line below.
    browsing = sorted(r[2] for r in results if r[1] != "error" and r[0] in PAGES)
    p95 = statistics.quantiles(browsing, n=100)[94]
    statuses: dict = {}
    for r in results:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    server_errors = sum(n for code, n in statuses.items() if code == "error" or code >= 500)
    locked = server_log.count("database is locked")
    backups_ok = sum(1 for b in backups if b.returncode == 0 and "integrity_check: ok" in b.stdout)
    writes_ok = sum(1 for ok, _ in writes if ok)
    print(f"members {args.members}, {args.seconds} s, gunicorn -w 1 --threads 8, SQLite WAL")
    print(f"requests {len(results)}: {dict(sorted(statuses.items(), key=str))}")
    print(
        f"cabinet page views: p50 {statistics.median(browsing) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {browsing[-1] * 1000:.0f} ms; all requests: max {latencies[-1] * 1000:.0f} ms"
    )
    for path in sorted({r[0] for r in results}):
        times = sorted(r[2] for r in results if r[0] == path and r[1] != "error")
        if len(times) > 1:
            p95_path = statistics.quantiles(times, n=100)[94]
            print(f"  {path:24} {len(times):5} requests, p95 {p95_path * 1000:.0f} ms")
    for path, code, _, message in [r for r in results if r[1] == "error" or r[1] >= 500][:5]:
        print(f"  failed: {path} {code} {message[:200]}")
    print(f"5xx or failed requests: {server_errors}; 'database is locked' in the server log: {locked}")
    print(f"backups with integrity_check ok: {backups_ok}/{len(backups)}")
    print(
        f"2,000-row imports committed: {writes_ok}/{len(writes)} "
        f"(each {', '.join(f'{s:.2f}' for _, s in writes)} s including process start)"
    )
    if args.keep:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work)
    met = (
        server_errors == 0
        and locked == 0
        and p95 < 0.5
        and backups_ok == len(backups)
        and writes_ok == len(writes)
    )
    print("targets met" if met else "TARGETS MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
