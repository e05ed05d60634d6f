"""What a reader of the storage tries, to link delegates to secret choices: each attack returns its guesses
(member id → choice), scored against the choices the test cast.

- SQL on the live database or a dump: every row of every table that holds a choice as a value (a column, or a key
  of a JSON column) is paired with the receipts by transaction id (`xmin`), by physical order (`ctid`, `rowid`), and
  by every integer and time column in both orders; a row naming a member and a choice is read directly.
- The files: the cells of every table and index page of a copy of the SQLite file and its WAL, in byte order
  (the order rows were written in), paired with the receipts; and a scan for the bytes of any earlier version of
  the sealed tally.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from session_server.db.engine import make_engine

Guess = dict[int, str]


@dataclass
class ChoiceRow:
    """A stored row that holds a choice, with every key a reader could order it by."""

    table: str
    choice: str
    member_id: int | None
    keys: dict[str, Any] = field(default_factory=dict)


def _choices_in(value: Any, choices: Sequence[str]) -> list[str]:
    if isinstance(value, str):
        if value in choices:
            return [value]
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str) and v in choices]
    return []


def _member_in(row: dict[str, Any]) -> int | None:
    for value in row.values():
        data = value
        if isinstance(value, str) and value.startswith("{"):
            try:
                data = json.loads(value)
            except ValueError:
                continue
        if isinstance(data, dict) and isinstance(data.get("member_id"), int):
            return data["member_id"]
    member = row.get("member_id")
    return member if isinstance(member, int) else None


def _is_time(value: Any) -> bool:
    if isinstance(value, datetime):
        return True
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _orderable(name: str, value: Any) -> bool:
    """Ids, times (SQLite hands them back as ISO text, which sorts as they do), `xmin`, `ctid`."""
    return (isinstance(value, int) and not isinstance(value, bool)) or name in ("xmin", "ctid") or _is_time(value)


def _ctid(value: str) -> tuple[int, int]:
    page, item = value.strip("()").split(",")
    return int(page), int(item)


async def _rows(connection: AsyncConnection, table: str) -> list[dict[str, Any]]:
    if connection.dialect.name == "postgresql":
        query = f'SELECT xmin::text::bigint AS xmin, ctid::text AS ctid, * FROM "{table}"'
    else:
        query = f'SELECT rowid AS rowid_, * FROM "{table}"'
    try:
        result = await connection.execute(text(query))
    except Exception:
        # A WITHOUT ROWID table of SQLite.
        await connection.rollback()
        result = await connection.execute(text(f'SELECT * FROM "{table}"'))
    rows = [dict(row._mapping) for row in result]
    for row in rows:
        if "ctid" in row:
            row["ctid"] = _ctid(row["ctid"])
    return rows


async def choice_rows(connection: AsyncConnection, motion_id: int, choices: Sequence[str]) -> list[ChoiceRow]:
    """Every row of every table that holds one of `choices` (a row of another motion is left out)."""
    tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    found = []
    for table in tables:
        for row in await _rows(connection, table):
            if row.get("motion_id", motion_id) != motion_id:
                continue
            held = [c for value in row.values() for c in _choices_in(value, choices)]
            if not held:
                continue
            keys = {name: value for name, value in row.items() if _orderable(name, value)}
            found.append(ChoiceRow(table, held[0], _member_in(row), keys))
    return found


async def receipts(connection: AsyncConnection, motion_id: int) -> list[dict[str, Any]]:
    return [row for row in await _rows(connection, "ballot_receipts") if row["motion_id"] == motion_id]


def by_order(receipts_: list[dict[str, Any]], rows: list[ChoiceRow]) -> Iterator[tuple[str, Guess]]:
    """Pair the receipts with each table's choice rows, both sorted by any key they have, either way round."""
    receipt_keys = [k for k in receipts_[0] if _orderable(k, receipts_[0][k])] if receipts_ else []
    for table, group in itertools.groupby(sorted(rows, key=lambda r: r.table), key=lambda r: r.table):
        members = list(group)
        for row_key in {k for r in members for k in r.keys}:
            ordered = sorted((r for r in members if row_key in r.keys), key=lambda r: r.keys[row_key])
            for receipt_key, reverse in itertools.product(receipt_keys, (False, True)):
                paired = sorted(receipts_, key=lambda r: r[receipt_key], reverse=reverse)
                guess = {r["member_id"]: c.choice for r, c in zip(paired, ordered, strict=False)}
                yield f"{table}.{row_key} ~ ballot_receipts.{receipt_key}{' desc' if reverse else ''}", guess


def by_xmin(receipts_: list[dict[str, Any]], rows: list[ChoiceRow]) -> Guess:
    """PostgreSQL: a choice written by the transaction that wrote a receipt."""
    written_by = {r.keys["xmin"]: r.choice for r in rows if "xmin" in r.keys}
    return {r["member_id"]: written_by[r["xmin"]] for r in receipts_ if r.get("xmin") in written_by}


def named_in_rows(rows: list[ChoiceRow]) -> Guess:
    """A row that names the member and the choice together."""
    return {r.member_id: r.choice for r in rows if r.member_id is not None}


def score(guess: Guess, truth: dict[int, str]) -> int:
    return sum(1 for member, choice in guess.items() if truth.get(member) == choice)


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise AssertionError("unreachable")


def _record(payload: bytes) -> list[Any]:
    header_size, at = _varint(payload, 0)
    types = []
    while at < header_size:
        serial, at = _varint(payload, at)
        types.append(serial)
    values: list[Any] = []
    body = header_size
    for serial in types:
        size = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8, 7: 8, 8: 0, 9: 0}.get(serial)
        if size is None:
            size = (serial - 12) // 2 if serial % 2 == 0 else (serial - 13) // 2
        raw = payload[body : body + size]
        body += size
        if serial >= 13 and serial % 2:
            values.append(raw.decode("utf-8", "replace"))
        elif 1 <= serial <= 6:
            values.append(int.from_bytes(raw, "big", signed=True))
        else:
            values.append(raw)
    return values


def _page_cells(page: bytes, header_at: int) -> Iterator[tuple[int, list[Any]]]:
    kind = page[header_at]
    if kind not in (0x0A, 0x0D):
        return
    count = int.from_bytes(page[header_at + 3 : header_at + 5], "big")
    for i in range(count):
        pointer = int.from_bytes(page[header_at + 8 + 2 * i : header_at + 10 + 2 * i], "big")
        try:
            size, at = _varint(page, pointer)
            if kind == 0x0D:
                _rowid, at = _varint(page, at)
            if at + size <= len(page):
                yield pointer, _record(page[at : at + size])
        except (IndexError, UnicodeDecodeError):
            continue


def sqlite_cells(database: bytes, wal: bytes) -> Iterator[list[Any]]:
    """The records of every table and index leaf page, in the order of their bytes: the file's pages, then the
    pages the WAL still holds, each page's cells by offset."""
    page_size = int.from_bytes(database[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = [(database[n : n + page_size], 100 if n == 0 else 0) for n in range(0, len(database), page_size)]
    frame = 24 + page_size
    for at in range(32, len(wal) - frame + 1, frame):
        page_number = int.from_bytes(wal[at : at + 4], "big")
        pages.append((wal[at + 24 : at + frame], 100 if page_number == 1 else 0))
    for page, header_at in pages:
        for _offset, values in sorted(_page_cells(page, header_at)):
            yield values


def by_page_order(cells: list[list[Any]], receipt_ids: list[tuple[int, int]], choices: Sequence[str]) -> Guess:
    """The choices found in cells, in byte order, paired with the receipts in id order."""
    found = [value for values in cells for value in values if isinstance(value, str) and value in choices]
    ordered = [member for _id, member in sorted(receipt_ids)]
    return dict(zip(ordered, found, strict=False))


def versions_found(blob: bytes, versions: Sequence[bytes]) -> list[int]:
    """Which versions of the sealed tally leave their bytes (their nonce and first ciphertext bytes, or their tag)
    in `blob`."""
    return [i for i, version in enumerate(versions) if version[:20] in blob or version[-16:] in blob]


async def database_files(url: str, tmp_path: Path) -> tuple[bytes, bytes]:
    """A copy of the database's files as a thief would take them: the SQLite file and its WAL; on PostgreSQL, the
    files of every table, index and TOAST table of the database after a checkpoint (dead tuples included)."""
    engine = make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            return await asyncio.to_thread(_copy_sqlite, Path(make_url(url).database or ""), tmp_path)
        async with engine.connect() as connection:
            await connection.execute(text("CHECKPOINT"))
            paths = await connection.scalars(
                text(
                    "SELECT pg_relation_filepath(oid) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    "OR oid IN (SELECT reltoastrelid FROM pg_class WHERE relnamespace = 'public'::regnamespace)"
                )
            )
            blobs = []
            for path in [p for p in paths if p]:
                read = text("SELECT pg_read_binary_file(:p, 0, 268435456, true)")
                blobs.append(await connection.scalar(read, {"p": path}))
            return b"".join(b for b in blobs if b), b""
    finally:
        await engine.dispose()


def _copy_sqlite(path: Path, into: Path) -> tuple[bytes, bytes]:
    shutil.copy(path, into / "copy.sqlite3")
    wal = Path(f"{path}-wal")
    return (into / "copy.sqlite3").read_bytes(), wal.read_bytes() if wal.exists() else b""
