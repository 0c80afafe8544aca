"""Consistent copies of the database while the site runs.

SQLite: the backup API (never a file copy: `cp` of a live WAL database can copy a torn state),
into a temporary file that becomes PATH only after `PRAGMA integrity_check` says "ok".
PostgreSQL: pg_dump does it; `backup_database` explains how instead of copying.
"""

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import URL, Engine


class BackupError(Exception):
    """The copy was not made; the Russian message says why and what to do."""


@dataclass
class BackupReport:
    path: Path
    size: int
    tables: int


def backup_database(engine: Engine, target: str | os.PathLike, overwrite: bool = False) -> BackupReport:
    """Copy the database behind `engine` to `target` (a file, or a folder for a dated name)."""
    if engine.dialect.name == "postgresql":
        raise BackupError(postgres_instructions(engine.url, target))
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        raise BackupError(f"Резервная копия базы {engine.url.get_backend_name()} этой командой не делается.")
    source = Path(engine.url.database).resolve()
    if not source.exists():
        raise BackupError(f"Файла базы {source} нет: нечего копировать.")
    if str(target).endswith(("/", os.sep)) and not Path(target).is_dir():
        raise BackupError(f"Папки {target} нет. Создайте её или укажите другой путь.")
    path = _target_path(Path(target), source, overwrite)
    partial = path.with_name(path.name + ".partial")
    try:
        tables = _copy(source, partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return BackupReport(path=path, size=path.stat().st_size, tables=tables)


def _target_path(target: Path, source: Path, overwrite: bool) -> Path:
    if target.is_dir():
        target = target / f"{source.stem}-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    elif not target.parent.is_dir():
        raise BackupError(f"Папки {target.parent} нет. Создайте её или укажите другой путь.")
    if target.resolve() == source:
        raise BackupError("Это файл самой базы. Укажите другой путь для копии.")
    if target.exists() and not overwrite:
        raise BackupError(f"Файл {target} уже есть. Укажите другой путь или добавьте --overwrite.")
    return target


def _copy(source: Path, destination: Path) -> int:
    src = sqlite3.connect(source)  # reads only; read-write so it can use the live WAL files
    dst = sqlite3.connect(destination)
    try:
        src.execute("PRAGMA busy_timeout=5000")
        # One step (pages=-1): a single read transaction, so the copy is one consistent snapshot.
        # WAL lets the site keep writing meanwhile.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained file; WAL returns on restore
        result = [row[0] for row in dst.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise BackupError("Копия не прошла проверку integrity_check: " + "; ".join(result[:5]))
        return dst.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.Error as exc:
        raise BackupError(f"Копия не сделана: {exc}") from exc
    finally:
        dst.close()
        src.close()


def postgres_instructions(url: URL, target: str | os.PathLike) -> str:
    """How to back up and restore a PostgreSQL database (the password stays out of the text)."""
    conninfo = f"postgresql://{quote(url.username or '')}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"
    return (
        "База — PostgreSQL: резервную копию делает pg_dump (согласованный снимок, сайт может работать):\n"
        f"  pg_dump --format=custom --file={target} '{conninfo}'\n"
        "Восстановление в пустую базу:\n"
        f"  pg_restore --no-owner --dbname='{conninfo}' {target}\n"
        "Пароль pg_dump и pg_restore спросят или возьмут из ~/.pgpass."
    )
