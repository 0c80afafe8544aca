"""Scale bench (issue 12): a decade of a 2,000-plot partnership. Run on demand (not part of `make test`):

    .venv/bin/python bench/scale.py                         # 2,000 plots, 10 years, every part
    .venv/bin/python bench/scale.py --plots 200 --years 2   # a quick small run
    .venv/bin/python bench/scale.py --only imports,startup  # some parts only

The data set is built through the project's own functions (import_plots, set_tariff, accrue,
import_readings of one year file per year, import_payments, create_account) into a SQLite file
cached under instance/bench-scale/, keyed by a hash of the generator (this file's build code) and
of the schema (migrations/versions); a snapshot after the first year is kept beside it. Reruns
reuse it; --rebuild builds it again.

Every row prints the figure, its target and, where the issue fixes one, the floor measured in the
same run: the plain-sqlite3 import of the same file (whole process), and a bare Flask app (no
extensions) on the same gunicorn settings serving the saved HTML of the same page through
render_template_string. Parts: startup, imports, years, commands, pages, summary, pdf.
Exits 1 if a target is not met.
"""

import argparse
import hashlib
import inspect
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CACHE = ROOT / "instance" / "bench-scale"
PASSWORD = "Bench-2022-ok"
PARTS = ["startup", "imports", "years", "commands", "pages", "summary", "pdf"]
# The cabinet pages of the table, as the member with two plots sees them.
PAGES = {"home": "/", "profile": "/my-data/", "payments": "/my-data/payments/", "electricity": "/my-data/electricity/"}  # fmt: skip
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
ROUNDS = 5  # turns of our app and the floor per page (part_pages)
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


# ---------------------------------------------------------------- the data set (the generator)


def first_month(years: int) -> date:
    """History starts `years` before January 2026: the month and year files measured come after it
    and are already in the past, so the importers accept them."""
    return date(2026 - years, 1, 1)


def month_at(start: date, k: int) -> date:
    index = start.year * 12 + start.month - 1 + k
    return date(index // 12, index % 12 + 1, 1)


def two_tariff(n: int) -> bool:
    return n % 4 != 0  # three plots in four have a day/night meter


def meter_at(n: int, k: int) -> tuple[int, int]:
    """Plot n's day and night registers at month k: steady use with a summer season, never lower."""
    day = 1000 + n % 97 * 10
    night = 300 + n % 31 * 5
    for m in range(k):
        summer = 2 if m % 12 in (4, 5, 6, 7) else 1
        day += (60 + (n * 7 + m * 13) % 90) * summer
        night += (20 + (n * 3 + m * 5) % 40) * summer
    return day, night


def registry_csv(plots: int) -> bytes:
    lines = ["участок;улица;площадь;электрификация;счётчик;владелец;эл. почта;телефон"]
    for n in range(1, plots + 1):
        email = "member1@example.ru" if n == 2 else f"member{n}@example.ru"  # plots 1 and 2: one owner
        meter = "двухтарифный" if two_tariff(n) else "однотарифный"
        area = ("6", "7,2", "8", "10", "12")[n % 5]
        lines.append(f"{n};{n // 100 + 1};{area};Да;{meter};Владелец {n};{email};8916{n:07d}")
    return "\n".join(lines).encode("utf-8")


def readings_csv(plots: int, start: date, first: int, months: int) -> bytes:
    """Months first … first+months-1 (counted from `start`) of every plot, one row per plot and month."""
    lines = ["участок;дата;день;ночь;сумма"]
    for k in range(first, first + months):
        on = f"{month_at(start, k):%d.%m.%Y}"
        for n in range(1, plots + 1):
            day, night = meter_at(n, k)
            lines.append(f"{n};{on};{day};{night};" if two_tariff(n) else f"{n};{on};;;{day + night}")
    return "\n".join(lines).encode("utf-8")


def payments_csv(plots: int, year: int) -> bytes:
    """The membership fee by nine plots in ten; electricity twice a year by everyone."""
    lines = ["участок;дата;сумма;назначение;номер документа"]
    for n in range(1, plots + 1):
        if n % 10:
            lines.append(f"{n};15.06.{year};{fee(n, year)};членские взносы;M-{year}-{n}")
        for half, month in ((1, 7), (2, 11)):
            lines.append(
                f"{n};20.{month:02d}.{year};{1500 + n % 13 * 100};электроэнергия;E-{year}-{n}-{half}"
            )
    return "\n".join(lines).encode("utf-8")


def per_sotka(year: int) -> Decimal:
    return Decimal(800 + 50 * (year - 2000))


def fee(n: int, year: int) -> str:
    area = (Decimal(6), Decimal("7.2"), Decimal(8), Decimal(10), Decimal(12))[n % 5]
    return str(area * per_sotka(year)).replace(".", ",")


def build(db_path: Path, year1_path: Path, plots: int, years: int) -> dict:
    """The data set, through the project's functions; returns the seconds each year file took."""
    from flask_migrate import upgrade

    from snt import create_app
    from snt.auth.accounts import create_account
    from snt.electricity.tariffs import set_tariff
    from snt.extensions import db
    from snt.imports.payments import import_payments
    from snt.imports.plots import import_plots
    from snt.imports.readings import import_readings
    from snt.models import Charge
    from snt.payments.fees import accrue
    from snt.registry.claims import set_claimed_plots

    def ok(report):
        assert report.ok, [str(e) for e in report.errors[:5]]
        return report

    start = first_month(years)
    # A cheap hash for the thousand bench accounts: scrypt would take minutes here.
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench",
         "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    )  # fmt: skip
    seconds = {}
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        ok(import_plots(registry_csv(plots), "registry.csv"))
        for year in range(start.year, start.year + years + 2):  # and the years the bench imports
            i = year - 2000
            tariff = [
                Decimal(f"{3 + i * 0.2:.2f}"),
                Decimal(f"{3.5 + i * 0.25:.2f}"),
                Decimal(f"{1.5 + i * 0.1:.2f}"),
            ]
            ok(set_tariff(date(year, 1, 1), *tariff))
        for y in range(years):
            year = start.year + y
            ok(accrue(year, Charge.MEMBERSHIP, per_sotka=per_sotka(year)))
            began = time.perf_counter()
            ok(import_readings(readings_csv(plots, start, 12 * y, 12), f"readings-{year}.csv"))
            seconds[year] = round(time.perf_counter() - began, 2)
            print(f"  year {year}: readings imported in {seconds[year]:.1f} s", flush=True)
            ok(import_payments(payments_csv(plots, year), f"payments-{year}.csv"))
            if y == 0:
                db.session.remove()
                with sqlite3.connect(db_path) as source, sqlite3.connect(year1_path) as copy:
                    source.backup(copy)
        account = create_account("member1@example.ru", PASSWORD, "member", "1")
        set_claimed_plots(account, ["1", "2"])
        account.phone, account.sms_consent = "89160000001", True
        create_account("treasurer@example.ru", PASSWORD, "treasurer")
        for n in range(3, plots + 1, 2):  # half the plots' owners have an account with SMS
            account = create_account(f"member{n}@example.ru", PASSWORD, "member", str(n))
            account.phone, account.sms_consent = f"8916{n:07d}", True
        db.session.commit()
    return seconds


def dataset_key(plots: int, years: int) -> str:
    digest = hashlib.sha256(f"{plots}/{years}".encode())
    for function in (first_month, month_at, two_tariff, meter_at, registry_csv, readings_csv, payments_csv,
                     per_sotka, fee, build):  # fmt: skip
        digest.update(inspect.getsource(function).encode())
    for migration in sorted((ROOT / "migrations" / "versions").glob("*.py")):
        digest.update(migration.read_bytes())
    return digest.hexdigest()[:16]


def dataset(plots: int, years: int, rebuild: bool) -> Path:
    folder = CACHE / f"{plots}x{years}-{dataset_key(plots, years)}"
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not (folder / "done.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        print(f"Building the data set ({plots} plots × {years} years) in {folder} …", flush=True)
        began = time.perf_counter()
        out = worker(
            "build", str(folder / "snt.sqlite3"), str(folder / "year1.sqlite3"), str(plots), str(years)
        )
        start = first_month(years)
        (folder / "month.csv").write_bytes(readings_csv(plots, start, 12 * years, 1))
        (folder / "year-next.csv").write_bytes(readings_csv(plots, start, 12 * years, 12))
        (folder / "year-2.csv").write_bytes(readings_csv(plots, start, 12, 12))
        (folder / "one.csv").write_bytes(readings_csv(1, start, 12 * years, 1))
        out["build_seconds"] = round(time.perf_counter() - began, 1)
        (folder / "done.json").write_text(json.dumps(out))
        print(f"  built in {out['build_seconds']} s", flush=True)
    return folder


# ---------------------------------------------------------------- measuring in a fresh process


def worker(name: str, *args: str) -> dict:
    """Run `name` in a fresh Python process (so the bench's own memory counts nowhere); its JSON."""
    result = subprocess.run(
        [sys.executable, __file__, "--worker", name, *args], cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"worker {name} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    sys.stdout.write("".join(line + "\n" for line in result.stdout.splitlines()[:-1]))
    return json.loads(result.stdout.splitlines()[-1])


def peak_rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def import_in_process(db_path: str, csv_path: str, dry_run: str) -> dict:
    """One import_readings call timed inside the process, with its SQL statements and memory."""
    from sqlalchemy import event

    from snt import create_app
    from snt.extensions import db
    from snt.imports.readings import import_readings

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}", "SECRET_KEY": "bench"})
    data = Path(csv_path).read_bytes()
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # the connection is opened outside the timing
        db.session.rollback()
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        before = peak_rss_mb()
        began, cpu = time.perf_counter(), time.process_time()
        report = import_readings(data, Path(csv_path).name, dry_run=dry_run == "dry")
        seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    assert report.ok, [str(e) for e in report.errors[:5]]
    return {"seconds": seconds, "cpu": cpu, "statements": len(statements), "rss_before": before, "rss": peak_rss_mb(),
            "counts": report.counts, "warnings": len(report.warnings)}  # fmt: skip


WORKERS = {
    "build": lambda *a: build(Path(a[0]), Path(a[1]), int(a[2]), int(a[3])),
    "import": import_in_process,
}


# The floor of an import: the same file parsed and inserted with nothing but the sqlite3 module.
FLOOR_IMPORT = """
import csv, io, sqlite3, sys
rows = list(csv.reader(io.StringIO(open(sys.argv[2], encoding="utf-8").read()), delimiter=";"))[1:]
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
ids = dict(conn.execute("SELECT number, id FROM plot"))
hundredths = lambda text: int(text) * 100 if text else None
values = []
for number, taken_on, day, night, total in rows:
    d, m, y = taken_on.split(".")
    day, night = hundredths(day), hundredths(night)
    values.append((ids[number], f"{y}-{m}-{d}", day, night, day + night if day is not None else hundredths(total)))
conn.execute("BEGIN IMMEDIATE")
conn.executemany("INSERT INTO reading (plot_id, taken_on, day, night, total, meter_start, created_at)"
                 " VALUES (?, ?, ?, ?, ?, 0, '2026-01-01 00:00:00')", values)
conn.execute("COMMIT")
"""


# ---------------------------------------------------------------- the table


class Table:
    def __init__(self):
        self.missed = 0

    def row(
        self, what: str, figure: str, target: str = "—", floor: str = "—", met: bool | None = None
    ) -> None:
        mark = {True: "met", False: "NOT MET", None: ""}[met]
        self.missed += met is False
        print(f"{what:58} {figure:>22}  {target:>24}  {floor:>22}  {mark}", flush=True)

    def heading(self, text: str) -> None:
        print(f"\n{text}\n{'what':58} {'measured':>22}  {'target':>24}  {'floor (same run)':>22}")


def run_flask(env: dict, *args: str) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MB), output and CPU seconds of one whole `flask …` process (os.wait4
    gives its own RSS and CPU: on a machine shared with other work, CPU tells what wall hides)."""
    began = time.perf_counter()
    process = subprocess.Popen(
        [BIN / "flask", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - began
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{output.decode()[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, output.decode(), usage.ru_utime + usage.ru_stime


def run_python(code: str) -> tuple[float, float, str, float]:
    """Like run_flask, for `python -c code`."""
    began = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, code
    return time.perf_counter() - began, usage.ru_maxrss / 1024, "", usage.ru_utime + usage.ru_stime


def best(runs: list[tuple[float, float, str, float]]) -> tuple[float, float, float]:
    """The best wall time, the largest RSS, the least CPU of several runs."""
    return min(r[0] for r in runs), max(r[1] for r in runs), min(r[3] for r in runs)


def flask_env(db_path: Path) -> dict:
    return os.environ | {
        "FLASK_APP": "app",
        "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
        "SNT_SECRET_KEY": "bench-secret",
    }


def part_startup(table: Table, data: Path, repeat: int) -> None:
    table.heading("Start-up")
    env = flask_env(data / "snt.sqlite3")
    seconds, rss, cpu = best([run_flask(env, "--help") for _ in range(repeat)])
    # The floor of a start-up: the interpreter importing the frameworks every command needs.
    bare = best([run_python("import flask, flask_sqlalchemy") for _ in range(repeat)])
    figure = f"{seconds:.2f} s (CPU {cpu:.2f}), {rss:.0f} MB"
    floor = f"{bare[0]:.2f} s (CPU {bare[2]:.2f})"
    table.row("flask --help (whole command)", figure, "≤ 0.8 s", floor, met=seconds <= 0.8)
    one_row = [run_flask(env, "import-readings", "--dry-run", str(data / "one.csv")) for _ in range(repeat)]
    seconds, rss, cpu = best(one_row)
    table.row(
        "import-readings --dry-run of one row (whole command)",
        f"{seconds:.2f} s (CPU {cpu:.2f}), {rss:.0f} MB",
    )


def part_imports(table: Table, data: Path, plots: int, years: int, repeat: int, scratch: Path) -> None:
    table.heading(f"Import of one {plots}-row month at {years} years of history")
    env = flask_env(data / "snt.sqlite3")
    month = str(data / "month.csv")
    seconds, rss, cpu = best([run_flask(env, "import-readings", "--dry-run", month) for _ in range(repeat)])
    floors, inside = [], []
    for _ in range(repeat):
        for name in ("floor.sqlite3", "ours.sqlite3"):
            copy_db(data / "snt.sqlite3", scratch / name)
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", FLOOR_IMPORT, str(scratch / "floor.sqlite3"), month], check=True
        )
        floors.append(time.perf_counter() - began)
        inside.append(worker("import", str(scratch / "ours.sqlite3"), month, "write"))
    floor = min(floors)
    fast = min(inside, key=lambda r: r["seconds"])
    floor_text = f"{floor:.3f} s"
    figure = f"{seconds:.2f} s (CPU {cpu:.2f})"
    table.row("import-readings --dry-run (whole command)", figure, "≤ 1.5 s", floor_text, seconds <= 1.5)
    table.row("  its peak RSS", f"{rss:.0f} MB", "≤ 200 MB", met=rss <= 200)
    table.row(
        "import_readings in process (written)",
        f"{fast['seconds']:.3f} s (CPU {fast['cpu']:.2f}) = {fast['seconds'] / floor:.1f}× floor",
        "≤ 0.5 s and ≤ 10× floor",
        floor_text,
        fast["seconds"] <= 0.5 and fast["seconds"] <= 10 * floor,
    )
    table.row("  its SQL statements", str(fast["statements"]))
    table.row("  peak RSS of that process (before → after import)", f"{fast['rss_before']:.0f} → {fast['rss']:.0f} MB", "≤ 200 MB", met=fast["rss"] <= 200)  # fmt: skip


def part_years(table: Table, data: Path, plots: int, years: int, repeat: int) -> None:
    table.heading(f"The same year file ({12 * plots} rows, dry run in process) at year 1 vs year {years}")
    runs = [
        (worker("import", str(data / "year1.sqlite3"), str(data / "year-2.csv"), "dry"),
         worker("import", str(data / "snt.sqlite3"), str(data / "year-next.csv"), "dry"))
        for _ in range(repeat)
    ]  # fmt: skip
    early = min((r[0] for r in runs), key=lambda r: r["seconds"])  # interleaved, the best of each
    late = min((r[1] for r in runs), key=lambda r: r["seconds"])
    ratio = late["seconds"] / early["seconds"]
    table.row(
        "year file at year 1", f"{early['seconds']:.2f} s (CPU {early['cpu']:.2f}), {early['statements']} SQL"
    )
    table.row(
        f"year file at year {years}",
        f"{late['seconds']:.2f} s (CPU {late['cpu']:.2f}), {late['statements']} SQL",
    )
    table.row(f"  year {years} / year 1", f"{ratio:.2f}×", "≤ 1.5×", met=ratio <= 1.5)
    table.row(f"  peak RSS at year {years}", f"{late['rss']:.0f} MB", "≤ 200 MB", met=late["rss"] <= 200)


def part_commands(table: Table, data: Path, repeat: int) -> None:
    table.heading("Treasurer's commands (whole command)")
    env = flask_env(data / "snt.sqlite3")
    for args in (["report", "debtors"], ["check-readings"], ["send-sms", "--dry-run"]):
        seconds, rss, cpu = best([run_flask(env, *args) for _ in range(repeat)])
        table.row(f"flask {' '.join(args)}", f"{seconds:.2f} s (CPU {cpu:.2f}), {rss:.0f} MB", "≤ 1.5 s", met=seconds <= 1.5)  # fmt: skip


def copy_db(source: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as conn, sqlite3.connect(target) as copy:
        conn.backup(copy)


# ---------------------------------------------------------------- pages under gunicorn

FLOOR_APP = """
import json, pathlib
from flask import Flask, render_template_string
app = Flask(__name__)
PAGES = json.loads(pathlib.Path(__file__).with_name("pages.json").read_text())

def page(body):
    return lambda: render_template_string("{{ body|safe }}", body=body)

for i, (path, body) in enumerate(PAGES.items()):
    app.add_url_rule(path, f"page{i}", page(body))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn -w 1 --threads 8, as the README deploys it."""

    def __init__(self, app: str, cwd: Path, env: dict, log: Path):
        import requests

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [BIN / "gunicorn", "--workers", "1", "--threads", "8", "--timeout", "300",
             "--bind", f"127.0.0.1:{self.port}", "--no-control-socket", app],
            cwd=cwd, env=env | {"SNT_SITE_URL": self.base}, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(300):
            try:
                requests.get(self.base + "/", timeout=2)
                return
            except requests.RequestException:
                time.sleep(0.1)
        sys.exit(f"gunicorn did not start: see {log}")

    def worker(self) -> str:
        return Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()[0]

    def worker_cpu(self) -> float:
        """CPU seconds the worker has used so far (user + system): unlike requests/s, the CPU a
        request costs hardly changes with what else the machine is running."""
        fields = Path(f"/proc/{self.worker()}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def worker_peak_rss(self) -> float:
        for line in Path(f"/proc/{self.worker()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def login(base: str, who: str):
    import requests

    http = requests.Session()
    http.headers["Connection"] = "close"
    token = CSRF.search(http.get(base + "/auth/login").text).group(1)
    answer = http.post(base + "/auth/login", data={"csrf_token": token, "login": who, "password": PASSWORD})
    assert answer.ok and "auth/login" not in answer.url, f"login {who} failed"
    return http


def hammer(
    server: "Server", path: str, cookies, seconds: float, clients: int = 8
) -> tuple[float, float, int, float]:
    """`clients` threads requesting `path` for `seconds`: (requests/s, p95 seconds, failures, the
    worker's CPU milliseconds per request)."""
    import requests

    times: list[float] = []
    failures = [0]
    deadline = time.perf_counter() + seconds

    def client() -> None:
        http = requests.Session()
        http.headers["Connection"] = "close"
        http.cookies.update(cookies)
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            answer = http.get(server.base + path, allow_redirects=False, timeout=60)
            if answer.status_code != 200:
                failures[0] += 1
            times.append(time.perf_counter() - began)

    began, cpu = time.perf_counter(), server.worker_cpu()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed, cpu = time.perf_counter() - began, server.worker_cpu() - cpu
    return (
        len(times) / elapsed,
        statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0],
        failures[0],
        cpu * 1000 / len(times),
    )


def css_size(http, base: str, html: str) -> int:
    return sum(len(http.get(base + href).content) for href in STYLESHEET.findall(html))


def part_web(table: Table, data: Path, parts: set[str], seconds: float, scratch: Path) -> None:
    copy_db(data / "snt.sqlite3", scratch / "web.sqlite3")
    # The job queue and the files the jobs write stay in the scratch folder, as the database does.
    env = flask_env(scratch / "web.sqlite3") | {
        "SNT_TASK_QUEUE_URL": f"sqlite:///{scratch / 'tasks.sqlite3'}",
        "SNT_FILES_DIR": str(scratch / "files"),
    }
    app = Server("app:app", ROOT, env, scratch / "gunicorn.log")
    try:
        member = login(app.base, "1")
        treasurer = login(app.base, "treasurer@example.ru") if parts & {"summary", "pdf"} else None
        saved = {path: member.get(app.base + path).text for path in PAGES.values()}
        if treasurer is not None:
            saved["/admin/"] = treasurer.get(app.base + "/admin/").text
        floor_dir = scratch / "floor"
        floor_dir.mkdir(exist_ok=True)
        (floor_dir / "floor_app.py").write_text(FLOOR_APP)
        (floor_dir / "pages.json").write_text(json.dumps(saved))
        floor = Server("floor_app:app", floor_dir, os.environ.copy(), scratch / "floor.log")
        try:
            if "pages" in parts:
                part_pages(table, app, floor, member, saved, seconds)
            if parts & {"summary", "pdf"}:
                table.heading("Admin")
            if "summary" in parts:
                part_summary(table, app, floor, treasurer)
            if "pdf" in parts:
                part_pdf(table, app, treasurer, env, scratch)
            table.row("peak RSS of the web worker", f"{app.worker_peak_rss():.0f} MB", floor=f"{floor.worker_peak_rss():.0f} MB")  # fmt: skip
        finally:
            floor.stop()
    finally:
        app.stop()


def part_pages(
    table: Table, app: Server, floor: Server, member, saved: dict[str, str], seconds: float
) -> None:
    table.heading("Cabinet pages: the member with two plots (sizes with CSS)")
    css = css_size(member, app.base, saved["/"])
    for name, path in PAGES.items():
        size = (len(saved[path].encode()) + css) / 1024
        rows = saved[path].count("<tr")
        table.row(f"{name} {path}: size with CSS ({rows} table rows)", f"{size:.0f} KB", "≤ 40 KB", met=size <= 40)  # fmt: skip
    # The year selector of the electricity page (issue 12 item 2): its oldest year, as deep as it goes.
    for year in sorted(re.findall(r"<option>(\d{4})</option>", saved[PAGES["electricity"]]))[:1]:
        path = f"{PAGES['electricity']}?year={year}"
        html = member.get(app.base + path).text
        size, rows = (len(html.encode()) + css) / 1024, html.count("<tr")
        table.row(f"electricity {path}: size with CSS ({rows} table rows)", f"{size:.0f} KB", "≤ 40 KB", met=size <= 40)  # fmt: skip
    table.heading("Cabinet pages under 8 concurrent clients, gunicorn -w 1 --threads 8")
    # Our app and the floor take turns, ROUNDS short loads each: the machine's speed drifts by a
    # third within minutes (other work shares it), so one long load of each would compare two
    # different machines. Each figure is the median of its rounds; the share, of the rounds' shares.
    for name, path in PAGES.items():
        rounds = [
            (hammer(app, path, member.cookies, seconds / ROUNDS), hammer(floor, path, {}, seconds / ROUNDS))
            for _ in range(ROUNDS)
        ]
        ours, ours_p95, ours_cpu, bare, bare_p95, bare_cpu = (
            statistics.median(r[side][field] for r in rounds) for side in (0, 1) for field in (0, 1, 3)
        )
        failed = sum(r[0][2] for r in rounds)
        share = statistics.median(r[0][0] / r[1][0] for r in rounds)
        table.row(
            f"{name} {path}: requests/s (p95)",
            f"{ours:.0f}/s ({ours_p95 * 1000:.0f} ms) = {share:.0%}",
            "≥ 40 % of the floor",
            f"{bare:.0f}/s ({bare_p95 * 1000:.0f} ms)",
            share >= 0.4 and not failed,
        )
        # The same comparison in the worker's CPU per request, steadier on a busy machine.
        table.row(f"{name}: worker CPU per request", f"{ours_cpu:.1f} ms = {bare_cpu / ours_cpu:.0%}", "—",
                  f"{bare_cpu:.1f} ms")  # fmt: skip
        if failed:
            print(f"    {failed} answers were not 200")


def part_summary(table: Table, app: Server, floor: Server, treasurer) -> None:
    import requests

    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for side, get in (("ours", lambda: treasurer.get(app.base + "/admin/")), ("bare", lambda: requests.get(floor.base + "/admin/"))):  # fmt: skip
        for _ in range(3):
            began = time.perf_counter()
            assert get().ok
            times[side].append(time.perf_counter() - began)
    figure = statistics.median(times["ours"])
    table.row("«Сводка» /admin/ (one request, median of 3)", f"{figure:.2f} s", "≤ 0.3 s",
              f"{statistics.median(times['bare']) * 1000:.0f} ms", figure <= 0.3)  # fmt: skip


def part_pdf(table: Table, app: Server, treasurer, env: dict, scratch: Path) -> None:
    """The button «Квитанции всем должникам (PDF)»: the request only queues the job; a worker
    (`flask worker`, as deployed) makes the PDF, which the job's page then offers."""
    token = CSRF.search(treasurer.get(app.base + "/admin/requisites").text).group(1)
    began = time.perf_counter()
    answer = treasurer.post(app.base + "/admin/receipts", data={"csrf_token": token}, allow_redirects=False)
    took = time.perf_counter() - began
    job_page = app.base + answer.headers.get("Location", "")
    queued = answer.status_code == 302 and "/admin/jobs/" in job_page
    table.row("«Квитанции всем должникам (PDF)»: request", f"{took:.2f} s → {answer.status_code}",
              "out of the request", met=queued)  # fmt: skip
    if not queued:
        return
    with open(scratch / "worker.log", "w") as log:
        worker = subprocess.Popen(
            [BIN / "flask", "worker"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            while (
                "Refresh" in (page := treasurer.get(job_page)).headers and time.perf_counter() - began < 600
            ):
                time.sleep(0.25)
            done = time.perf_counter() - began
            pdf = treasurer.get(job_page + "/result")
        finally:
            worker.terminate()
            rss = os.wait4(worker.pid, 0)[2].ru_maxrss / 1024
    made = pdf.headers.get("Content-Type", "").startswith("application/pdf")
    figure = f"{done:.1f} s, {len(pdf.content) / 2**20:.1f} MB" if made else f"no PDF: {page.status_code}"
    table.row("  the job, from the click to the PDF (worker started with it)", figure, "a PDF", met=made)
    table.row("  peak RSS of the worker", f"{rss:.0f} MB", "≤ 200 MB", met=rss <= 200)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(WORKERS[sys.argv[2]](*sys.argv[3:])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plots", type=int, default=2000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument(
        "--seconds", type=float, default=10, help="load per page, on our app and on the floor (in turns)"
    )
    parser.add_argument("--repeat", type=int, default=2, help="runs of each command (the best counts)")
    parser.add_argument("--rebuild", action="store_true", help="build the data set again")
    args = parser.parse_args()
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(parts - set(PARTS)))}; known: {', '.join(PARTS)}")
    if args.years < 2:
        parser.error("--years must be at least 2 (the year-1 snapshot and a later year)")
    data = dataset(args.plots, args.years, args.rebuild)
    built = json.loads((data / "done.json").read_text())
    size = (data / "snt.sqlite3").stat().st_size / 2**20
    print(f"\nData set: {args.plots} plots × {args.years} years, {size:.0f} MB SQLite ({data.name}); "
          f"built in {built['build_seconds']} s; year files took {', '.join(f'{s:.1f}' for s in built.values() if s != built['build_seconds'])} s")  # fmt: skip
    print(
        f"Load average of this machine (other work shares its {os.cpu_count()} cores): {os.getloadavg()[0]:.1f}"
    )
    # A deployed site runs from bytecode (pip and the first start write it); a shell with
    # PYTHONDONTWRITEBYTECODE would compile every module of ours on every start measured.
    subprocess.run([sys.executable, "-m", "compileall", "-q", "snt", "app.py"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, env=os.environ | {"PYTHONDONTWRITEBYTECODE": ""})  # fmt: skip
    table = Table()
    with tempfile.TemporaryDirectory(prefix="snt-scale-") as folder:
        scratch = Path(folder)
        if "startup" in parts:
            part_startup(table, data, args.repeat)
        if "imports" in parts:
            part_imports(table, data, args.plots, args.years, args.repeat, scratch)
        if "years" in parts:
            part_years(table, data, args.plots, args.years, args.repeat)
        if "commands" in parts:
            part_commands(table, data, args.repeat)
        if parts & {"pages", "summary", "pdf"}:
            part_web(table, data, parts, args.seconds, scratch)
    print(f"\n{'every target met' if not table.missed else f'targets not met: {table.missed}'}")
    return 1 if table.missed else 0


if __name__ == "__main__":
    sys.exit(main())
