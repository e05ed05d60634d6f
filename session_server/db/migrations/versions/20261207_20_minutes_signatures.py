"""minutes signatures: each signature of the secretary, the chair and the seal, and where each goes

Revision ID: i20_minutes_signatures
Revises: 0007
Create Date: 2026-12-07 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "i20_minutes_signatures"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("signatures", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
        batch.add_column(sa.Column("signing", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch.drop_column("signature")
    with op.batch_alter_table("minutes") as batch:
        batch.alter_column("signatures", server_default=None)
        batch.alter_column("signing", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("minutes") as batch:
        batch.add_column(sa.Column("signature", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch.drop_column("signing")
        batch.drop_column("signatures")
    with op.batch_alter_table("minutes") as batch:
        batch.alter_column("signature", server_default=None)
