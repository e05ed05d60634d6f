"""Engine and session factory for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from session_server.db import sqlite_connection


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        # aiosqlite logs every statement with its parameters at DEBUG: password hashes, restricted documents' text.
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        engine = create_async_engine(url, async_creator=sqlite_connection.connector(url, timeout=30), **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            # What a write frees is zeroed, so a secret vote's rewritten tally leaves no old version in the pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

        return engine
    # asyncpg waits 60 s for a connection by default; a database host that drops packets would hold every command.
    kwargs.setdefault("connect_args", {"timeout": CONNECT_TIMEOUT_SECONDS})
    return create_async_engine(url, pool_pre_ping=True, **kwargs)


CONNECT_TIMEOUT_SECONDS = 10
_CONNECTION_ERRORS = (
    ConnectionError,
    TimeoutError,
    DisconnectionError,
    PoolTimeout,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
)


def is_database_outage(error: BaseException) -> bool:
    """The database could not be reached (as opposed to a query it refused): the error or one of its causes says so."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, _CONNECTION_ERRORS):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
