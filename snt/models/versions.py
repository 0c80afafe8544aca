"""The ledger's version: one row whose value database triggers change with every write to the tables
the cabinet's figures are computed from (snt.figures keeps those figures per version).

Triggers, not application code, so that no write path can forget it: an import, a reversal, a
correction, a tariff, the registry, a board setting, a shell session or a migration all bump it. On
SQLite a trigger runs per row, on PostgreSQL once per statement. The new value is the old one plus 1
plus a random part, so a database restored from a backup and written to never comes back to a
value a running process saw before the restore.

Why every row on SQLite, not once per transaction: a WHEN clause could skip the UPDATE only if the
trigger could tell "this transaction bumped already" from "another one did", and SQLite shows a
trigger nothing that names a transaction or a connection. total_changes(), changes() and
last_insert_rowid() are per-connection counters that another connection can hold at the very
values a marker recorded, 'now' repeats within a millisecond, and main-schema triggers cannot read
temp tables; a marker written with the value would sooner or later make some connection's write
skip its bump. Dropping the UPDATE and DELETE triggers of charge is no safer: a correction, a
shell session or a migration may write charges alone. What a trigger costs is mostly per
statement anyway (a statement journal, written to a temporary file), so SQLite gets
inserts of many rows as multi-row statements (snt.database.batch_inserts).
"""

from sqlalchemy import BigInteger, Connection, event, text
from sqlalchemy.orm import Mapped, mapped_column

from snt.extensions import db
from snt.models.base import Model

# The tables whose rows the cabinet's figures read: balances, allocation, periods, tariffs, the
# plot's meter type, the board's settings (the electricity due day), the requisites of the QR codes
# and the imports (the date in «Статус моих оплат от …»).
TRACKED = (
    "charge",
    "payment",
    "reading",
    "tariff",
    "plot",
    "board_setting",
    "bank_requisites",
    "data_import",
)


class LedgerVersion(Model):
    __tablename__ = "ledger_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION bump_ledger_version() RETURNS trigger AS $$
BEGIN
  UPDATE ledger_version SET value = value + 1 + floor(random() * 1073741824)::bigint WHERE id = 1;
  RETURN NULL;
END $$ LANGUAGE plpgsql
"""
_SQLITE_BUMP = "UPDATE ledger_version SET value = value + 1 + (random() & 1073741823) WHERE id = 1;"


def trigger_statements(dialect: str) -> list[str]:
    """The DDL that makes every write to TRACKED change the version (SQLite or PostgreSQL)."""
    if dialect == "postgresql":
        statements = [_PG_FUNCTION]
        for table in TRACKED:
            statements.append(f"DROP TRIGGER IF EXISTS {table}_bumps_ledger_version ON {table}")
            statements.append(
                f"CREATE TRIGGER {table}_bumps_ledger_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION bump_ledger_version()"
            )
        return statements
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_{action.lower()}_bumps_ledger_version AFTER {action} ON {table} "
        f"BEGIN {_SQLITE_BUMP} END"
        for table in TRACKED
        for action in ("INSERT", "UPDATE", "DELETE")
    ]


def install(conn: Connection) -> None:
    """The version row and the triggers (the migration and `db.create_all` both call this)."""
    for statement in trigger_statements(conn.dialect.name):
        conn.execute(text(statement))
    if conn.execute(text("SELECT count(*) FROM ledger_version WHERE id = 1")).scalar() == 0:
        conn.execute(text("INSERT INTO ledger_version (id, value) VALUES (1, 0)"))


@event.listens_for(db.metadata, "after_create")
def _after_create_all(target, connection: Connection, **kw) -> None:
    """`db.create_all` (the tests, `flask init-db`, the copy to PostgreSQL): the same as the migration."""
    tables = kw.get("tables")
    if tables is None or any(t.name == "ledger_version" for t in tables):
        install(connection)
