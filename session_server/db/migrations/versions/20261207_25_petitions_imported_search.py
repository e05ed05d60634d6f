"""petitions: on SQLite, an imported workbook's petitions enter the search index in one statement per import

The insert trigger indexes a petition typed in or sent by a voter as before; petitions that come with an import
(`import_id` set when they are inserted) are indexed by the import itself, all of them at once, which costs a
third of indexing them one by one.

Revision ID: i25_petitions_imported_search
Revises: i18_sealed_tallies
Create Date: 2026-12-07 19:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "i25_petitions_imported_search"
down_revision: str | None = "i18_sealed_tallies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INSERT_TRIGGER = (
    "CREATE TRIGGER petitions_fts_insert AFTER INSERT ON petitions{when} BEGIN "
    "INSERT INTO petitions_fts(rowid, folded) VALUES (new.id, new.folded); END"
)


def _replace_trigger(when: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS petitions_fts_insert")
    op.execute(INSERT_TRIGGER.format(when=when))


def upgrade() -> None:
    _replace_trigger(" WHEN new.import_id IS NULL")


def downgrade() -> None:
    _replace_trigger("")
