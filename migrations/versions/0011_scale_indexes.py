"""scale indexes: readings by date, charges by period start (issue 12)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 21:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reading_taken_on'), ['taken_on'], unique=False)
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.create_index('ix_charge_plot_id_period_start', ['plot_id', 'period_start'], unique=False)
        batch_op.create_index('ix_charge_kind_period_start', ['kind', 'period_start'], unique=False)


def downgrade():
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.drop_index('ix_charge_kind_period_start')
        batch_op.drop_index('ix_charge_plot_id_period_start')
    with op.batch_alter_table('reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reading_taken_on'))
