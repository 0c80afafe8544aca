"""deploy/install.sh and deploy/upgrade.sh in their test mode: everything but systemctl and certbot
(no systemd as PID 1 and no public address here), with every path under one temporary root. The
site is then started from the installed unit, and an upgrade whose migration fails is undone."""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from snt.jobs.heartbeat import MISSING
from tests.helpers import sqlite_only
from tests.processes import REPO, free_port, login, running, unit_exec_start, visitor

pytestmark = [
    sqlite_only,  # the installed site has its own SQLite file; once per `make test` is enough
    pytest.mark.skipif(os.geteuid() != 0, reason="install.sh needs root (apt-get, useradd, runuser)"),
]
DOMAIN, ADMIN = "snt.test.example", "chair@snt.test.example"
GIT = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.ru", "-c", "safe.directory=*"]


def git(folder: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


def run_script(script: Path, root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, SNT_INSTALL_ROOT=str(root), SNT_INSTALL_TEST="1")
    env = {k: v for k, v in env.items() if not k.startswith(("SNT_TEST", "FLASK_"))}
    return subprocess.run(
        [str(script), *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=env,
    )


def read_env(path: Path) -> dict[str, str]:
    pairs = (
        line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#")
    )
    return dict(pairs)


@pytest.fixture(scope="module")
def place():
    """A temporary root readable by the `snt` user (pytest's own tmp folders are root-only), and an
    "upstream" repository holding this working tree, as a VPS would clone it."""
    top = Path(tempfile.mkdtemp(prefix="snt-install-", dir="/tmp"))
    top.chmod(0o755)
    upstream = top / "upstream"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True, capture_output=True
    ).stdout.decode()
    for name in filter(None, files.split("\0")):
        if (REPO / name).is_file():
            (upstream / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, upstream / name)
    git(upstream.parent, "init", "-q", "-b", "main", str(upstream))
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "the tested version")
    yield top / "sys", upstream
    shutil.rmtree(top, ignore_errors=True)


@pytest.fixture(scope="module")
def installed(place):
    root, upstream = place
    first = run_script(upstream / "deploy/install.sh", root, DOMAIN, "--admin-email", ADMIN)
    assert first.returncode == 0, first.stdout + first.stderr
    return root, upstream, first.stdout


def test_install_sets_up_settings_units_nginx_and_prints_the_generated_password_once(installed):
    root, _, output = installed
    [password] = re.findall(rf"Пароль {ADMIN} \(показан один раз, сохраните его\): (\S+)", output)
    assert len(password) >= 16
    assert "режим проверки: nginx -t прошёл" in output
    assert "systemd-analyze verify: ошибок нет" in output
    assert (
        "не выполнено:\n  systemctl daemon-reload && systemctl enable --now snt.service snt-worker.service "
        "snt-backup.timer snt-readings-remind.timer && systemctl reload nginx"
    ) in output

    env_file = root / "etc/snt/snt.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    settings = read_env(env_file)
    assert re.fullmatch(r"[0-9a-f]{64}", settings["SNT_SECRET_KEY"])
    assert settings["SNT_SITE_URL"] == f"https://{DOMAIN}"
    assert settings["SNT_SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{root}/var/lib/snt/snt.sqlite3"
    assert settings["SNT_PROXY_COUNT"] == "1" and settings["SNT_BOARD_EMAIL"] == ADMIN
    assert settings["SNT_TASK_QUEUE_URL"] == f"sqlite:///{root}/var/lib/snt/tasks.sqlite3"

    units = root / "etc/systemd/system"
    assert sorted(p.name for p in units.iterdir()) == [
        "snt-backup.service",
        "snt-backup.timer",
        "snt-readings-remind.service",
        "snt-readings-remind.timer",
        "snt-worker.service",
        "snt.service",
    ]
    assert f"ExecStart={root}/opt/snt/app/.venv/bin/gunicorn" in (units / "snt.service").read_text()
    flask = f"ExecStart={root}/opt/snt/app/.venv/bin/flask --app app"
    assert f"{flask} worker\n" in (units / "snt-worker.service").read_text()
    assert f"{flask} readings-remind\n" in (units / "snt-readings-remind.service").read_text()
    assert "OnCalendar=*-*-* 10:15:00" in (units / "snt-readings-remind.timer").read_text()
    site = (root / "etc/nginx/sites-enabled/snt").read_text()
    assert f"server_name {DOMAIN};" in site and f"alias {root}/opt/snt/app/static/;" in site
    data = root / "var/lib/snt"
    assert data.stat().st_mode & 0o777 == 0o700 and data.owner() == "snt"


def test_the_installed_units_serve_the_site_run_the_worker_and_the_board_logs_in(installed, tmp_path):
    root, _, output = installed
    [password] = re.findall(rf"Пароль {ADMIN} \(показан один раз, сохраните его\): (\S+)", output)
    port = free_port()
    app_dir, units = root / "opt/snt/app", root / "etc/systemd/system"
    command = unit_exec_start(units / "snt.service", port)
    env = {"PATH": os.environ["PATH"]} | read_env(root / "etc/snt/snt.env")
    env["SNT_SITE_URL"] = f"http://127.0.0.1:{port}"  # no certificate here: cookies over http
    as_snt = ["runuser", "-u", "snt", "--"]
    with running([*as_snt, *command], port, tmp_path / "site.log", env=env, cwd=app_dir):
        base = f"http://127.0.0.1:{port}"
        before = visitor().get(f"{base}/healthz")
        assert before.status_code == 503 and before.json()["worker"] == MISSING

        heartbeat = root / "var/lib/snt/files/worker/heartbeat"
        worker = unit_exec_start(units / "snt-worker.service", port)
        with running([*as_snt, *worker], None, tmp_path / "worker.log", env, app_dir, heartbeat.exists):
            health = visitor().get(f"{base}/healthz")
            assert health.status_code == 200
            assert health.json() == {"status": "ok", "database": "ok", "migrations": "ok", "worker": "ok"}
        assert login(visitor(), base, ADMIN, password).status_code == 302


def test_the_installed_readings_reminder_runs(installed):
    root, _, _ = installed
    command = unit_exec_start(root / "etc/systemd/system/snt-readings-remind.service", 0)
    env = {"PATH": os.environ["PATH"]} | read_env(root / "etc/snt/snt.env")
    result = subprocess.run(
        ["runuser", "-u", "snt", "--", *command],
        cwd=root / "opt/snt/app",
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Приём показаний" in result.stdout  # closed or open, it says so (no window is set up here)


def test_install_again_changes_nothing_and_prints_no_password(installed):
    root, upstream, _ = installed
    env_before = (root / "etc/snt/snt.env").read_bytes()
    again = run_script(
        upstream / "deploy/install.sh", root, DOMAIN, "--admin-email", ADMIN, stdin="Other-Pass-2026\n"
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "уже есть; не изменены" in again.stdout
    assert f"Учётная запись {ADMIN} уже есть; не изменена." in again.stdout
    assert "Пароль" not in again.stdout
    assert (root / "etc/snt/snt.env").read_bytes() == env_before


def test_install_reads_the_password_from_standard_input(installed):
    root, upstream, _ = installed
    second = "treasurer@snt.test.example"
    result = run_script(
        upstream / "deploy/install.sh", root, DOMAIN, "--admin-email", second, stdin="Kaznachei-2026\n"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Учётная запись {second} (board) создана." in result.stdout and "Пароль" not in result.stdout


def newest_revision(upstream: Path) -> str:
    config = Config()
    config.set_main_option("script_location", str(upstream / "migrations"))
    [head] = ScriptDirectory.from_config(config).get_heads()
    return head


def tables(root: Path) -> set[str]:
    with sqlite3.connect(root / "var/lib/snt/snt.sqlite3") as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_upgrade_whose_migration_fails_restores_the_database_and_the_code(installed):
    root, upstream, _ = installed
    app_dir = root / "opt/snt/app"
    before = git(app_dir, "rev-parse", "HEAD").strip()
    (upstream / "migrations/versions/9999_broken.py").write_text(
        f'''"""A migration that fails halfway (the test of upgrade.sh)."""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{newest_revision(upstream)}"


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    raise RuntimeError("broken on purpose")
'''
    )
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "a broken migration")
    result = run_script(app_dir / "deploy/upgrade.sh", root)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Миграция не прошла: возвращаю копию базы" in result.stderr
    assert "обновление отменено; сайт работает на прежней версии с прежней базой" in result.stderr
    assert git(app_dir, "rev-parse", "HEAD").strip() == before
    assert "half_done" not in tables(root) and "account" in tables(root)

    git(upstream, "revert", "--no-edit", "HEAD")
    result = run_script(app_dir / "deploy/upgrade.sh", root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Готово: версия" in result.stdout
    assert "режим проверки: не выполнено: systemctl stop snt.service snt-worker.service" in result.stdout
    assert git(app_dir, "rev-parse", "HEAD") == git(upstream, "rev-parse", "HEAD")
    copies = list((root / "var/backups/snt").glob("upgrade-*/*.sqlite3"))
    assert len(copies) == 2  # one copy before each upgrade
