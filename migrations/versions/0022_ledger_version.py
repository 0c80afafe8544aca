"""ledger version: a row that database triggers change with every write to charges, payments,
readings, tariffs, plots and board settings, so the cabinet pages can keep their figures between
writes (issue 12 item 2)

Revision ID: 0022
Revises: 0025
Create Date: 2026-12-03 08:30:00

"""

from alembic import op
import sqlalchemy as sa

from snt.models.versions import TRACKED, install


revision = '0022'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "ledger_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_version")),
    )
    install(op.get_bind())


def downgrade():
    bind = op.get_bind()
    for table in TRACKED:
        if bind.dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bumps_ledger_version ON {table}")
        else:
            for action in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{action}_bumps_ledger_version")
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS bump_ledger_version()")
    op.drop_table("ledger_version")
