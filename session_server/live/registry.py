"""Where live commands are declared: wire name, payload schema and handler; who may run it is in auth/roles.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from session_server.auth.roles import COMMAND_CAPACITIES

if TYPE_CHECKING:
    from session_server.live.dispatcher import CommandContext


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoPayload(Payload):
    pass


@dataclass(frozen=True)
class Command:
    name: str
    payload: type[Payload]
    handler: Callable[[CommandContext, Any], Awaitable[None]]
    reads_state: bool
    duplicate: tuple[str, str] | None


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    payload: type[Payload] = NoPayload,
    *,
    reads_state: bool = True,
    duplicate: tuple[str, str] | None = None,
) -> Callable[[Callable[..., Awaitable[None]]], Any]:
    """Register a command. `reads_state=False` (a ballot, a check-in) lets a batch skip rebuilding the live state
    before running it, since its handler decides from the tables alone. `duplicate` is the refusal (Vietnamese,
    English) when a unique constraint refuses what the command writes, so the database, not a prior read, settles it."""
    if name not in COMMAND_CAPACITIES:
        raise KeyError(f"command {name} has no row in the role table (auth/roles.py COMMAND_CAPACITIES)")

    def register(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        COMMANDS[name] = Command(name, payload, handler, reads_state, duplicate)
        return handler

    return register
