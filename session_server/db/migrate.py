"""Schema migrations: `hopso migrate` and the test suite both run Alembic through here."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def include_name(name: str | None, type_: str, _parent_names: dict[str, str | None]) -> bool:
    """Autogenerate leaves alone the full-text search tables, indexes and columns ("*_fts*"), written by hand per
    dialect."""
    return not (type_ in ("table", "index", "column") and name is not None and "_fts" in name)


def include_object(_object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object) -> bool:
    """The same for what the models declare: PostgreSQL's search column, say, has no counterpart on SQLite."""
    return include_name(name, type_, {})


def upgrade(url: str, revision: str = "head", secret_key: str = "") -> None:
    """Bring the database at `url` to `revision`; blocks, and is safe to call while an event loop runs.
    `secret_key` is the server's, for the migrations that seal data with it (else they read the settings)."""
    config = alembic_config(url)
    if secret_key:
        config.attributes["secret_key"] = secret_key
    with ThreadPoolExecutor(1) as worker:
        worker.submit(command.upgrade, config, revision).result()
