"""Commands and workers start fast: the heavy libraries load only where they are used (issue 12).

`python -X importtime` lists every module a process imports; these must not be among them when
`flask --help` (which loads the app and every command) or a readings import runs, while the
commands that need them still work (their own tests: receipts, exports, sms.ru, migrations).
"""

import importlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"fpdf", "alembic", "flask_migrate", "openpyxl", "requests", "markdown_it"}
# The task queue (with redis and psycopg), the QR code, photo and email-address libraries too.
HEAVY |= {"huey", "redis", "psycopg", "segno", "PIL", "pillow_heif", "email_validator"}


def flask(tmp_path, *args: str) -> tuple[int, str, set[str]]:
    """Run `flask …` in a fresh process: its exit status, output and the top-level packages it
    imported (`flask_modules` gives the modules themselves)."""
    status, output, modules = flask_modules(tmp_path, *args)
    return status, output, {module.split(".")[0] for module in modules}


def flask_modules(tmp_path, *args: str) -> tuple[int, str, set[str]]:
    """Run `flask …` in a fresh process: its exit status, output and every module it imported."""
    env = os.environ | {
        "FLASK_APP": "app",
        "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'snt.sqlite3'}",
        "SNT_SECRET_KEY": "test",
    }
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "flask", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    return result.returncode, result.stdout, imported


def test_flask_help_imports_no_heavy_library(tmp_path):
    status, out, imported = flask(tmp_path, "--help")
    assert status == 0 and "import-readings" in out
    assert imported & HEAVY == set()


def test_flask_help_lists_every_command_without_importing_one(tmp_path):
    """The listing names each command with the first sentence of its help, from snt/cli's table:
    no command module, no model and no service is imported for it."""
    status, out, imported = flask_modules(tmp_path, "--help")
    assert status == 0
    assert "import-readings     Показания счётчиков из FILE (CSV или .xlsx):..." in out
    assert "report              Отчёты: должники, потери." in out
    ours = sorted(m for m in imported if m.startswith("snt."))
    assert [m for m in ours if m.startswith(("snt.cli.", "snt.models"))] == [], ours


def test_the_command_list_says_what_each_command_says():
    """Every command of every snt/cli module is listed once, under its own module, with the first
    sentence of its own help: the table in snt/cli cannot drift from the commands."""
    import pkgutil

    import snt.cli
    from snt.cli import COMMANDS, LazyCommand

    found = {}
    for module in pkgutil.iter_modules(snt.cli.__path__):
        for command in getattr(importlib.import_module(f"snt.cli.{module.name}"), "COMMANDS", []):
            found[command.name] = (module.name, command)
    assert sorted(found) == sorted(COMMANDS)
    for name, (module, command) in found.items():
        listed = LazyCommand(name, *COMMANDS[name])
        assert COMMANDS[name][0] == module
        assert listed.get_short_help_str(1000) == command.get_short_help_str(1000), name
        assert listed.get_short_help_str(45) == command.get_short_help_str(45), name
        assert listed.load() is command


def test_a_command_registers_no_page_until_it_needs_one(tmp_path):
    """The views and forms load with the first request or URL, never for a shell command; a
    command that builds a link still gets the whole site (the URL map, with every route)."""
    status, _, imported = flask(tmp_path, "--help")
    code = (
        "import sys, app\n"
        "before = sorted(m for m in sys.modules if m.endswith(('.views', '.forms')) or m == 'wtforms')\n"
        "from flask import url_for\n"
        "with app.app.test_request_context(): link = url_for('auth.login')\n"
        "print(before, link, len(list(app.app.url_map.iter_rules())) > 100)\n"
    )
    result = start_on_sqlite(code, tmp_path)
    assert status == 0 and imported & {"wtforms", "flask_wtf"} == set()
    assert result.stdout.strip() == "[] /auth/login True", result.stderr


def test_a_readings_import_imports_no_heavy_library(tmp_path):
    assert flask(tmp_path, "init-db")[0] == 0
    (tmp_path / "plots.csv").write_text("участок;площадь;счётчик\n1;6;двухтарифный\n", encoding="utf-8")
    assert flask(tmp_path, "import-plots", str(tmp_path / "plots.csv"))[0] == 0
    (tmp_path / "r.csv").write_text("участок;дата;день;ночь\n1;01.04.2022;10;5\n", encoding="utf-8")
    status, out, imported = flask(tmp_path, "import-readings", "--dry-run", str(tmp_path / "r.csv"))
    assert status == 0 and "новых показаний — 1" in out
    assert imported & HEAVY == set()


def start_on_sqlite(code: str, tmp_path) -> subprocess.CompletedProcess:
    """`python -c code` in a fresh process of the checkout, configured for a SQLite file."""
    env = os.environ | {
        "SNT_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'snt.sqlite3'}",
        "SNT_SECRET_KEY": "test",
    }
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)


def test_the_app_starts_without_mapping_work_it_may_never_need(tmp_path):
    """Configuring the mappers (about 0.1 s) waits for the first query, and each URL rule compiles
    its builder when `url_for` first uses it: `flask --help` needs neither."""
    code = (
        "from app import app; from snt.models import Reading; from flask import url_for\n"
        "rule = next(r for r in app.url_map.iter_rules() if r.endpoint == 'auth.login')\n"
        "print(Reading.__mapper__.configured, rule._build.__qualname__)\n"
        "with app.test_request_context(): print(url_for('auth.login', next='/a b'))\n"
    )
    result = start_on_sqlite(code, tmp_path)
    assert result.stdout.split("\n")[:2] == [
        "False LazyBuildRule._compile_builder.<locals>.build",
        "/auth/login?next=/a+b",
    ], result.stderr


def test_a_sqlite_start_loads_no_postgresql_dialect(tmp_path):
    """Declaring `postgresql_where=` on an index makes SQLAlchemy import its whole PostgreSQL
    dialect (about 30 ms) on every start; the partial indexes come from `unique_where` instead."""
    code = "import sys, app; print(sorted(m for m in sys.modules if m.startswith('sqlalchemy.dialects.postgresql')))"
    result = start_on_sqlite(code, tmp_path)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_partial_unique_indexes_keep_their_condition_on_both_databases():
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex

    from snt.models import Attendance, Ballot, HandsVote

    for model, index in (
        (Ballot, "uq_ballot_live"),
        (Attendance, "uq_attendance_live"),
        (HandsVote, "uq_hands_vote_live"),
    ):
        (live,) = (i for i in model.__table__.indexes if i.name == index)
        for dialect in (sqlite.dialect(), postgresql.dialect()):
            ddl = str(CreateIndex(live).compile(dialect=dialect))
            assert ddl.startswith(f"CREATE UNIQUE INDEX {index} ON") and ddl.endswith(
                "WHERE voided_at IS NULL"
            )


def test_the_garbage_collector_is_back_on_once_the_app_is_built(tmp_path):
    """app.py turns the collector off while it imports and builds the app (start-up makes no
    garbage worth collecting); every command and worker then runs with it on."""
    code = "import gc, app; print(gc.isenabled(), app.app.name)"
    result = start_on_sqlite(code, tmp_path)
    assert result.stdout.strip() == "True snt", result.stderr
