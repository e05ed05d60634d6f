"""The audit chain anchored outside the database: its head in the signed minutes (PDF and JSON) and on the public
archive page, and a public record anyone can download and check with `hopso verify --file`, no database needed."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import select

import voting
from session_server.archive import storage
from session_server.cli import main
from session_server.db.models import Event
from session_server.services import services_of
from session_server.settings import Settings
from tests.functional.archive.conftest import Connect, pdf_text
from tests.functional.archive.tampering import Published, publish, rewrite_history, tamper_file
from tests.signing import SigningWorld


async def _record(published: Published) -> list[str]:
    status, body, headers = await published.api.call(
        "GET", f"/api/public/archive/{published.live.session_id}/record.jsonl"
    )
    assert status == 200 and headers["Content-Type"].startswith("application/jsonl")
    return body.decode().splitlines()


@pytest.fixture
async def published(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> Published:
    return await publish(server, connect_client, http, signing_world)


async def test_the_signed_minutes_and_the_public_page_carry_the_chains_head(
    published: Published, settings: Settings
) -> None:
    sid, head = published.live.session_id, published.head

    _, pdf, _ = await published.api.call("GET", f"/api/public/archive/{sid}/minutes.pdf")
    record = json.loads(storage.minutes_json_path(settings, sid).read_text())
    page = await published.api.json("GET", f"/api/public/archive/{sid}", 200)

    assert f"sự kiện số {head['seq']}, mã băm SHA-256 {head['hash']}" in pdf_text(pdf)
    assert record["chain_head"] == head
    assert page["record"] == {"url": f"/api/public/archive/{sid}/record.jsonl", "anchored_head": head}


async def test_the_public_record_verifies_from_the_file_alone_and_shows_a_secret_ballot_only_as_receipts_and_result(
    published: Published, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = await _record(published)
    secret = published.sitting.secret_motion

    check = voting.check_record(lines, published.head["hash"])
    assert check.ok, check.problems
    assert (check.head_seq, check.votes) == (published.head["seq"], 2)
    events = [json.loads(line) for line in lines[1:]]
    about_secret = [e for e in events if not e.get("omitted") and e["data"].get("motion_id") == secret]
    assert sorted({e["type"] for e in about_secret}) == ["vote.closed", "vote.opened", "vote.receipt"]
    assert [e["data"] for e in about_secret if e["type"] == "vote.receipt"] == [
        {"motion_id": secret, "member_id": m.id, "receipt": True} for m in published.live.members[:4]
    ]
    assert any(e.get("omitted") for e in events), "the named ballots' casts are left out, by their digests"
    path = tmp_path / "record.jsonl"
    path.write_text("\n".join(lines) + "\n")
    await asyncio.to_thread(main, ["verify", "--file", str(path), "--head", published.head["hash"]])
    assert "chain and tallies verified" in capsys.readouterr().out


async def test_an_event_changed_in_the_file_breaks_the_chain_at_that_event(
    published: Published, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = await _record(published)
    granted = next(json.loads(line)["seq"] for line in lines[1:] if '"type":"speakers.granted"' in line)
    path = tmp_path / "changed.jsonl"
    path.write_text("\n".join(tamper_file(lines, granted)))

    with pytest.raises(SystemExit) as exited:
        await asyncio.to_thread(main, ["verify", "--file", str(path)])

    assert exited.value.code == 1
    out = capsys.readouterr().out
    assert f"chain broken at event seq {granted} (speakers.granted): its content does not give its hash" in out


async def test_a_chain_rewritten_in_the_database_no_longer_matches_the_head_in_the_signed_minutes(
    server: TestServer, published: Published, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await rewrite_history(server, published.live.session_id)
    lines = await _record(published)
    path = tmp_path / "rewritten.jsonl"
    path.write_text("\n".join(lines))

    with pytest.raises(SystemExit) as exited:
        await asyncio.to_thread(main, ["verify", "--file", str(path), "--head", published.head["hash"]])

    assert exited.value.code == 1
    assert f"not with the anchored head {published.head['hash']}" in capsys.readouterr().out


async def test_an_omitted_ballot_cannot_be_found_from_its_digest_by_trying_every_choice(
    server: TestServer, published: Published
) -> None:
    lines = [json.loads(line) for line in (await _record(published))[1:]]
    async with services_of(server.app).sessionmaker() as db:
        casts = {e.seq: e for e in await db.scalars(select(Event).where(Event.type == "vote.cast"))}
    omitted = [line for line in lines if line.get("omitted") and line["seq"] in casts]
    assert len(omitted) == 4

    for line in omitted:
        stored = casts[line["seq"]]
        guesses = {
            voting.event_digest(dataclasses.replace(_content(stored), data={**stored.data, "choice": c}, salt=""))
            for c in ("yes", "no", "abstain")
        }
        assert line["digest"] not in guesses, "without the event's salt, no guess gives its digest"
        assert line["digest"] == voting.event_digest(_content(stored))


@dataclasses.dataclass(frozen=True)
class _Content:
    session_id: int
    seq: int
    type: str
    data: dict[str, Any]
    actor: int | None
    at: datetime
    salt: str


def _content(event: Event) -> _Content:
    return _Content(event.session_id, event.seq, event.type, event.data, event.actor, event.at, event.salt)
