"""money by hand: payment reversals, opening balances from the old books, unmatched statement
payments, a statement for another account loaded on purpose (issue 14, items 5 and 6)

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-03 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_payment_reverses_id'), ['reverses_id'])
        batch_op.create_foreign_key(batch_op.f('fk_payment_reverses_id_payment'), 'payment', ['reverses_id'], ['id'])
    with op.batch_alter_table('staged_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('other_account', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        'opening_balance',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plot_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('as_of', sa.Date(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('charge_id', sa.Integer(), nullable=True),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['charge_id'], ['charge.id'], name=op.f('fk_opening_balance_charge_id_charge')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_opening_balance_payment_id_payment')),
        sa.ForeignKeyConstraint(['plot_id'], ['plot.id'], name=op.f('fk_opening_balance_plot_id_plot')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_balance')),
        sa.UniqueConstraint('plot_id', 'kind', name=op.f('uq_opening_balance_plot_id')),
    )
    with op.batch_alter_table('opening_balance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_opening_balance_plot_id'), ['plot_id'], unique=False)
    op.create_table(
        'unmatched_payment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('payer', sa.String(length=300), nullable=False),
        sa.Column('purpose', sa.String(length=500), nullable=False),
        sa.Column('reason', sa.String(length=300), nullable=False),
        sa.Column('guessed_kind', sa.String(length=20), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_unmatched_payment_payment_id_payment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_unmatched_payment')),
        sa.UniqueConstraint('reference', name=op.f('uq_unmatched_payment_reference')),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table('unmatched_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unmatched_payment_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('unmatched_payment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unmatched_payment_status'))
    op.drop_table('unmatched_payment')
    with op.batch_alter_table('opening_balance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_opening_balance_plot_id'))
    op.drop_table('opening_balance')
    with op.batch_alter_table('staged_import', schema=None) as batch_op:
        batch_op.drop_column('other_account')
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_payment_reverses_id_payment'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_payment_reverses_id'), type_='unique')
        batch_op.drop_column('reverses_id')
