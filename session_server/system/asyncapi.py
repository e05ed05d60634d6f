"""The AsyncAPI 3 document of the Socket.IO protocol, generated from the live contract as OpenAPI is from the route
table: every /live command (its payload model, who may send it, its acknowledgement), the `event` envelope with
every event type's payload model, and the state slices' models."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from session_server.auth.roles import COMMAND_CAPACITIES, Capacity
from session_server.live.events import EVENT_TYPES
from session_server.live.registry import COMMANDS
from session_server.live.state import SLICES
from session_server.system.openapi import ERROR_SCHEMA

REF = "#/components/schemas/{model}"
ACK_SCHEMA = {
    "oneOf": [
        {
            "type": "object",
            "required": ["ok", "seq"],
            "properties": {"ok": {"const": True}, "seq": {"type": "integer", "minimum": 0}},
        },
        {
            "type": "object",
            "required": ["ok", "error"],
            "properties": {"ok": {"const": False}, "error": ERROR_SCHEMA["properties"]["error"]},
        },
    ]
}
JOIN_LIVE = {
    "type": "object",
    "required": ["session_id"],
    "additionalProperties": False,
    "properties": {
        "session_id": {"type": "integer", "minimum": 1},
        "last_seq": {"type": ["integer", "null"], "minimum": 0},
    },
}
JOIN_PUBLIC = {
    "type": "object",
    "required": ["session_id"],
    "additionalProperties": False,
    "properties": {"session_id": {"type": "integer", "minimum": 1}},
}


def _key(wire_name: str) -> str:
    return wire_name.replace(".", "_")


def _schema(model: Any, components: dict[str, Any], name: str) -> dict[str, Any]:
    schema = TypeAdapter(model).json_schema(ref_template=REF)
    components.update(schema.pop("$defs", {}))
    components[name] = schema
    return {"$ref": REF.format(model=name)}


def example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A value of `schema` with only what it requires, each at its least (for a client to start from)."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[1]], components)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example(schema["anyOf"][0], components)
    kind = schema.get("type")
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name], components) for name in schema.get("required", [])}
    if kind == "integer":
        return schema.get("minimum", 1)
    if kind == "number":
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "string":
        return "x" * max(1, schema.get("minLength", 1))
    return None


def asyncapi_document() -> dict[str, Any]:
    schemas: dict[str, Any] = {
        "Ack": ACK_SCHEMA,
        "Error": ERROR_SCHEMA,
        "JoinLive": JOIN_LIVE,
        "JoinPublic": JOIN_PUBLIC,
    }
    live: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, command in sorted(COMMANDS.items()):
        payload = _schema(command.payload, schemas, command.payload.__name__)
        capacities = sorted(c.value for c in COMMAND_CAPACITIES[name])
        live[_key(name)] = {
            "name": name,
            "title": name,
            "summary": command.summary or name,
            "payload": payload,
            "examples": [{"name": "least", "payload": example(payload, schemas)}],
        }
        operations[_key(name)] = {
            "action": "send",
            "channel": {"$ref": "#/channels/live"},
            "summary": command.summary or name,
            "description": f"May send it: {', '.join(capacities)}."
            + (" HopSo itself only, never a client." if capacities == [Capacity.SYSTEM.value] else ""),
            "messages": [{"$ref": f"#/channels/live/messages/{_key(name)}"}],
            "reply": {"channel": {"$ref": "#/channels/live"}, "messages": [{"$ref": "#/channels/live/messages/ack"}]},
            "x-capacities": capacities,
        }
    events = {event_type: _schema(model, schemas, model.__name__) for event_type, model in sorted(EVENT_TYPES.items())}
    slices = {slice_.value: _schema(model, schemas, f"{slice_.value.title()}Slice") for slice_, model in SLICES.items()}
    schemas["Envelope"] = {
        "type": "object",
        "required": ["seq", "type", "data", "at", "state"],
        "properties": {
            "seq": {"type": "integer", "minimum": 1},
            "first_seq": {"type": "integer", "minimum": 1, "description": "the first seq this envelope stands for"},
            "type": {"type": "string", "enum": [*sorted(EVENT_TYPES), "vote.progress"]},
            "data": {
                "description": "the payload of `type` (vote.progress: {}); on /public only the fields the type "
                "declares public",
                "oneOf": [*events.values(), {"type": "object", "maxProperties": 0}],
            },
            "at": {"type": "string", "format": "date-time"},
            "state": {
                "type": "object",
                "description": "the slices this event changed; a client replaces each slice it receives",
                "properties": slices,
                "additionalProperties": False,
            },
        },
    }
    envelope = {
        "name": "event",
        "title": "event",
        "summary": "One event of the session, with the state slices it changed",
        "payload": {"$ref": "#/components/schemas/Envelope"},
    }
    ack = {"name": "ack", "title": "acknowledgement", "payload": {"$ref": "#/components/schemas/Ack"}}
    live |= {
        "join": {
            "name": "join",
            "summary": "Join a session: the ack carries its snapshot and the caller's capacities",
            "payload": {"$ref": "#/components/schemas/JoinLive"},
        },
        "event": envelope,
        "ack": ack,
    }
    operations |= {
        "joinLive": {
            "action": "send",
            "channel": {"$ref": "#/channels/live"},
            "messages": [{"$ref": "#/channels/live/messages/join"}],
        },
        "receiveLiveEvents": {
            "action": "receive",
            "channel": {"$ref": "#/channels/live"},
            "messages": [{"$ref": "#/channels/live/messages/event"}],
        },
        "joinPublic": {
            "action": "send",
            "channel": {"$ref": "#/channels/public"},
            "messages": [{"$ref": "#/channels/public/messages/join"}],
        },
        "receivePublicEvents": {
            "action": "receive",
            "channel": {"$ref": "#/channels/public"},
            "messages": [{"$ref": "#/channels/public/messages/event"}],
        },
    }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "HopSo live protocol",
            "version": "1",
            "description": "Socket.IO at /socket.io/. Commands are emits with an ack: {ok: true, seq} or "
            "{ok: false, error: {code, message}}. The server sends one `event` envelope per event.",
        },
        "defaultContentType": "application/json",
        "channels": {
            "live": {
                "address": "/live",
                "title": "/live",
                "description": "Signed-in users (session cookie, or {token} in the connection's auth): commands "
                "and every event of the joined session.",
                "messages": live,
            },
            "public": {
                "address": "/public",
                "title": "/public",
                "description": "Anyone, read-only: only what each event type declares public, of public sessions.",
                "messages": {
                    "join": {"name": "join", "payload": {"$ref": "#/components/schemas/JoinPublic"}},
                    "event": envelope,
                },
            },
        },
        "operations": operations,
        "components": {"schemas": schemas},
    }
