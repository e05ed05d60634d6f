"""aiosqlite with one trip to its thread per statement.

aiosqlite runs each cursor call on its connection's thread: making the cursor, executing, fetching the rows and
closing are four round trips for one statement, each waking the thread and then the event loop. A command of a
live session runs a handful of statements, so those trips were most of its time. Here a statement is executed,
its rows fetched and its cursor closed in one trip, and the rows come back with it; a rollback with no transaction
open (the pool's reset after a commit) makes no trip at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager
from sqlalchemy import make_url
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

Description = tuple[tuple[Any, ...], ...] | None


@dataclass
class _Outcome:
    rows: list[Any]
    description: Description
    rowcount: int
    lastrowid: int | None


def _run(connection: sqlite3.Connection, call: Callable[[sqlite3.Cursor], Any]) -> _Outcome:
    cursor = connection.cursor()
    try:
        call(cursor)
        rows = cursor.fetchall() if cursor.description else []
        return _Outcome(rows, cursor.description, cursor.rowcount, cursor.lastrowid)
    finally:
        cursor.close()


class Cursor:
    """A cursor whose statement runs, fetches and closes in one trip; fetching reads the rows it brought back."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._rows: list[Any] = []
        self.description: Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self.arraysize = 1

    async def _run(self, call: Callable[[sqlite3.Cursor], Any]) -> Cursor:
        outcome: _Outcome = await self._connection._execute(_run, self._connection._conn, call)
        self._rows, self.description = outcome.rows, outcome.description
        self.rowcount, self.lastrowid = outcome.rowcount, outcome.lastrowid
        return self

    async def execute(self, sql: str, parameters: Sequence[Any] | None = None) -> Cursor:
        return await self._run(lambda cursor: cursor.execute(sql, parameters or ()))

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> Cursor:
        return await self._run(lambda cursor: cursor.executemany(sql, parameters))

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        taken = self._rows[: size or self.arraysize]
        del self._rows[: len(taken)]
        return taken

    async def fetchall(self) -> list[Any]:
        taken, self._rows = self._rows, []
        return taken

    async def close(self) -> None:
        self._rows = []

    async def __aenter__(self) -> Cursor:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()


class Connection(aiosqlite.Connection):
    @contextmanager
    async def cursor(self) -> Cursor:  # type: ignore[override]
        return Cursor(self)

    async def rollback(self) -> None:
        if self._conn.in_transaction:
            await super().rollback()


def connector(url: str, **connect_args: Any) -> Callable[[], Connection]:
    """The `async_creator` for an engine on `url`: the same arguments SQLAlchemy's aiosqlite dialect would pass."""
    args, params = SQLiteDialect_aiosqlite().create_connect_args(make_url(url))
    connect = partial(sqlite3.connect, *args, **{**params, **connect_args})

    def create() -> Connection:
        connection = Connection(connect, iter_chunk_size=64)
        # As SQLAlchemy does for aiosqlite: a connection left open must not keep the interpreter from exiting.
        connection._thread.daemon = True
        return connection

    return create
