"""ballot templates per council, and the delegate's own check-in time beside the attendance status

Revision ID: i22_ballot_templates_and_checkin
Revises: i20_minutes_signatures
Create Date: 2026-12-07 09:00:00.000000

The attendance statuses late and left_early need no change to the table: statuses are stored as text.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i22_ballot_templates_and_checkin"
down_revision: str | None = "i20_minutes_signatures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ballot_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "resolution",
                "amendment",
                "procedural",
                "dismissal",
                "election",
                "confidence_vote",
                "confidence_poll",
                name="motionkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "ballot_type",
            sa.Enum("open", "named", "secret", name="ballottype", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("allow_change", sa.Boolean(), nullable=False),
        sa.Column("requires_quorum", sa.Boolean(), nullable=False),
        sa.Column("countdown_seconds", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_ballot_templates_council_id_councils"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_templates")),
        sa.UniqueConstraint("council_id", "name", name=op.f("uq_ballot_templates_council_id_name")),
    )
    with op.batch_alter_table("ballot_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ballot_templates_council_id"), ["council_id"], unique=False)

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_column("checked_in_at")

    with op.batch_alter_table("ballot_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ballot_templates_council_id"))

    op.drop_table("ballot_templates")
