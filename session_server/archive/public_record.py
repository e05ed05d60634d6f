"""A session's audit chain seen from outside: its head, anchored in the signed minutes, and the public record
anyone can download and check without HopSo's database (`voting.record`)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

import voting
from session_server.db.models import Council, CouncilSession, Event

CHAIN_HEAD = "chain_head"


async def chain_head(db: AsyncSession, session_id: int) -> dict[str, Any] | None:
    """The session's last event: its seq and hash (what the minutes anchor before they are signed)."""
    last = (
        await db.execute(
            select(Event.seq, Event.hash).where(Event.session_id == session_id).order_by(Event.seq.desc()).limit(1)
        )
    ).first()
    return {"seq": last.seq, "hash": last.hash} if last else None


async def public_record(db: AsyncSession, session: CouncilSession) -> bytes:
    """The public record as JSON lines: a header, then every event, whole if public, else by its digest."""
    council = await db.get(Council, session.council_id)
    assert council is not None
    events = list(await db.scalars(select(Event).where(Event.session_id == session.id).order_by(Event.seq)))
    head = {"seq": events[-1].seq, "hash": events[-1].hash} if events else {"seq": 0, "hash": voting.GENESIS_HASH}
    lines = [voting.record_header(session.id, session.title, council.name, session.chain_form, head)]
    lines += [voting.record_line(event, event.public, session.chain_form) for event in events]
    text = "".join(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines)
    return text.encode()
