"""drop the plot_id indexes of readings and charges, and the charges' (plot_id, period_start):
the unique constraints and ix_charge_plot_id_kind_period_start_amount begin with the same columns
(every query of charges by period names the kind), so they find the same rows, and every insert
of an import paid for maintaining each index (issue 12)

Revision ID: 0027
Revises: 0022
Create Date: 2026-12-03 12:00:00

"""

from alembic import op


revision = "0027"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_reading_plot_id", table_name="reading")
    op.drop_index("ix_charge_plot_id", table_name="charge")
    op.drop_index("ix_charge_plot_id_period_start", table_name="charge")


def downgrade():
    op.create_index("ix_charge_plot_id_period_start", "charge", ["plot_id", "period_start"])
    op.create_index("ix_charge_plot_id", "charge", ["plot_id"])
    op.create_index("ix_reading_plot_id", "reading", ["plot_id"])
