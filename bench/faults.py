"""Fault bench: kill -9 in the middle of an import, and an SMS gateway that fails halfway.
Run on demand (not part of `make test`):

    .venv/bin/python bench/faults.py

1. `flask import-readings` of a 2,000-row file is timed once, then killed with SIGKILL at a
   different moment of its last stretch (where the transaction runs) in each of several runs;
   after each, the file's readings are in the database all or not at all, `PRAGMA
   integrity_check` says ok, and a rerun loads what is missing.
2. `flask send-sms` talks to a local sms.ru stand-in that accepts 15 messages and then answers
   HTTP 500; a second run against a healthy gateway sends the rest, a third has nothing to send.
   No message may arrive twice.
Exits 1 if any check fails.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs

from load import BIN, ROOT, flask, prepare, readings_file  # bench/load.py

KILL_AT = [0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.88, 0.91, 0.94, 0.97]  # of a whole import's time


def readings_of(db: Path, run: int) -> int:
    path = readings_file(db.parent, run)
    dates = sorted({line.split(";")[1] for line in path.read_text(encoding="utf-8").splitlines()[1:]})
    iso = ["-".join(reversed(d.split("."))) for d in dates]
    with sqlite3.connect(db) as conn:
        marks = ",".join("?" * len(iso))
        return conn.execute(f"SELECT count(*) FROM reading WHERE taken_on IN ({marks})", iso).fetchone()[0]


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def holds_write_lock(db: Path) -> bool:
    """Whether another process is inside a write transaction (the shell's start with BEGIN IMMEDIATE)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def kill_during_imports(env: dict, db: Path) -> bool:
    start = time.perf_counter()
    assert flask(env, "import-readings", str(readings_file(db.parent, 0))).returncode == 0
    whole = time.perf_counter() - start
    print(f"a whole 2,000-row import takes {whole:.2f} s (process start included)")
    ok = True
    for run, share in enumerate(KILL_AT, start=1):
        delay = whole * share
        path = readings_file(db.parent, run)
        process = subprocess.Popen(
            [BIN / "flask", "import-readings", str(path)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(delay)
        inside = holds_write_lock(db)
        finished_first = process.poll() is not None
        if not finished_first:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        found, check = readings_of(db, run), integrity(db)
        rerun = flask(env, "import-readings", str(path))
        after = readings_of(db, run)
        good = found in (0, 2000) and check == "ok" and rerun.returncode == 0 and after == 2000
        ok &= good
        state = (
            "finished before the kill"
            if finished_first
            else "killed inside its write transaction"
            if inside
            else "killed before writing"
        )
        print(
            f"import {run}: {state} at {delay:.2f} s; readings of the file after it: {found}; "
            f"integrity_check {check}; after a rerun: {after}{'' if good else '  <-- FAILED'}"
        )
    return ok


class Gateway(BaseHTTPRequestHandler):
    """sms.ru's /sms/send: accepts `accept` messages, then answers HTTP 500 (or accepts all)."""

    accept = 10**9
    received: ClassVar[Counter] = Counter()  # (phone, text) -> times received
    lock = threading.Lock()

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        phone = form["to"][0]
        with self.lock:
            if sum(self.received.values()) >= self.accept:
                self.send_response(500)
                self.end_headers()
                return
            self.received[phone, form["msg"][0]] += 1
        body = {"status": "OK", "sms": {phone: {"status": "OK", "status_code": 100, "sms_id": phone}}}
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def sms_with_a_failing_gateway(env: dict) -> bool:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = env | {
        "SNT_SMS_BACKEND": "smsru",
        "SNT_SMSRU_API_ID": "bench",
        "SNT_SMSRU_URL": f"http://127.0.0.1:{server.server_address[1]}",
    }
    try:
        planned = flask(env, "send-sms", "--period", "2022-05", "--dry-run").stdout
        Gateway.accept = 15
        first = flask(env, "send-sms", "--period", "2022-05")
        Gateway.accept = 10**9
        second = flask(env, "send-sms", "--period", "2022-05")
        third = flask(env, "send-sms", "--period", "2022-05")
    finally:
        server.shutdown()
    twice = [message for message, n in Gateway.received.items() if n > 1]
    print(f"SMS, first run (gateway fails after 15): {_last(first.stdout)}")
    print(f"SMS, second run (gateway healthy): {_last(second.stdout)}")
    print(f"SMS, third run: {_last(third.stdout)}")
    phones = {phone for phone, _ in Gateway.received}
    print(
        f"messages received: {len(Gateway.received)} (to {len(phones)} phones); received twice: {len(twice)}"
    )
    return not twice and len(Gateway.received) > 15 and "Отправлять нечего" in third.stdout and bool(planned)


def _last(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return " / ".join(lines[-2:]) if lines else "(nothing)"


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="snt-faults-"))
    db = work / "snt.sqlite3"
    env = os.environ | {
        "FLASK_APP": "app",
        "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
        "SNT_SECRET_KEY": "bench-secret",
    }
    try:
        prepare(env, 30, work)
        imports_ok = kill_during_imports(env, db)
        sms_ok = sms_with_a_failing_gateway(env)
    finally:
        shutil.rmtree(work)
    print("faults handled" if imports_ok and sms_ok else "FAULT CHECKS FAILED")
    return 0 if imports_ok and sms_ok else 1


if __name__ == "__main__":
    sys.exit(main())
