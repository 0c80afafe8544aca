"""Consistent copies of the database while the site runs, and restoring one.

SQLite: the backup API (never a file copy: `cp` of a live WAL database can copy a torn state),
into a temporary file that becomes PATH only after `PRAGMA integrity_check` says "ok".
PostgreSQL: `pg_dump --format=custom` into a temporary file that becomes PATH only after
`pg_restore --list` reads it back. The nightly timer and deploy/upgrade.sh call the same
`flask backup` whatever the database.
"""

import os
import re
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine

# The names `backup_database` gives in a folder; `prune_backups` deletes only files named so.
STAMP = "%Y%m%d-%H%M%S"
DATED_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})\.(sqlite3|dump)$")


class BackupError(Exception):
    """The copy was not made (or not restored); the Russian message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    size: int
    tables: int
    check: str  # what verified the copy


def backup_database(engine: Engine, target: str | os.PathLike, overwrite: bool = False) -> BackupReport:
    """Copy the database behind `engine` to `target` (a file, or a folder for a dated name)."""
    if str(target).endswith(("/", os.sep)) and not Path(target).is_dir():
        raise BackupError(f"Папки {target} нет. Создайте её или укажите другой путь.")
    if engine.dialect.name == "postgresql":
        path = _target_path(Path(target), engine.url.database or "snt", ".dump", None, overwrite)
        return _write_verified(path, lambda partial: _pg_dump(engine, partial))
    source = _sqlite_file(engine)
    path = _target_path(Path(target), source.stem, ".sqlite3", source, overwrite)
    return _write_verified(path, lambda partial: _copy(source, partial))


def restore_database(engine: Engine, source: str | os.PathLike) -> BackupReport:
    """Replace the database behind `engine` with the copy `source` (the site must be stopped).

    The copy is checked before anything is touched; a copy that fails the check changes nothing.
    """
    path = Path(source)
    if not path.is_file():
        raise BackupError(f"Файла {path} нет: восстанавливать нечего.")
    engine.dispose()  # our own pooled connections must not hold the old database
    if engine.dialect.name == "postgresql":
        tables = _pg_restore(engine, path)
        return BackupReport(path=path, size=path.stat().st_size, tables=tables, check="pg_restore")
    database = _sqlite_file(engine)
    tables = _sqlite_restore(path, database)
    return BackupReport(path=path, size=path.stat().st_size, tables=tables, check="integrity_check")


def prune_backups(folder: str | os.PathLike, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Delete the dated copies in `folder` older than `keep_days` days (by the date in the name)."""
    limit = (now or datetime.now()) - timedelta(days=keep_days)
    removed = []
    for path in sorted(Path(folder).iterdir()):
        match = DATED_NAME.match(path.name)
        if match and path.is_file() and datetime.strptime(match["stamp"], STAMP) < limit:
            path.unlink()
            removed.append(path)
    return removed


def _sqlite_file(engine: Engine) -> Path:
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        raise BackupError(f"Резервная копия базы {engine.url.get_backend_name()} этой командой не делается.")
    source = Path(engine.url.database).resolve()
    if not source.exists():
        raise BackupError(f"Файла базы {source} нет: нечего копировать.")
    return source


def _target_path(target: Path, stem: str, suffix: str, source: Path | None, overwrite: bool) -> Path:
    if target.is_dir():
        target = target / f"{stem}-{datetime.now():{STAMP}}{suffix}"
    elif not target.parent.is_dir():
        raise BackupError(f"Папки {target.parent} нет. Создайте её или укажите другой путь.")
    if source is not None and target.resolve() == source:
        raise BackupError("Это файл самой базы. Укажите другой путь для копии.")
    if target.exists() and not overwrite:
        raise BackupError(f"Файл {target} уже есть. Укажите другой путь или добавьте --overwrite.")
    return target


def _write_verified(path: Path, write) -> BackupReport:
    """Run `write(partial)`, which returns (tables, check), and give the copy its name only then."""
    partial = path.with_name(path.name + ".partial")
    try:
        tables, check = write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(path=path, size=path.stat().st_size, tables=tables, check=check)


def _copy(source: Path, destination: Path) -> tuple[int, str]:
    src = sqlite3.connect(source)  # reads only; read-write so it can use the live WAL files
    dst = sqlite3.connect(destination)
    try:
        src.execute("PRAGMA busy_timeout=5000")
        # One step (pages=-1): a single read transaction, so the copy is one consistent snapshot.
        # WAL lets the site keep writing meanwhile.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file; WAL returns on restore
        return _integrity(dst), "integrity_check"
    except sqlite3.Error as exc:
        raise BackupError(f"Копия не сделана: {exc}") from exc
    finally:
        dst.close()
        src.close()


def _integrity(conn: sqlite3.Connection) -> int:
    """Raise unless the database passes integrity_check; return its number of tables."""
    result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError("Копия не прошла проверку integrity_check: " + "; ".join(result[:5]))
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]


def _sqlite_restore(copy: Path, database: Path) -> int:
    try:
        src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        try:
            tables = _integrity(src)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Файл {copy} — не копия базы SQLite: {exc}") from exc
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    dst = sqlite3.connect(database)
    try:
        dst.execute("PRAGMA busy_timeout=5000")
        # Through the live database's own connection: its WAL stays consistent with the new pages.
        src.backup(dst)
        _integrity(dst)
    except sqlite3.Error as exc:
        raise BackupError(f"Копия не восстановлена: {exc}") from exc
    finally:
        dst.close()
        src.close()
    return tables


def _pg_env(engine: Engine) -> dict[str, str]:
    """libpq's variables for the engine's database: the password never appears on a command line."""
    url = engine.url
    env = dict(os.environ)
    env.update(
        {"PGHOST": url.host or "localhost", "PGPORT": str(url.port or 5432), "PGDATABASE": url.database or ""}
    )
    if url.username:
        env["PGUSER"] = url.username
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _run(command: list[str], env: dict[str, str], what: str, **kwargs) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, env=env, capture_output=True, **kwargs)
    except FileNotFoundError as exc:
        raise BackupError(
            f"Нет программы {command[0]}: поставьте клиент PostgreSQL той же версии, что и сервер "
            "(Debian: apt-get install postgresql-client)."
        ) from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise BackupError(f"{what}: {command[0]} завершился с ошибкой: {' / '.join(detail[-3:])}")
    return result


def _pg_tables(dump: Path, env: dict[str, str]) -> int:
    """Read the dump's table of contents back (the check that it is whole); count its tables."""
    listing = _run(["pg_restore", "--list", str(dump)], env, "Проверка копии").stdout.decode()
    return sum(1 for line in listing.splitlines() if " TABLE DATA " in line)


def _pg_dump(engine: Engine, destination: Path) -> tuple[int, str]:
    env = _pg_env(engine)
    _run(["pg_dump", "--format=custom", "--no-owner", f"--file={destination}"], env, "Копия не сделана")
    return _pg_tables(destination, env), "pg_restore --list"


def _pg_restore(engine: Engine, dump: Path) -> int:
    env = _pg_env(engine)
    tables = _pg_tables(dump, env)  # a damaged or foreign file stops here, before any change
    script = _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(dump)], env, "Копия не прочитана"
    )
    # One transaction: the schema is emptied and refilled together, or not at all.
    prelude = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    _run(
        ["psql", "--quiet", "--no-psqlrc", "-v", "ON_ERROR_STOP=1", "--single-transaction", "--file=-"],
        env,
        "Копия не восстановлена",
        input=prelude + script.stdout,
    )
    return tables
