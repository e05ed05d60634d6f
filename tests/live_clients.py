"""Real Socket.IO clients for tests: connect to a running HopSo, join a session, send commands, collect events."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import socketio


@dataclass
class LiveClient:
    sio: socketio.AsyncClient
    namespace: str
    events: list[dict[str, Any]] = field(default_factory=list)
    joined: dict[str, Any] = field(default_factory=dict)

    async def join(self, session_id: int, timeout: float = 10, **extra: Any) -> dict[str, Any]:  # noqa: ASYNC109 - the ack timeout
        payload = {"session_id": session_id, **extra}
        answer = await self.sio.call("join", payload, namespace=self.namespace, timeout=timeout)
        if answer.get("ok"):
            self.joined = answer
        return answer

    async def send(
        self,
        command: str,
        payload: dict[str, Any] | None = None,
        timeout: float = 10,  # noqa: ASYNC109 - the Socket.IO call's own ack timeout
    ) -> dict[str, Any]:
        return await self.sio.call(command, payload or {}, namespace=self.namespace, timeout=timeout)

    async def ok(self, command: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = await self.send(command, payload)
        assert answer.get("ok"), f"{command} {payload}: {answer}"
        return answer

    async def wait_for(self, event_type: str) -> dict[str, Any]:
        """The first event of this type, waiting up to five seconds for it."""
        async with asyncio.timeout(5):
            while True:
                for event in self.events:
                    if event["type"] == event_type:
                        return event
                await asyncio.sleep(0.01)

    async def close(self) -> None:
        await self.sio.disconnect()


async def connect(base_url: str, namespace: str = "/live", token: str | None = None, **kwargs: Any) -> LiveClient:
    sio = socketio.AsyncClient(reconnection=False)
    client = LiveClient(sio, namespace)

    async def on_event(envelope: dict[str, Any]) -> None:
        client.events.append({**envelope, "received": time.time()})

    sio.on("event", on_event, namespace=namespace)
    auth = {"token": token} if token else None
    await sio.connect(base_url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=30, **kwargs)
    return client
