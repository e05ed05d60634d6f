"""What every input passes through (session_server.inputs). Every integer a client can send, in every REST body and
every Socket.IO payload, is bounded to what the database holds: a number past it is refused as invalid input instead
of overflowing in the driver (a 500, a failed batch). Text is cleaned, and JSON too deep is told before parsing."""

from __future__ import annotations

import unicodedata
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

import session_server.app
import session_server.live.commands  # noqa: F401 - registers the commands
from session_server.api.routing import api
from session_server.inputs import DB_BIGINT_MAX, clean_text, parse_id, too_deep
from session_server.live.registry import COMMANDS
from session_server.realtime.server import JoinLive, JoinPublic

INPUT_MODELS = sorted(
    {route.body for route in api.routes if route.body is not None}
    | {command.payload for command in COMMANDS.values()}
    | {JoinLive, JoinPublic},
    key=lambda model: f"{model.__module__}.{model.__name__}",
)


def _unbounded(schema: dict[str, Any], defs: dict[str, Any], path: str, seen: set[str]) -> list[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return [] if name in seen else _unbounded(defs[name], defs, f"{path}<{name}>", seen | {name})
    found = []
    if schema.get("type") == "integer" and not ("maximum" in schema and "minimum" in schema):
        found.append(path or "(value)")
    for name, sub in schema.get("properties", {}).items():
        found += _unbounded(sub, defs, f"{path}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += _unbounded(schema[key], defs, f"{path}[]", seen)
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for sub in schema.get(key, []):
            found += _unbounded(sub, defs, path, seen)
    return found


@pytest.mark.parametrize("model", INPUT_MODELS, ids=lambda model: model.__name__)
def test_every_integer_of_every_input_schema_is_bounded_by_the_database(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()

    unbounded = _unbounded(schema, schema.get("$defs", {}), "", set())

    assert unbounded == [], f"{model.__module__}.{model.__name__}: use session_server.inputs.Id/Count/Seq"
    for bound in _bounds(schema):
        assert -DB_BIGINT_MAX - 1 <= bound <= DB_BIGINT_MAX


def _bounds(schema: Any) -> list[int]:
    if isinstance(schema, dict):
        found = [schema[key] for key in ("maximum", "minimum") if isinstance(schema.get(key), int)]
        return found + [bound for value in schema.values() for bound in _bounds(value)]
    if isinstance(schema, list):
        return [bound for value in schema for bound in _bounds(value)]
    return []


@pytest.mark.parametrize("number", [100000000000000000000, 1e20, -(10**20), 2**31])
def test_a_session_id_beyond_the_database_is_invalid_for_a_public_join(number: float) -> None:
    with pytest.raises(ValidationError):
        JoinPublic.model_validate({"session_id": number})


@pytest.mark.parametrize("text", ["2147483648", "99999999999", "0", "²", "١٢", "-1", "1e3", ""])
def test_an_id_in_a_path_that_the_database_cannot_hold_is_no_id(text: str) -> None:
    assert parse_id(text) is None


def test_an_id_in_a_path_is_read_up_to_the_databases_largest() -> None:
    assert parse_id("2147483647") == 2147483647


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("Lê\x00Văn", "LêVăn"),
        ("admin\u202egnp.exe", "admingnp.exe"),
        ("Hai\u200b\u200d\ufeff", "Hai"),
        ("dòng 1\ndòng 2\tcột", "dòng 1\ndòng 2\tcột"),
        (unicodedata.normalize("NFD", "Nghị quyết"), "Nghị quyết"),
        ("\x1b[31mđỏ\x9b", "[31mđỏ"),
    ],
)
def test_text_is_nfc_without_invisible_or_control_characters(dirty: str, clean: str) -> None:
    assert clean_text(dirty) == clean


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ("[" * 33 + "]" * 33, True),
        ("[" * 32 + "]" * 32, False),
        ('{"a": "' + "[" * 500 + '"}', False),
        ('["\\"' + "[" * 40 + '"]', False),
        ("[]" * 1000, False),
    ],
)
def test_json_deeper_than_any_payload_is_told_before_parsing(text: str, deep: bool) -> None:
    assert too_deep(text) is deep
