"""board settings: the board's own choices in one table (issue 13, item 8)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 20:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('board_setting',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_board_setting'))
    )


def downgrade():
    op.drop_table('board_setting')
