"""ids that travel in URLs and forms are never reused on SQLite (issue 11)

Without AUTOINCREMENT, SQLite gives a new row the id of the newest deleted one: a claim withdrawn
and re-made for another plot took the id of the row the board had on its screen, and «Подтвердить»
approved the other plot. SQLite can only add AUTOINCREMENT by recreating the table; PostgreSQL
sequences never reuse an id, so there this revision does nothing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 20:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

TABLES = ("account", "plot_claim", "announcement", "document", "contact_message")


def _recreate(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Recreating drops the old table: with foreign keys on, the drop would run the ON DELETE
    # actions of every table that points at it (a CASCADE would remove every claim). env.py turns
    # them off for the migration and checks the keys afterwards.
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("PRAGMA foreign_keys must be OFF while tables are recreated (see migrations/env.py)")
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade():
    _recreate(True)


def downgrade():
    _recreate(False)
