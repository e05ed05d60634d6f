"""Every `/live` command and `/public` event fuzzed with payloads built from its own schema (edge numbers, wrong
types, hostile text, deep nesting, extra fields) by real Socket.IO clients, as the chair, staff and a delegate: every
answer has the one shape, none is an internal error, and nothing is logged as a traceback."""

from __future__ import annotations

import logging
import random
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from session_server.inputs import DB_INT_MAX
from session_server.live.registry import COMMANDS
from session_server.realtime.server import JoinLive, JoinPublic
from session_server.services import services_of
from tests.factories import LiveWorld, make_live_world, make_motion
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient

EXAMPLES = 10
NUMBERS: list[Any] = [0, 1, -1, 2, DB_INT_MAX, DB_INT_MAX + 1, 10**20, -(10**20), 1e20, 0.5, float("1e308")]
TEXTS: list[Any] = ["", "yes", "Tán thành", "\x00", "a\u202eb", "\u200b", "x" * 5000, "=HYPERLINK(1)", "🗳️"]
ODD: list[Any] = [None, True, [], {}, [1, "a"], {"a": {"b": [None]}}, [[[[[[[[[[[]]]]]]]]]]]]


def _value(schema: dict[str, Any], defs: dict[str, Any], rng: random.Random) -> Any:
    """A value for `schema`: now and then one it allows, often one at or past its edges, sometimes of another type."""
    if "$ref" in schema:
        return _value(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, rng)
    choices = schema.get("anyOf") or schema.get("oneOf")
    if choices:
        return _value(rng.choice(choices), defs, rng)
    if rng.random() < 0.2:
        return rng.choice(NUMBERS + TEXTS + ODD)
    kind = schema.get("type")
    if "enum" in schema:
        return rng.choice([*schema["enum"], "khong-co"])
    if kind in ("integer", "number"):
        edges = [schema[key] + delta for key in ("minimum", "maximum") if key in schema for delta in (-1, 0, 1)]
        return rng.choice(edges + NUMBERS)
    if kind == "string":
        return rng.choice(TEXTS)
    if kind == "boolean":
        return rng.choice([True, False, "true", 1])
    if kind == "array":
        items = schema.get("items", {})
        return [_value(items, defs, rng) for _ in range(rng.choice([0, 1, 3, 300]))]
    if kind == "object" or "properties" in schema:
        return _object(schema, defs, rng)
    return rng.choice(NUMBERS + TEXTS + ODD)


def _object(schema: dict[str, Any], defs: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    properties = schema.get("properties", {})
    chosen = {name: _value(sub, defs, rng) for name, sub in properties.items() if rng.random() < 0.8}
    if rng.random() < 0.15:
        chosen["khong_co_truong_nay"] = rng.choice(TEXTS)
    return chosen


def payloads(model: Any, seed: str) -> list[Any]:
    """`EXAMPLES` payloads for the model, the same every run: a few fixed shapes, then schema-guided ones."""
    rng = random.Random(seed)
    schema = model.model_json_schema()
    fixed: list[Any] = [None, {}, [], "join", 10**20, {"session_id": 1e20}]
    return fixed + [_object(schema, schema.get("$defs", {}), rng) for _ in range(EXAMPLES)]


def _well_shaped(answer: Any) -> bool:
    if not isinstance(answer, dict) or not isinstance(answer.get("ok"), bool):
        return False
    if answer["ok"]:
        return True
    error = answer.get("error") or {}
    return isinstance(error.get("code"), str) and isinstance(error.get("message"), str) and bool(error["message"])


@pytest.fixture
async def fuzzed_world(server: TestServer) -> LiveWorld:
    world = await make_live_world(services_of(server.app).sessionmaker)
    await make_motion(services_of(server.app).sessionmaker, world.agenda_ids[2])
    return world


async def _joined(connect_client: Connect, token: str | None, session_id: int, namespace: str = "/live") -> LiveClient:
    client = await connect_client(token, namespace=namespace)
    await client.join(session_id)
    return client


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_no_payload_to_any_socketio_event_gets_an_internal_error_or_a_traceback(
    fuzzed_world: LiveWorld, connect_client: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    session_id = fuzzed_world.session_id
    callers = [
        await _joined(connect_client, fuzzed_world.chair.token, session_id),
        await _joined(connect_client, fuzzed_world.secretary.token, session_id),
        await _joined(connect_client, fuzzed_world.delegates[2].token, session_id),
    ]
    public = await _joined(connect_client, None, session_id, "/public")
    events = [(name, command.payload) for name, command in sorted(COMMANDS.items())] + [("join", JoinLive)]
    answers: list[tuple[str, Any, Any]] = []

    for name, model in events:
        for n, payload in enumerate(payloads(model, name)):
            caller = callers[n % len(callers)]
            answers.append((name, payload, await caller.send(name, payload)))
        await callers[0].join(session_id)
    for payload in payloads(JoinPublic, "public join"):
        answers.append(("/public join", payload, await public.send("join", payload)))
    for name in ("khong.co", "vote.cast", "session.close"):
        answers.append((f"/public {name}", {}, await public.send(name, {})))
        answers.append((f"/live {name}", {}, await callers[2].send(name, {"x": 1})))

    shapeless = [(name, payload, answer) for name, payload, answer in answers if not _well_shaped(answer)]
    internal = [
        (name, payload) for name, payload, answer in answers if (answer.get("error") or {}).get("code") == "internal"
    ]
    assert shapeless == []
    assert internal == []
    assert [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []
    assert len(answers) > 300
