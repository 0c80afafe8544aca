"""balance indexes: sums of charges and payments per plot and kind read from covering indexes
(the debtors report, «Сводка», the SMS's «К оплате» at 10 years of history), and the newest
payment date for «Сводка» (issue 12, issue 14 item 7)

Revision ID: 0021
Revises: 0018
Create Date: 2026-12-03 05:00:00

"""

from alembic import op


revision = '0021'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_charge_plot_id_kind_period_start_amount",
        "charge",
        ["plot_id", "kind", "period_start", "amount"],
    )
    op.create_index("ix_payment_plot_id_kind_amount", "payment", ["plot_id", "kind", "amount"])
    op.create_index("ix_payment_paid_on", "payment", ["paid_on"])


def downgrade():
    op.drop_index("ix_payment_paid_on", table_name="payment")
    op.drop_index("ix_payment_plot_id_kind_amount", table_name="payment")
    op.drop_index("ix_charge_plot_id_kind_period_start_amount", table_name="charge")
