"""persons and meetings: owners as person records linked to plots, кадастровый номер, general
meetings with their materials and the notice's delivery log (issue 16)

Every plot's owner fields become a person. Plots sharing a non-empty email get one person (the
same owner of several plots, as the email already verified them together); owners without an
email are never merged by name (namesakes), each plot gets its own person.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 20:50:00

"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=11), nullable=False),
        sa.Column("postal_address", sa.String(length=300), nullable=False),
        sa.Column("is_member", sa.Boolean(), nullable=False),
        sa.Column("member_since", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_email"), ["email"], unique=False)
    conn = op.get_bind()
    plot = sa.table(
        "plot",
        sa.column("id", sa.Integer),
        sa.column("sort_key", sa.String),
        sa.column("owner_name", sa.String),
        sa.column("email", sa.String),
        sa.column("phone", sa.String),
    )
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("full_name", sa.String),
        sa.column("email", sa.String),
        sa.column("phone", sa.String),
        sa.column("postal_address", sa.String),
        sa.column("is_member", sa.Boolean),
        sa.column("created_at", sa.DateTime),
    )
    owner = sa.table("plot_owner", sa.column("plot_id", sa.Integer), sa.column("person_id", sa.Integer))
    now = sa.func.current_timestamp()
    by_email: dict[str, int] = {}
    rows = conn.execute(
        sa.select(plot.c.id, plot.c.owner_name, plot.c.email, plot.c.phone).order_by(plot.c.sort_key, plot.c.id)
    ).all()
    # SQLite's batch mode rebuilds the plot table (env.py turns foreign keys off meanwhile), so
    # the columns go first and the links are written after.
    with op.batch_alter_table("plot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadastral_number", sa.String(length=40), nullable=False, server_default=""))
        batch_op.drop_column("owner_name")
        batch_op.drop_column("email")
        batch_op.drop_column("phone")
    with op.batch_alter_table("plot", schema=None) as batch_op:
        batch_op.alter_column("cadastral_number", server_default=None)
    op.create_table(
        "plot_owner",
        sa.Column("plot_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_plot_owner_person_id_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plot_id"], ["plot.id"], name=op.f("fk_plot_owner_plot_id_plot"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("plot_id", "person_id", name=op.f("pk_plot_owner")),
    )
    with op.batch_alter_table("plot_owner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plot_owner_person_id"), ["person_id"], unique=False)

    for plot_id, name, email, phone in rows:
        name, email, phone = (name or "").strip(), (email or "").strip().lower(), phone or ""
        if not (name or email or phone):
            continue
        person_id = by_email.get(email) if email else None
        if person_id is None:
            person_id = conn.execute(
                sa.insert(person)
                .values(
                    full_name=name, email=email, phone=phone, postal_address="", is_member=True, created_at=now
                )
                .returning(person.c.id)
            ).scalar_one()
            if email:
                by_email[email] = person_id
        conn.execute(sa.insert(owner).values(plot_id=plot_id, person_id=person_id))

    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pinned_until", sa.Date(), nullable=True))
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.Time(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("agenda", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("notice_started_at", sa.DateTime(), nullable=True),
        sa.Column("notice_sms", sa.Boolean(), nullable=False),
        sa.Column("announcement_id", sa.Integer(), nullable=True),
        sa.Column("board_posted_on", sa.Date(), nullable=True),
        sa.Column("board_photo", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["announcement_id"], ["announcement.id"], name=op.f("fk_meeting_announcement_id_announcement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["account.id"], name=op.f("fk_meeting_created_by_id_account"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_held_on"), ["held_on"], unique=False)
    op.create_table(
        "meeting_material",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("attached_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_meeting_material_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_material_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("meeting_id", "document_id", name=op.f("pk_meeting_material")),
    )
    op.create_table(
        "meeting_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("plots", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("gateway_id", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error", sa.String(length=500), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"], name=op.f("fk_meeting_notice_meeting_id_meeting"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_meeting_notice_person_id_person"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_notice")),
        sa.UniqueConstraint("meeting_id", "person_id", "channel", name=op.f("uq_meeting_notice_meeting_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("meeting_notice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_notice_meeting_id"), ["meeting_id"], unique=False)


def downgrade():
    op.drop_table("meeting_notice")
    op.drop_table("meeting_material")
    op.drop_table("meeting")
    with op.batch_alter_table("announcement", schema=None) as batch_op:
        batch_op.drop_column("pinned_until")
    conn = op.get_bind()
    first = conn.execute(
        sa.text(
            "SELECT o.plot_id, p.full_name, p.email, p.phone FROM plot_owner o JOIN person p ON p.id = o.person_id "
            "ORDER BY o.plot_id, p.id"
        )
    ).all()
    op.drop_table("plot_owner")
    with op.batch_alter_table("plot", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_name", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("phone", sa.String(length=11), nullable=False, server_default=""))
        batch_op.drop_column("cadastral_number")
    seen = set()
    for plot_id, name, email, phone in first:
        if plot_id in seen:
            continue
        seen.add(plot_id)
        conn.execute(
            sa.text("UPDATE plot SET owner_name = :n, email = :e, phone = :p WHERE id = :i"),
            {"n": name, "e": email, "p": phone, "i": plot_id},
        )
    op.drop_table("person")
