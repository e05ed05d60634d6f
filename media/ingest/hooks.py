"""nginx-rtmp's HTTP notifications (``on_publish``, ``on_publish_done``) and who decides on a stream key.

nginx-rtmp POSTs a form to the hook URL; a 2xx answer lets the publisher in, anything else
(HopSo answers 403) refuses it before media flows.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from media.names import InvalidName, check_stream_key

_KNOWN_FIELDS = frozenset({"call", "app", "name", "addr", "clientid", "type", "flashver", "swfurl", "tcurl", "pageurl"})


class HookError(ValueError):
    """A hook request that is not a well-formed nginx-rtmp notification."""


@dataclass(frozen=True)
class RtmpHook:
    call: str
    """``publish`` or ``publish_done`` (also ``play``, ``done`` ... if configured)."""
    app: str
    stream_key: str
    addr: str = ""
    """The publisher's IP address."""
    client_id: str = ""
    args: Mapping[str, str] = field(default_factory=dict)
    """Query arguments the publisher appended to the stream name (``KEY?a=b``)."""


def parse_hook(form: Mapping[str, str]) -> RtmpHook:
    """Read nginx-rtmp's notification form; raise :class:`HookError` if it is not one."""
    call, app, name = form.get("call", ""), form.get("app", ""), form.get("name", "")
    if not call or not app:
        raise HookError("not an nginx-rtmp notification: 'call' and 'app' are required")
    try:
        stream_key = check_stream_key(name)
    except InvalidName as exc:
        raise HookError(str(exc)) from exc
    return RtmpHook(
        call=call,
        app=app,
        stream_key=stream_key,
        addr=form.get("addr", ""),
        client_id=form.get("clientid", ""),
        args={key: value for key, value in form.items() if key not in _KNOWN_FIELDS},
    )


class StreamKeyAuthority(Protocol):
    """Knows which session, if any, a stream key currently publishes to (session_server, from its database)."""

    async def check(self, stream_key: str) -> str | None:
        """Return the session key the stream belongs to, or None to refuse the publisher."""
        ...
