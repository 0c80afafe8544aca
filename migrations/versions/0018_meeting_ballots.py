"""meeting ballots: how each agenda question is decided, online and paper ballots with their
answers (one live ballot per person and meeting), and the closed count (issue 17)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 04:37:55.707678

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=False),
    sa.Column('plots', sa.String(length=200), nullable=False),
    sa.Column('as_member', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('scan', sa.String(length=64), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by_id', sa.Integer(), nullable=True),
    sa.Column('void_reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['account.id'], name=op.f('fk_ballot_entered_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_ballot_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_ballot_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['voided_by_id'], ['account.id'], name=op.f('fk_ballot_voided_by_id_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_ballot_live', ['meeting_id', 'person_id'], unique=True, sqlite_where=sa.text('voided_at IS NULL'), postgresql_where=sa.text('voided_at IS NULL'))

    op.create_table('meeting_count',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('chair', sa.String(length=200), nullable=False),
    sa.Column('secretary', sa.String(length=200), nullable=False),
    sa.Column('commission', sa.Text(), nullable=False),
    sa.Column('members_total', sa.Integer(), nullable=False),
    sa.Column('others_total', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['account.id'], name=op.f('fk_meeting_count_closed_by_id_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_count_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_meeting_count'))
    )
    op.create_table('meeting_question',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rule', sa.String(length=12), nullable=False),
    sa.Column('voters', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_question_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'number', name=op.f('pk_meeting_question'))
    )
    op.create_table('ballot_answer',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballot.id'], name=op.f('fk_ballot_answer_ballot_id_ballot'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', 'number', name=op.f('pk_ballot_answer'))
    )


def downgrade():
    op.drop_table('ballot_answer')
    op.drop_table('meeting_question')
    op.drop_table('meeting_count')
    with op.batch_alter_table('ballot', schema=None) as batch_op:
        batch_op.drop_index('uq_ballot_live', sqlite_where=sa.text('voided_at IS NULL'), postgresql_where=sa.text('voided_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_ballot_meeting_id'))

    op.drop_table('ballot')
