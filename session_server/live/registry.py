"""Where live commands are declared: wire name, payload schema and handler; who may run it is in auth/roles.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from session_server.auth.roles import COMMAND_CAPACITIES

if TYPE_CHECKING:
    from session_server.errors import ApiError
    from session_server.live.context import CommandContext


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NoPayload(Payload):
    pass


Items = Sequence[tuple["CommandContext", Any]]
GroupHandler = Callable[[Items], Awaitable[list["ApiError | None"]]]


@dataclass(frozen=True)
class Command:
    name: str
    payload: type[Payload]
    handler: GroupHandler
    reads_state: bool
    grouped: bool
    summary: str = ""


COMMANDS: dict[str, Command] = {}


def _summary(handler: Callable[..., Any]) -> str:
    return " ".join((handler.__doc__ or "").split("\n\n")[0].split())


def _check_role_table(name: str) -> None:
    if name not in COMMAND_CAPACITIES:
        raise KeyError(f"command {name} has no row in the role table (auth/roles.py COMMAND_CAPACITIES)")


def command(
    name: str, payload: type[Payload] = NoPayload, *, reads_state: bool = True
) -> Callable[[Callable[..., Awaitable[None]]], Any]:
    """Register a command whose handler takes one context and payload and refuses by raising an ApiError.
    `reads_state=False` (a check-in) lets a batch skip rebuilding the live state before running it, since its
    handler decides from the tables alone."""
    _check_role_table(name)

    def register(handler: Callable[..., Awaitable[None]]) -> Callable[..., Awaitable[None]]:
        async def alone(items: Items) -> list[ApiError | None]:
            ctx, payload = items[0]
            await handler(ctx, payload)
            return [None]

        COMMANDS[name] = Command(name, payload, alone, reads_state, grouped=False, summary=_summary(handler))
        return handler

    return register


def grouped_command(name: str, payload: type[Payload]) -> Callable[[GroupHandler], GroupHandler]:
    """Register a command that the dispatcher hands over in groups: the same command sent by many callers at
    once (500 ballots when a vote opens) is written with a few statements instead of a few per caller. The handler
    gets the (context, payload) pairs in order and answers each with a refusal or None; a refused one must write
    nothing. It runs without a savepoint, so anything it raises fails the whole batch (nothing is written). The live
    state it reads is up to date with the commands before it in the batch."""
    _check_role_table(name)

    def register(handler: GroupHandler) -> GroupHandler:
        COMMANDS[name] = Command(name, payload, handler, reads_state=True, grouped=True, summary=_summary(handler))
        return handler

    return register
