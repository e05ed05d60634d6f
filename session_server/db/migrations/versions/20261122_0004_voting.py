"""voting

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 09:46:16.775260
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ballot_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_ballot_receipts_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_ballot_receipts_motion_id_motions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_receipts")),
        sa.UniqueConstraint("motion_id", "member_id", name=op.f("uq_ballot_receipts_motion_id_member_id")),
    )
    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=200), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.id"], name=op.f("fk_ballots_member_id_members"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_ballots_motion_id_motions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("motion_id", "member_id", name=op.f("uq_ballots_motion_id_member_id")),
    )
    op.create_table(
        "secret_choices",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_secret_choices_motion_id_motions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secret_choices")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("secret_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_secret_choices_motion_id"), ["motion_id"], unique=False)

    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.add_column(
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
                server_default="resolution",
            )
        )
        batch_op.add_column(sa.Column("options", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("seats", sa.Integer(), nullable=False, server_default="1"))
        batch_op.add_column(sa.Column("allow_change", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("requires_quorum", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column("countdown_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "status",
                sa.Enum("pending", "open", "closed", name="motionstatus", native_enum=False, length=32),
                nullable=False,
                server_default="pending",
            )
        )
        batch_op.add_column(sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("deadline", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("motions", schema=None) as batch_op:
        batch_op.drop_column("result")
        batch_op.drop_column("closed_at")
        batch_op.drop_column("deadline")
        batch_op.drop_column("opened_at")
        batch_op.drop_column("status")
        batch_op.drop_column("countdown_seconds")
        batch_op.drop_column("requires_quorum")
        batch_op.drop_column("allow_change")
        batch_op.drop_column("seats")
        batch_op.drop_column("options")
        batch_op.drop_column("kind")

    with op.batch_alter_table("secret_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_secret_choices_motion_id"))

    op.drop_table("secret_choices")
    op.drop_table("ballots")
    op.drop_table("ballot_receipts")
