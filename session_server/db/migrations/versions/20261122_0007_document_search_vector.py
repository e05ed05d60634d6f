"""document search vector: PostgreSQL keeps each page's tsvector in a column with a GIN index

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 12:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL only: SQLite keeps its FTS5 table from 0003. A generated column is filled for the rows already there when
# it is added, and by PostgreSQL itself for every row written later; ranking reads it instead of parsing each hit's
# text again, which is what made searches slow.
UPGRADE = (
    "ALTER TABLE document_pages ADD COLUMN folded_fts tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, folded)) STORED",
    "CREATE INDEX ix_document_pages_folded_fts ON document_pages USING gin (folded_fts)",
    "DROP INDEX ix_document_pages_fts",
)
DOWNGRADE = (
    "CREATE INDEX ix_document_pages_fts ON document_pages USING gin (to_tsvector('simple'::regconfig, folded))",
    "DROP INDEX ix_document_pages_folded_fts",
    "ALTER TABLE document_pages DROP COLUMN folded_fts",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWNGRADE:
            op.execute(statement)
