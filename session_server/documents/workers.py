"""The app's PDF workers: a process pool for PyMuPDF, one render per page however many ask, background pre-rendering.

MuPDF holds the GIL while it renders (a 1600-pixel page stalls every other thread for tenths of a second), so the
work goes to processes, never to threads of the server's own process.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import heapq
import itertools
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from session_server.documents import pdf
from session_server.documents.cache import PageCache, PageKey
from session_server.documents.lifeline import end_with_parent
from session_server.documents.pdf import ImageFormat, PdfFacts
from session_server.services import services_of

log = logging.getLogger(__name__)
T = TypeVar("T")

# Tablets ask for the reading width and the thumbnail strip; other widths are rendered when asked for.
READING_WIDTH = 1600
PRERENDER_WIDTHS = (READING_WIDTH, 320)
PRERENDER_FORMAT = ImageFormat.WEBP
# Every page of a session document is ready before delegates turn to it; a 2,000-page annex gets its first pages
# ready at once and the rest on demand.
PRERENDER_PAGES = 300


class Priority(enum.IntEnum):
    """Who waits for a worker: someone at a tablet or a form, or nobody yet."""

    ASKED = 0
    BACKGROUND = 1


class _Slots:
    """One slot per worker process; a free slot goes to the most urgent waiter, first come first served within."""

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiting: list[tuple[Priority, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    @contextlib.asynccontextmanager
    async def held(self, priority: Priority) -> AsyncIterator[None]:
        if self._free and not self._waiting:
            self._free -= 1
        else:
            turn = asyncio.get_running_loop().create_future()
            heapq.heappush(self._waiting, (priority, next(self._arrivals), turn))
            try:
                await turn
            except asyncio.CancelledError:
                if turn.done() and not turn.cancelled():
                    self._release()  # cancelled just after being handed the slot: hand it on
                raise
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        while self._waiting:
            _priority, _arrival, turn = heapq.heappop(self._waiting)
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1


def _pool(processes: int) -> ProcessPoolExecutor:
    # forkserver: workers are forked from a clean process that has imported PyMuPDF once, not from this
    # multi-threaded server, and start in milliseconds.
    context = multiprocessing.get_context("forkserver")
    # By name: importing the first one here would tie this server to its own parent.
    context.set_forkserver_preload(["session_server.documents.fork_server_start", pdf.__name__])
    return ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=end_with_parent)


class DocumentWorkers:
    """Work goes to the pool only when a worker is free, so what a tablet asks for never queues behind pre-rendering.

    Pre-rendering keeps every worker busy, one page per call: a worker keeps the file open between calls, and a
    tablet's request waits for one page to finish at most.
    """

    def __init__(self, cache: PageCache, processes: int) -> None:
        self.cache = cache
        self._processes = processes
        self._pool = _pool(processes)
        self._slots = _Slots(processes)
        self._rendering: dict[PageKey, asyncio.Future[bytes]] = {}
        self._background: dict[asyncio.Task[None], int | None] = {}  # the document pre-rendered, None for warm_up
        self._warmed: ProcessPoolExecutor | None = None

    async def call(self, function: Callable[..., T], *args: Any, priority: Priority = Priority.ASKED) -> T:
        async with self._slots.held(priority):
            pool = self._pool
            try:
                # submit() may start a worker process, which blocks for seconds while the fork server first boots.
                submitted = await asyncio.to_thread(pool.submit, function, *args)
                return await asyncio.wrap_future(submitted)
            except BrokenProcessPool:
                # A worker died (a file that crashes MuPDF, or the OOM killer): later calls get a fresh pool.
                if pool is self._pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = _pool(self._processes)
                raise

    def warm_up(self) -> None:
        """Start the worker processes in the background, before the first upload needs them: the fork server's first
        start takes a second or more, the workers forked from it afterwards a few milliseconds."""
        if self._warmed is self._pool:
            return
        self._warmed = self._pool
        task = asyncio.create_task(self._warm_up())
        self._background[task] = None
        task.add_done_callback(self._background.pop)

    async def _warm_up(self) -> None:
        with contextlib.suppress(Exception):
            await self.call(pdf.clean_text, "", priority=Priority.BACKGROUND)

    async def inspect(self, path: Path) -> PdfFacts:
        return await self.call(pdf.inspect, str(path))

    async def inspect_upload(self, path: Path, first_page: bool) -> tuple[PdfFacts, bytes | None]:
        """`inspect` an upload and, if asked, render its page 1 at the reading width meanwhile on another worker.

        The page can go in the cache (`keep_first_page`) the moment the document is stored, so a tablet shown the
        document at once does not wait for it. None if it cannot be rendered: it is then rendered when asked for.
        """
        rendering = asyncio.ensure_future(self._first_page(path)) if first_page else None
        try:
            facts = await self.inspect(path)
        except BaseException:
            if rendering is not None:
                rendering.cancel()
                await asyncio.gather(rendering, return_exceptions=True)
            raise
        return facts, None if rendering is None else await rendering

    async def _first_page(self, path: Path) -> bytes | None:
        try:
            return await self.call(pdf.render_upload_page, str(path), 1, READING_WIDTH, PRERENDER_FORMAT)
        except Exception:
            log.info("page 1 of the upload %s was not rendered ahead", path.name, exc_info=True)
            return None

    async def keep_first_page(self, document_id: int, version: int, image: bytes) -> None:
        try:
            await self.cache.write(PageKey(document_id, version, 1, READING_WIDTH, PRERENDER_FORMAT), image)
        except OSError:
            log.warning("page 1 of document %s version %s was not cached", document_id, version, exc_info=True)

    async def words(self, path: Path, page: int) -> pdf.PageWords:
        return await self.call(pdf.page_words, str(path), page)

    async def watermarked(self, path: Path, key: PageKey, text: str) -> bytes:
        return await self.call(pdf.render_page, str(path), key.page, key.width, key.fmt, text)

    async def page(self, path: Path, key: PageKey, priority: Priority = Priority.ASKED) -> bytes:
        """The page from the cache, or rendered once and cached while every request for it waits on that render."""
        cached = await self.cache.read(key)
        if cached is not None:
            return cached
        rendering = self._rendering.get(key)
        if rendering is None:
            rendering = asyncio.ensure_future(self._render(path, key, priority))
            self._rendering[key] = rendering
            rendering.add_done_callback(lambda _done: self._rendering.pop(key, None))
        return await asyncio.shield(rendering)

    async def _render(self, path: Path, key: PageKey, priority: Priority) -> bytes:
        image = await self.call(pdf.render_page, str(path), key.page, key.width, key.fmt, priority=priority)
        await self.cache.write(key, image)
        return image

    def prerender(self, path: Path, document_id: int, version: int, page_count: int) -> None:
        task = asyncio.create_task(self._prerender(path, document_id, version, page_count))
        self._background[task] = document_id
        task.add_done_callback(self._background.pop)

    async def _prerender(self, path: Path, document_id: int, version: int, page_count: int) -> None:
        """Every page at the reading width first, then the thumbnails, on every worker.

        One lane more than there are workers: while a lane writes its page to the cache, the spare one keeps that
        worker busy.
        """
        keys = iter(
            [
                PageKey(document_id, version, page, width, PRERENDER_FORMAT)
                for width in PRERENDER_WIDTHS
                for page in range(1, min(page_count, PRERENDER_PAGES) + 1)
            ]
        )
        try:
            async with asyncio.TaskGroup() as lanes:
                for _ in range(self._processes + 1):
                    lanes.create_task(self._prerender_lane(path, keys))
        except Exception:
            log.warning("pre-rendering document %s version %s stopped", document_id, version, exc_info=True)

    async def _prerender_lane(self, path: Path, keys: Iterator[PageKey]) -> None:
        for key in keys:  # shared by the lanes: each takes the next page left
            await self.page(path, key, Priority.BACKGROUND)

    async def drop(self, document_id: int) -> None:
        """Forget a document's rendered pages, and stop rendering more of them."""
        stopping = [task for task, document in self._background.items() if document == document_id]
        for task in stopping:
            task.cancel()
        rendering = [future for key, future in self._rendering.items() if key.document_id == document_id]
        await asyncio.gather(*stopping, *rendering, return_exceptions=True)
        await self.cache.drop(document_id)

    async def settle(self) -> None:
        """Wait until the background pre-rendering started so far is done."""
        while self._background:
            await asyncio.gather(*self._background, return_exceptions=True)

    async def close(self) -> None:
        for task in self._background:
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)


WORKERS_KEY = web.AppKey("hopso.documents.workers", DocumentWorkers)


def workers_of(app: web.Application) -> DocumentWorkers:
    return app[WORKERS_KEY]


async def document_workers(app: web.Application) -> AsyncIterator[None]:
    """The app's cleanup context: the pool starts with the app and its workers stop with it."""
    settings = services_of(app).settings
    workers = DocumentWorkers(
        PageCache(settings.data_dir / "page-cache"), processes=max(2, min(4, os.cpu_count() or 1))
    )
    app[WORKERS_KEY] = workers
    yield
    await workers.close()
