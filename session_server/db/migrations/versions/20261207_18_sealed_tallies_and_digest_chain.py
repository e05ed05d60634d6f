"""secret votes keep a sealed running tally instead of per-ballot choices; the audit chain hashes event digests

Secret votes already stored are converted: their choices are counted into a sealed tally and the per-ballot rows
are deleted with the table (on SQLite every connection runs with secure_delete, so the freed pages are zeroed; on
PostgreSQL the table's files are removed). Sessions recorded before keep their chain's form (content hashed whole)
and still verify; the events their public record shows whole are those /public was sent.

The downgrade cannot give per-ballot rows back (they must not exist): it recreates the table empty.

Revision ID: i18_sealed_tallies
Revises: i21_public_slugs
Create Date: 2026-12-07 16:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

import voting

revision: str = "i18_sealed_tallies"
down_revision: str | None = "i21_public_slugs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_TYPES = (
    "agenda.current",
    "motion.added",
    "speakers.ended",
    "speakers.extended",
    "speakers.granted",
    "vote.closed",
    "vote.opened",
    "vote.receipt",
)

motions = sa.table(
    "motions",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("ballot_type", sa.String),
    sa.column("status", sa.String),
    sa.column("options", sa.JSON),
    sa.column("seats", sa.Integer),
)
choices = sa.table("secret_choices", sa.column("motion_id", sa.Integer), sa.column("choice", sa.String))
tallies = sa.table("secret_tallies", sa.column("motion_id", sa.Integer), sa.column("sealed", sa.LargeBinary))
events = sa.table("events", sa.column("type", sa.String), sa.column("public", sa.Boolean))


def _secret_key() -> str:
    """The server's secret key: handed over by `hopso migrate`, else the deployment's settings."""
    given = context.config.attributes.get("secret_key")
    if given:
        return str(given)
    from session_server.settings import ensure_secret_key, load_settings

    return ensure_secret_key(load_settings()).secret_key


def _seal_existing_votes(connection: sa.Connection) -> None:
    from session_server.votes.sealed import seal

    secret = connection.execute(
        sa.select(motions).where(motions.c.ballot_type == "secret", motions.c.status.in_(["open", "closed"]))
    ).all()
    key = _secret_key() if secret else ""
    for motion in secret:
        options = [voting.Option(str(o["key"]), str(o["name"]), str(o.get("title", ""))) for o in motion.options or []]
        form = voting.ballot_form(voting.Kind(motion.kind), options, motion.seats or 1)
        written = connection.scalars(sa.select(choices.c.choice).where(choices.c.motion_id == motion.id))
        counters = voting.counters_of(form, voting.count_ballots(form, written))
        connection.execute(sa.insert(tallies).values(motion_id=motion.id, sealed=seal(key, motion.id, counters)))


def upgrade() -> None:
    op.create_table(
        "secret_tallies",
        sa.Column("motion_id", sa.Integer(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["motion_id"], ["motions.id"], name=op.f("fk_secret_tallies_motion_id_motions"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("motion_id", name=op.f("pk_secret_tallies")),
    )
    _seal_existing_votes(op.get_bind())
    op.execute(sa.delete(choices))
    with op.batch_alter_table("secret_choices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_secret_choices_motion_id"))
    op.drop_table("secret_choices")

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chain_form", sa.Integer(), server_default="2", nullable=False))
    op.execute(sa.text("UPDATE sessions SET chain_form = 1"))
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("salt", sa.String(length=32), server_default="", nullable=False))
    op.execute(
        sa.update(events)
        .where(events.c.type.in_(PUBLIC_TYPES) | events.c.type.like("session.%"))
        .values(public=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("salt")
        batch_op.drop_column("public")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("chain_form")
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
    op.drop_table("secret_tallies")
