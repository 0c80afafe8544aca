"""meeting hall: who attended the in-person part of a meeting (in person or by proxy, with the
proxy's document) and the show of hands per question, each voided and made again when wrong
(issue 17)

Revision ID: 0025
Revises: 0021
Create Date: 2026-12-03 08:10:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0025"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("plots", sa.String(length=200), nullable=False),
        sa.Column("as_member", sa.Boolean(), nullable=False),
        sa.Column("proxy_name", sa.String(length=200), nullable=False),
        sa.Column("proxy_document", sa.String(length=64), nullable=True),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["account.id"],
            name=op.f("fk_attendance_marked_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_attendance_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_attendance_person_id_person"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["account.id"],
            name=op.f("fk_attendance_voided_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attendance_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            "uq_attendance_live",
            ["meeting_id", "person_id"],
            unique=True,
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )

    op.create_table(
        "hands_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("against", sa.Integer(), nullable=False),
        sa.Column("abstained", sa.Integer(), nullable=False),
        sa.Column("entered_at", sa.DateTime(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by_id"],
            ["account.id"],
            name=op.f("fk_hands_vote_entered_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_hands_vote_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"],
            ["account.id"],
            name=op.f("fk_hands_vote_voided_by_id_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hands_vote")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("hands_vote", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hands_vote_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(
            "uq_hands_vote_live",
            ["meeting_id", "number"],
            unique=True,
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )


def downgrade():
    with op.batch_alter_table("hands_vote", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_hands_vote_live",
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_hands_vote_meeting_id"))
    op.drop_table("hands_vote")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_attendance_live",
            sqlite_where=sa.text("voided_at IS NULL"),
            postgresql_where=sa.text("voided_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_attendance_meeting_id"))
    op.drop_table("attendance")
