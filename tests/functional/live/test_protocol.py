"""The published protocol is the one HopSo speaks: the official JavaScript socket.io-client sends every /live command
the AsyncAPI document lists, as the document describes it, and each answer has the documented shape; a real
session's state has the documented slice types."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema_rs
from aiohttp import ClientSession
from aiohttp.test_utils import TestServer
from pydantic import TypeAdapter

from session_server.live.events import Slice
from session_server.live.registry import COMMANDS
from session_server.live.state import SLICES
from tests.factories import LiveWorld
from tests.functional.conftest import Connect
from tests.support import missing

DRIVER = Path(__file__).with_name("drive_commands.cjs")
CLIENT = Path(__file__).resolve().parents[3] / "viewer/node_modules/socket.io-client"


async def test_the_javascript_client_sends_every_documented_command_and_gets_a_documented_answer(
    server: TestServer, live: LiveWorld
) -> None:
    node = shutil.which("node")
    if node is None or not CLIENT.exists():
        missing("node and viewer/node_modules/socket.io-client are needed (cd viewer && npm ci)")
    base = str(server.make_url("")).rstrip("/")
    process = await asyncio.create_subprocess_exec(
        node, str(DRIVER), base, live.chair.token, str(live.session_id), str(CLIENT),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    answers = json.loads(out)
    document = await _get_json(server, "/api/asyncapi.json")
    ack = jsonschema_rs.Draft7Validator(document["components"]["schemas"]["Ack"])

    assert answers["joined"] is True
    assert set(answers["acks"]) == set(COMMANDS)
    for name, answer in answers["acks"].items():
        assert ack.is_valid(answer), f"{name}: {answer}"
        assert answer["ok"] or answer["error"]["code"] != "internal", f"{name}: {answer}"
        assert answer["ok"] or not answer["error"]["message"].startswith("Lệnh không tồn tại"), f"{name}: {answer}"
    assert answers["acks"]["stream.status"]["error"]["code"] == "forbidden"
    assert answers["acks"]["session.open"] == {"ok": True, "seq": answers["acks"]["session.open"]["seq"]}


async def _get_json(server: TestServer, path: str) -> Any:
    async with ClientSession() as http, http.get(server.make_url(path)) as response:
        assert response.status == 200
        return await response.json()


async def test_a_live_sessions_state_has_the_documented_slice_types(live: LiveWorld, connect_client: Connect) -> None:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[0]})
    viewer = await connect_client(namespace="/public")

    for snapshot in (chair.joined["snapshot"], (await viewer.join(live.session_id))["snapshot"]):
        for name, value in snapshot.items():
            TypeAdapter(SLICES[Slice(name)]).validate_python(value)
    assert set(chair.joined["snapshot"]) == {s.value for s in Slice}
