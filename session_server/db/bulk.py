"""Rows written straight through the database driver, for bulk inserts on a hot path (a petitions workbook, a burst
of ballots' events) where SQLAlchemy's per-row parameter handling cost more than the database's own work."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Any

import asyncpg
from sqlalchemy import Column, Dialect, Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection


@dataclass
class DriverRows:
    """Rows of one table as the driver takes them: each value as SQLAlchemy's INSERT would send it (the column
    type's bind processing), and a column the rows leave out with its Python-side default."""

    table: Table
    names: list[str]
    values: list[tuple[object, ...]]

    @classmethod
    def of(cls, table: Table, rows: list[dict[str, Any]], dialect: Dialect) -> DriverRows:
        columns, processing = _plan(table, tuple(rows[0]) if rows else (), dialect)
        defaults = {
            c.name: c.default.arg(None) if c.default.is_callable else c.default.arg
            for c in columns
            if rows and c.name not in rows[0]
        }
        names = [c.name for c in columns]
        values_of = itemgetter(*names)
        records = []
        for row in rows:
            values = list(values_of({**defaults, **row} if defaults else row))
            for index, process in processing:
                values[index] = process(values[index])
            records.append(tuple(values))
        return cls(table, names, records)

    async def write(self, connection: AsyncConnection) -> None:
        """Insert the rows: PostgreSQL's COPY (its executemany runs an INSERT per row, several times slower), SQLite's
        executemany (without SQLAlchemy's handling of each row's parameters)."""
        if not self.values:
            return
        try:
            await self._write(connection)
        except (asyncpg.IntegrityConstraintViolationError, sqlite3.IntegrityError) as error:
            # As SQLAlchemy would raise it: callers tell a broken constraint (a race for a seq) from other failures.
            raise IntegrityError(f"bulk insert into {self.table.name}", None, error) from error

    async def _write(self, connection: AsyncConnection) -> None:
        raw = (await connection.get_raw_connection()).driver_connection
        if connection.dialect.name == "postgresql":
            await raw.copy_records_to_table(
                self.table.name, records=self.values, columns=self.names, schema_name=self.table.schema
            )
            return
        quote = connection.dialect.identifier_preparer.quote
        columns = ", ".join(map(quote, self.names))
        await raw.executemany(
            f"INSERT INTO {quote(self.table.name)} ({columns}) VALUES ({', '.join('?' * len(self.names))})",
            self.values,
        )


@lru_cache(maxsize=64)
def _plan(
    table: Table, given: tuple[str, ...], dialect: Dialect
) -> tuple[list[Column[Any]], list[tuple[int, Callable[[Any], Any]]]]:
    """The columns a table's rows fill (those given, and those with a Python-side default) and the bind processing
    of each that has one, worked out once per table, set of given columns and dialect."""
    columns = [c for c in table.columns if c.name in given or (c.default is not None and not c.primary_key)]
    processing = [
        (index, process)
        for index, process in enumerate(c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns)
        if process is not None
    ]
    return columns, processing
