"""The AsyncAPI document of the Socket.IO protocol: valid AsyncAPI 3, complete, and every reference resolves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

import session_server.live.commands  # noqa: F401 - registers the commands
from session_server.live.events import EVENT_TYPES, Slice
from session_server.live.registry import COMMANDS
from session_server.system.asyncapi import asyncapi_document
from tests.support import missing

SPECS = Path(__file__).resolve().parents[4] / "viewer/node_modules/@asyncapi/specs/schemas/3.0.0-without-$id.json"


@pytest.fixture(scope="module")
def asyncapi_3() -> jsonschema_rs.Draft7Validator:
    if not SPECS.exists():
        missing("the AsyncAPI schemas are not installed (cd viewer && npm ci)")
    return jsonschema_rs.Draft7Validator(json.loads(SPECS.read_text()))


def test_the_document_is_valid_asyncapi_3(asyncapi_3: jsonschema_rs.Draft7Validator) -> None:
    document = asyncapi_document()

    assert [error.message for error in asyncapi_3.iter_errors(document)] == []


def test_the_schema_refuses_a_broken_document(asyncapi_3: jsonschema_rs.Draft7Validator) -> None:
    document = asyncapi_document()
    document["operations"]["vote_cast"]["action"] = "publish"

    assert not asyncapi_3.is_valid(document)


def test_every_command_is_a_send_operation_answered_by_an_ack() -> None:
    operations = asyncapi_document()["operations"]

    sent = {op["messages"][0]["$ref"].rsplit("/", 1)[1] for op in operations.values() if op["action"] == "send"}
    assert {name.replace(".", "_") for name in COMMANDS} <= sent
    for name in COMMANDS:
        assert operations[name.replace(".", "_")]["reply"]["messages"] == [{"$ref": "#/channels/live/messages/ack"}]


def test_the_envelope_names_every_event_type_and_every_state_slice() -> None:
    envelope = asyncapi_document()["components"]["schemas"]["Envelope"]["properties"]

    assert set(envelope["type"]["enum"]) == {*EVENT_TYPES, "vote.progress"}
    assert set(envelope["state"]["properties"]) == {s.value for s in Slice}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    return []


def test_every_reference_in_the_document_resolves() -> None:
    document = asyncapi_document()

    for ref in _refs(document):
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            assert part in target, f"{ref} does not resolve"
            target = target[part]
