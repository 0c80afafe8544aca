"""payments meet charges: a payment's purpose, source and named period; a fee's due date (issue 13)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.String(length=500), server_default='', nullable=False))
        # Rows loaded before this change: «загружено ранее».
        batch_op.add_column(sa.Column('source', sa.String(length=20), server_default='earlier', nullable=False))
        batch_op.add_column(sa.Column('for_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('for_month', sa.Date(), nullable=True))
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('charge', schema=None) as batch_op:
        batch_op.drop_column('due_on')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_column('for_month')
        batch_op.drop_column('for_year')
        batch_op.drop_column('source')
        batch_op.drop_column('purpose')
