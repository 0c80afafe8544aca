"""Moving the site from SQLite to PostgreSQL: every row of every table, copied into an empty
database in one transaction, then counted on both sides.

The target gets the schema from the models (tests/test_migrations.py holds them equal to the
migrations) and the source's migration revision, so `flask db upgrade` carries on from there.
"""

from sqlalchemy import Engine, MetaData, create_engine, func, insert, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

BATCH = 1000


class CopyError(Exception):
    """Nothing was copied (or the copy was rolled back); the Russian message says why."""


def copy_database(source: Engine, target_uri: str, metadata: MetaData) -> dict[str, int]:
    """Copy all of `metadata`'s tables from `source` into the empty database at `target_uri`.

    Returns the rows per table, equal on both sides (checked after the commit)."""
    try:
        target = create_engine(target_uri)
    except (SQLAlchemyError, ValueError) as exc:
        raise CopyError(f"Адрес базы не понят: {exc}") from exc
    try:
        return _copy(source, target, metadata)
    except SQLAlchemyError as exc:
        raise CopyError(f"Копирование не удалось, в новой базе ничего не записано: {exc}") from exc
    finally:
        target.dispose()


def _copy(source: Engine, target: Engine, metadata: MetaData) -> dict[str, int]:
    if source.url == target.url:
        raise CopyError("Это та же самая база. Укажите другую.")
    with target.connect() as conn:
        existing = inspect(conn).get_table_names()
    if existing:
        raise CopyError(
            f"В новой базе уже есть таблицы ({', '.join(sorted(existing)[:5])}…): копировать можно только в пустую."
        )
    with source.connect() as src:
        revisions = [row[0] for row in src.execute(text("SELECT version_num FROM alembic_version"))]
        counts: dict[str, int] = {}
        with target.begin() as dst:
            metadata.create_all(dst)
            for table in reversed(metadata.sorted_tables):  # a row create_all wrote (the ledger
                dst.execute(table.delete())  # version, snt/models/versions.py) gives way to the source's
            dst.execute(
                text(
                    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
                )
            )
            for revision in revisions:
                dst.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})
            for table in metadata.sorted_tables:  # parents before children: foreign keys hold
                counts[table.name] = 0
                # By id: a row naming an older row of its own table (a reversal its payment) comes after it.
                result = src.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                while batch := result.fetchmany(BATCH):
                    dst.execute(insert(table), [dict(row) for row in batch])
                    counts[table.name] += len(batch)
            if dst.dialect.name == "postgresql":
                _advance_sequences(dst, metadata)
        with target.connect() as dst:
            for table in metadata.sorted_tables:
                copied = dst.scalar(select(func.count()).select_from(table))
                if copied != counts[table.name]:
                    raise CopyError(
                        f"Таблица {table.name}: скопировано {copied} строк из {counts[table.name]}."
                    )
    return counts


def _advance_sequences(conn, metadata: MetaData) -> None:
    """Rows came with their ids: the next id PostgreSQL hands out must follow the largest one."""
    for table in metadata.sorted_tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )
