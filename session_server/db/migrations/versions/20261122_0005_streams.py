"""streams

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 09:54:30.996277
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "media_streams",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("relay_url", sa.String(length=1000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_media_streams_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_media_streams")),
    )
    op.create_table(
        "stream_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=8), nullable=False),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_stream_keys_created_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name=op.f("fk_stream_keys_session_id_sessions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stream_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_stream_keys_key_hash")),
    )
    with op.batch_alter_table("stream_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stream_keys_session_id"), ["session_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stream_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stream_keys_session_id"))

    op.drop_table("stream_keys")
    op.drop_table("media_streams")
