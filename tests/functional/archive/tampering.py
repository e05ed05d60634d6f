"""A published session whose record the tests check, and what someone who wants to change history would do: edit
a downloaded file, or rewrite the chain inside the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import select, update

import voting
from session_server.db.models import CouncilSession, Event
from session_server.live.audit import verify_session
from session_server.services import services_of
from tests.factories import LiveWorld, make_live_world
from tests.functional.archive.conftest import Api, Connect, Sitting, archived, hold_session, sign_both
from tests.signing import SigningWorld
from tests.support import TEST_SECRET_KEY


@dataclass
class Published:
    api: Api
    live: LiveWorld
    sitting: Sitting
    head: dict[str, Any]


async def publish(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession, world: SigningWorld
) -> Published:
    """A public session held, archived, its minutes approved, signed by both and published."""
    api = Api(server, http)
    live = await make_live_world(services_of(server.app).sessionmaker)
    sitting = await hold_session(server, live, connect_client, api)
    await archived(server, live.session_id)
    sid, staff = live.session_id, live.secretary.headers
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    await sign_both(api, live, world)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)
    async with services_of(server.app).sessionmaker() as db:
        last = await db.scalar(select(Event).where(Event.session_id == sid).order_by(Event.seq.desc()).limit(1))
    assert last is not None
    return Published(api, live, sitting, {"seq": last.seq, "hash": last.hash})


def tamper_file(lines: list[str], seq: int) -> list[str]:
    """One event of the file changed: a speech granted to somebody else."""
    changed = []
    for line in lines:
        event = json.loads(line)
        if event.get("seq") == seq:
            event["data"]["member_id"] += 1
        changed.append(json.dumps(event, ensure_ascii=False))
    return changed


async def rewrite_history(server: TestServer, session_id: int) -> int:
    """What someone who can write the database does: change one event, then recompute every hash after it."""
    async with services_of(server.app).sessionmaker() as db:
        session = await db.get(CouncilSession, session_id)
        assert session is not None
        events = list(await db.scalars(select(Event).where(Event.session_id == session_id).order_by(Event.seq)))
        target = next(e for e in events if e.type == "speakers.granted")
        target.data = {**target.data, "member_id": target.data["member_id"] + 1}
        prev_hash = target.prev_hash
        for event in events[events.index(target) :]:
            new_hash = voting.event_hash(prev_hash, event, session.chain_form)
            await db.execute(
                update(Event)
                .where(Event.session_id == session_id, Event.seq == event.seq)
                .values(data=event.data, prev_hash=prev_hash, hash=new_hash)
            )
            prev_hash = new_hash
        await db.commit()
        assert (await verify_session(db, session_id, TEST_SECRET_KEY)).ok, "inside the database the rewrite passes"
        return target.seq
