"""petitions: voter meetings, petitions with voters and sources, agencies, answers, the public form, the mail queue

Revision ID: i23_petitions
Revises: i24_transcripts
Create Date: 2026-12-07 11:57:25.055442
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i23_petitions"
down_revision: str | None = "i24_transcripts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The searchable text `petitions.folded` is indexed by hand, per dialect (env.py leaves "*_fts*" names alone): SQLite
# in an FTS5 table kept by triggers, with its vocabulary (how many petitions hold each word) for duplicate
# suggestions; PostgreSQL in a generated tsvector column with a GIN index, and pg_trgm, whose similarity orders
# duplicate candidates. Tests and `hopso migrate` run as a role that may create the extension.
SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE petitions_fts USING fts5("
    "folded, content='petitions', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER petitions_fts_insert AFTER INSERT ON petitions BEGIN "
    "INSERT INTO petitions_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER petitions_fts_delete AFTER DELETE ON petitions BEGIN "
    "INSERT INTO petitions_fts(petitions_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER petitions_fts_update AFTER UPDATE OF folded ON petitions BEGIN "
    "INSERT INTO petitions_fts(petitions_fts, rowid, folded) VALUES ('delete', old.id, old.folded); "
    "INSERT INTO petitions_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE VIRTUAL TABLE petitions_fts_vocab USING fts5vocab(petitions_fts, 'row')",
)
SQLITE_SEARCH_DOWN = (
    "DROP TABLE IF EXISTS petitions_fts_vocab",
    "DROP TRIGGER IF EXISTS petitions_fts_update",
    "DROP TRIGGER IF EXISTS petitions_fts_delete",
    "DROP TRIGGER IF EXISTS petitions_fts_insert",
    "DROP TABLE IF EXISTS petitions_fts",
)
POSTGRES_SEARCH = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE petitions ADD COLUMN folded_fts tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED",
    "CREATE INDEX ix_petitions_folded_fts ON petitions USING gin (folded_fts)",
)
POSTGRES_SEARCH_DOWN = (
    "DROP INDEX IF EXISTS ix_petitions_folded_fts",
    "ALTER TABLE petitions DROP COLUMN IF EXISTS folded_fts",
)


def _search(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> None:
    for statement in sqlite if op.get_bind().dialect.name == "sqlite" else postgres:
        op.execute(statement)


def upgrade() -> None:
    op.create_table(
        "mail_queue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_queue")),
    )
    with op.batch_alter_table("mail_queue", schema=None) as batch_op:
        batch_op.create_index("ix_mail_queue_due", ["sent_at", "next_attempt_at"], unique=False)

    op.create_table(
        "petition_agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column(
            "level",
            sa.Enum("commune", "province", "central", name="level", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_petition_agencies_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_agencies")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_petition_agencies_council_id_name")),
    )
    with op.batch_alter_table("petition_agencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_agencies_council_id"), ["council_id"], unique=False)

    op.create_table(
        "voter_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column(
            "mode", sa.Enum("in_person", "online", name="meetingmode", native_enum=False, length=32), nullable=False
        ),
        sa.Column("voter_count", sa.Integer(), nullable=False),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_voter_meetings_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voter_meetings")),
    )
    with op.batch_alter_table("voter_meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_voter_meetings_council_id"), ["council_id"], unique=False)

    op.create_table(
        "petition_agency_accounts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["petition_agencies.id"],
            name=op.f("fk_petition_agency_accounts_agency_id_petition_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_petition_agency_accounts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_petition_agency_accounts")),
    )
    with op.batch_alter_table("petition_agency_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_agency_accounts_agency_id"), ["agency_id"], unique=False)

    op.create_table(
        "petition_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_petition_imports_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_petition_imports_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_imports")),
    )
    with op.batch_alter_table("petition_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_imports_council_id"), ["council_id"], unique=False)

    op.create_table(
        "petitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("folded", sa.Text(), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column("locality", sa.String(length=200), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("meeting", "online", "letter", "hotline", name="channel", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "level",
            sa.Enum("commune", "province", "central", name="level", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "received",
                "classified",
                "forwarded",
                "answered",
                "closed",
                "returned",
                name="petitionstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("return_reason", sa.Text(), nullable=False),
        sa.Column("voter_count", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=100), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "rating",
            sa.Enum("satisfied", "partly", "not_satisfied", name="rating", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("rating_note", sa.Text(), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["petition_agencies.id"],
            name=op.f("fk_petitions_agency_id_petition_agencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
            name=op.f("fk_petitions_agenda_item_id_agenda_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_petitions_council_id_councils"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_petitions_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["petition_imports.id"],
            name=op.f("fk_petitions_import_id_petition_imports"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["voter_meetings.id"],
            name=op.f("fk_petitions_meeting_id_voter_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["petitions.id"],
            name=op.f("fk_petitions_merged_into_id_petitions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petitions")),
    )
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.create_index("ix_petitions_agency_deadline", ["agency_id", "deadline"], unique=False)
        batch_op.create_index(batch_op.f("ix_petitions_agenda_item_id"), ["agenda_item_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_petitions_import_id"), ["import_id"], unique=False)
        batch_op.create_index("ix_petitions_listed", ["council_id", "merged_into_id", "id"], unique=False)
        batch_op.create_index("ix_petitions_by_status", ["council_id", "merged_into_id", "status", "id"], unique=False)
        batch_op.create_index("ix_petitions_by_field", ["council_id", "merged_into_id", "field", "id"], unique=False)
        batch_op.create_index(
            "ix_petitions_by_locality", ["council_id", "merged_into_id", "locality", "id"], unique=False
        )
        batch_op.create_index(
            "ix_petitions_by_published", ["council_id", "merged_into_id", "published", "id"], unique=False
        )
        batch_op.create_index(
            "ix_petitions_by_deadline", ["council_id", "merged_into_id", "status", "deadline"], unique=False
        )

    op.create_table(
        "petition_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["petition_agencies.id"],
            name=op.f("fk_petition_answers_agency_id_petition_agencies"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["users.id"],
            name=op.f("fk_petition_answers_answered_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_answers_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_answers")),
    )
    with op.batch_alter_table("petition_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_answers_petition_id"), ["petition_id"], unique=False)

    op.create_table(
        "petition_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("assigned_by_user_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["petition_agencies.id"],
            name=op.f("fk_petition_assignments_agency_id_petition_agencies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by_user_id"],
            ["users.id"],
            name=op.f("fk_petition_assignments_assigned_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_assignments_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_assignments")),
    )
    with op.batch_alter_table("petition_assignments", schema=None) as batch_op:
        batch_op.create_index("ix_petition_assignments_agency_active", ["agency_id", "active"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_assignments_petition_id"), ["petition_id"], unique=False)

    op.create_table(
        "petition_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("actor_user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_user_id"], ["users.id"], name=op.f("fk_petition_events_actor_user_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petitions.id"], name=op.f("fk_petition_events_petition_id_petitions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_events")),
    )
    with op.batch_alter_table("petition_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_events_petition_id"), ["petition_id"], unique=False)

    op.create_table(
        "petition_sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column(
            "channel",
            sa.Enum("meeting", "online", "letter", "hotline", name="channel", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=300), nullable=False),
        sa.Column("voter_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["voter_meetings.id"],
            name=op.f("fk_petition_sources_meeting_id_voter_meetings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_sources_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_sources")),
    )
    with op.batch_alter_table("petition_sources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_sources_petition_id"), ["petition_id"], unique=False)

    op.create_table(
        "petition_submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("locality", sa.String(length=200), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "accepted", "rejected", name="submissionstatus", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("petition_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("challenge", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"],
            ["councils.id"],
            name=op.f("fk_petition_submissions_council_id_councils"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_petition_submissions_petition_id_petitions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_submissions")),
        sa.UniqueConstraint("challenge", name=op.f("uq_petition_submissions_challenge")),
    )
    with op.batch_alter_table("petition_submissions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_submissions_council_id"), ["council_id"], unique=False)
        batch_op.create_index("ix_petition_submissions_sender_at", ["sender", "created_at"], unique=False)

    op.create_table(
        "petition_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["petition_answers.id"],
            name=op.f("fk_petition_attachments_answer_id_petition_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_attachments")),
    )
    with op.batch_alter_table("petition_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_attachments_answer_id"), ["answer_id"], unique=False)

    op.create_table(
        "petition_voters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("folded_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["petition_id"], ["petitions.id"], name=op.f("fk_petition_voters_petition_id_petitions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["petition_sources.id"],
            name=op.f("fk_petition_voters_source_id_petition_sources"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_petition_voters")),
    )
    with op.batch_alter_table("petition_voters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_petition_voters_folded_name"), ["folded_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_petition_voters_petition_id"), ["petition_id"], unique=False)

    _search(SQLITE_SEARCH, POSTGRES_SEARCH)


def downgrade() -> None:
    _search(SQLITE_SEARCH_DOWN, POSTGRES_SEARCH_DOWN)
    with op.batch_alter_table("petition_voters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_voters_petition_id"))
        batch_op.drop_index(batch_op.f("ix_petition_voters_folded_name"))

    op.drop_table("petition_voters")
    with op.batch_alter_table("petition_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_attachments_answer_id"))

    op.drop_table("petition_attachments")
    with op.batch_alter_table("petition_submissions", schema=None) as batch_op:
        batch_op.drop_index("ix_petition_submissions_sender_at")
        batch_op.drop_index(batch_op.f("ix_petition_submissions_council_id"))

    op.drop_table("petition_submissions")
    with op.batch_alter_table("petition_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_sources_petition_id"))

    op.drop_table("petition_sources")
    with op.batch_alter_table("petition_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_events_petition_id"))

    op.drop_table("petition_events")
    with op.batch_alter_table("petition_assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_assignments_petition_id"))
        batch_op.drop_index("ix_petition_assignments_agency_active")

    op.drop_table("petition_assignments")
    with op.batch_alter_table("petition_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_answers_petition_id"))

    op.drop_table("petition_answers")
    with op.batch_alter_table("petitions", schema=None) as batch_op:
        batch_op.drop_index("ix_petitions_by_deadline")
        batch_op.drop_index("ix_petitions_by_published")
        batch_op.drop_index("ix_petitions_by_locality")
        batch_op.drop_index("ix_petitions_by_field")
        batch_op.drop_index("ix_petitions_by_status")
        batch_op.drop_index("ix_petitions_listed")
        batch_op.drop_index(batch_op.f("ix_petitions_import_id"))
        batch_op.drop_index(batch_op.f("ix_petitions_agenda_item_id"))
        batch_op.drop_index("ix_petitions_agency_deadline")

    op.drop_table("petitions")
    with op.batch_alter_table("petition_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_imports_council_id"))

    op.drop_table("petition_imports")
    with op.batch_alter_table("petition_agency_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_agency_accounts_agency_id"))

    op.drop_table("petition_agency_accounts")
    with op.batch_alter_table("voter_meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_voter_meetings_council_id"))

    op.drop_table("voter_meetings")
    with op.batch_alter_table("petition_agencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_petition_agencies_council_id"))

    op.drop_table("petition_agencies")
    with op.batch_alter_table("mail_queue", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_queue_due")

    op.drop_table("mail_queue")
