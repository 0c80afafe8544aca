"""login throttle per login and address, with a daily window (issue 11, item 4)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 21:00:00

Rows now count a login's failures in a day (from `window_started_at`), either from any address
(key «account:12») or from one address (key «account:12|<hash>»). Old rows keep counting from
their last failure.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('window_started_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE login_throttle SET window_started_at = last_failure_at")
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.alter_column('window_started_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_failure_at'))
        batch_op.create_index(batch_op.f('ix_login_throttle_window_started_at'), ['window_started_at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_window_started_at'))
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)
        batch_op.drop_column('window_started_at')
