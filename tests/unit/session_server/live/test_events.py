"""Generated over every event type of the live contract: /public gets exactly the fields the type declares public
(nothing of a type it is not told of), through the same recording and broadcast code the server runs."""

from __future__ import annotations

import itertools
import json
import typing
from types import NoneType, UnionType
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from session_server.live.context import CommandContext
from session_server.live.dispatcher import CommandResult, Delivered
from session_server.live.events import EVENT_TYPES, LiveEvent
from session_server.realtime.broadcast import public_envelopes

# Values that change what /public may see of an event: each sample takes one of them.
SWITCHES = {"classification": ["public", "restricted"]}


def _values(name: str, annotation: Any) -> list[Any]:
    """Values for a field, each carrying a marker (`<name>`) that shows where it ends up."""
    if name in SWITCHES:
        return SWITCHES[name]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return list(args)
    if origin in (UnionType, typing.Union):
        return _values(name, next(a for a in args if a is not NoneType))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [_sample(annotation, {})]
    if annotation is bool:
        return [True]
    if annotation is int:
        return [7]
    if annotation is float:
        return [7.5]
    if annotation is str:
        return [f"<{name}>"]
    if origin is list:
        return [[{f"<{name}>": f"<{name}>"}]]
    if origin is dict:
        return [{f"<{name}>": f"<{name}>"}]
    raise AssertionError(f"no sample value for {name}: {annotation}")


def _sample(model: type[BaseModel], chosen: dict[str, Any]) -> dict[str, Any]:
    return {name: chosen.get(name, _values(name, field.annotation)[0]) for name, field in model.model_fields.items()}


def samples(event_type: type[LiveEvent]) -> list[LiveEvent]:
    """One instance per combination of the values a field can switch between, every field set."""
    fields = event_type.model_fields
    options = {name: _values(name, field.annotation) for name, field in fields.items()}
    switching = {name: values for name, values in options.items() if len(values) > 1}
    combinations = [dict(zip(switching, values, strict=True)) for values in itertools.product(*switching.values())]
    return [event_type(**_sample(event_type, chosen)) for chosen in combinations]


def broadcast_to_public(event: LiveEvent) -> list[dict[str, Any]]:
    ctx = CommandContext(*[None] * 8)  # type: ignore[arg-type]
    ctx.record(event)
    new = ctx.events[0]
    delivered = Delivered(1, new.type, new.live_data, "2026-12-07T08:00:00+07:00", new.public_data)
    return public_envelopes(CommandResult(1, [delivered], {}, True))


def _markers(data: Any) -> set[str]:
    text = json.dumps(data, ensure_ascii=False)
    return {part.split(">")[0] for part in text.split("<")[1:]}


CASES = [
    pytest.param(event, id=f"{event.type}-{i}") for t in EVENT_TYPES.values() for i, event in enumerate(samples(t))
]


@pytest.mark.parametrize("event", CASES)
def test_public_sees_only_what_the_event_type_declares(event: LiveEvent) -> None:
    sent = broadcast_to_public(event)

    if event.public is None:
        assert sent == []
        return
    assert len(sent) == 1
    data = sent[0]["data"]
    assert set(data) <= event.public
    assert _markers(data) <= event.public


@pytest.mark.parametrize("event", CASES)
def test_fields_kept_for_the_audit_chain_reach_no_screen(event: LiveEvent) -> None:
    live = broadcast_to_public(event)

    assert not set(event.live()) & event.hidden
    assert not any(set(envelope["data"]) & event.hidden for envelope in live)
    assert set(event.stored()) == set(type(event).model_fields)


def test_every_event_type_is_covered() -> None:
    covered = {case.values[0].type for case in CASES}

    assert covered == set(EVENT_TYPES)
    assert len(EVENT_TYPES) >= 26


def test_a_document_that_is_not_public_reaches_public_as_an_empty_event() -> None:
    hidden = next(e for e in samples(EVENT_TYPES["doc.shown"]) if e.classification != "public")

    assert broadcast_to_public(hidden)[0]["data"] == {}
