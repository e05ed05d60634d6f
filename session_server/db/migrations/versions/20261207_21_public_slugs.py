"""public addresses: each council's slug, and each session's slug within its council

Revision ID: i21_public_slugs
Revises: i23_petitions
Create Date: 2026-12-07 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from session_server.public.slugs import first_free, slugify

revision: str = "i21_public_slugs"
down_revision: str | None = "i23_petitions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill() -> None:
    """Slugs for the rows stored before addresses existed, oldest first, as the app would have given them."""
    bind = op.get_bind()
    councils = sa.table("councils", sa.column("id"), sa.column("name"), sa.column("short_name"), sa.column("slug"))
    sessions = sa.table("sessions", sa.column("id"), sa.column("council_id"), sa.column("title"), sa.column("slug"))
    taken: set[tuple[int | None, str]] = set()
    for row in bind.execute(sa.select(councils).order_by(councils.c.id)):
        slug = first_free(slugify(row.short_name or row.name, "hoi-dong"), lambda s: (None, s) in taken)
        taken.add((None, slug))
        bind.execute(councils.update().where(councils.c.id == row.id).values(slug=slug))
    for row in bind.execute(sa.select(sessions).order_by(sessions.c.id)):
        scope = row.council_id
        slug = first_free(slugify(row.title, "ky-hop"), lambda s, scope=scope: (scope, s) in taken)
        taken.add((scope, slug))
        bind.execute(sessions.update().where(sessions.c.id == row.id).values(slug=slug))


def upgrade() -> None:
    # Plain ALTER TABLE, never a batch copy: on SQLite a copy drops the table, and with foreign keys on, dropping
    # `councils` would cascade into every session.
    for table in ("councils", "sessions"):
        op.add_column(table, sa.Column("slug", sa.String(length=80), nullable=False, server_default=""))
    _backfill()
    op.create_index("ix_councils_slug", "councils", ["slug"], unique=True)
    op.create_index("ix_sessions_council_id_slug", "sessions", ["council_id", "slug"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_sessions_council_id_slug", table_name="sessions")
    op.drop_index("ix_councils_slug", table_name="councils")
    for table in ("sessions", "councils"):
        op.drop_column(table, "slug")
