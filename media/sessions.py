"""Every armed session's :class:`StreamWorker`, shared by RTMP and WHIP ingest, and who publishes to each.

Both ingests feed the same worker, so a session has one live playlist and one recording whichever way the
hall publishes, and a switch from one to the other is just a reconnect (a discontinuity).
"""

import asyncio
from collections.abc import Callable, Sequence

from media.events import MediaEvents
from media.names import check_session_key
from media.outputs.base import PacketOutput
from media.worker import StreamWorker, WorkerSettings

OutputFactory = Callable[[str], Sequence[PacketOutput]]
"""Builds the outputs of a session's stream from its session key."""


class SessionStreams:
    def __init__(self, outputs: OutputFactory, events: MediaEvents, settings: WorkerSettings) -> None:
        self.outputs = outputs
        self.events = events
        self.settings = settings
        self._workers: dict[str, StreamWorker] = {}
        self._publishers: dict[str, str] = {}
        """session key -> its publisher (``rtmp:KEY``, ``whip:ID``) while one is connected."""
        self.lock = asyncio.Lock()
        """Held by an ingest while it decides on a publisher, so two cannot both claim a session."""

    def worker(self, session_key: str) -> StreamWorker | None:
        """The session's stream while it is armed."""
        return self._workers.get(session_key)

    async def arm(self, session_key: str) -> StreamWorker:
        """The session's worker, started (reports WAITING) if it was not yet; call with :attr:`lock` held."""
        worker = self._workers.get(check_session_key(session_key))
        if worker is None:
            worker = StreamWorker(session_key, self.outputs(session_key), self.events, self.settings)
            await worker.start()
            self._workers[session_key] = worker
        return worker

    def claim(self, session_key: str, publisher: str) -> bool:
        """Make ``publisher`` the session's one publisher; False if another one is connected."""
        return self._publishers.setdefault(session_key, publisher) == publisher

    def release(self, session_key: str, publisher: str) -> None:
        if self._publishers.get(session_key) == publisher:
            del self._publishers[session_key]

    def publisher(self, session_key: str) -> str | None:
        return self._publishers.get(session_key)

    async def end(self, session_key: str) -> None:
        """Close the session's stream for good (its publishers were cut first): playlist ended, recording final."""
        async with self.lock:
            worker = self._workers.pop(session_key, None)
            self._publishers.pop(session_key, None)
        if worker is not None:
            await worker.close(final=True)

    async def close(self) -> None:
        """Shut down: close files; playlists and recordings stay open for the next run."""
        async with self.lock:
            workers, self._workers = list(self._workers.values()), {}
            self._publishers.clear()
        await asyncio.gather(*(worker.close(final=False) for worker in workers))
