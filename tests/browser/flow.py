"""What the end-to-end browser tests share: a small council where three delegates make a quorum, the demo council in
full swing, signed-in browser contexts for several people at once, a PDF to upload, and a few seconds of HLS."""

from __future__ import annotations

import asyncio
import hashlib
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, Page, ViewportSize
from sqlalchemy import select

from session_server.auth import tokens
from session_server.db.models import (
    AgendaItem,
    BallotType,
    Classification,
    Council,
    CouncilSession,
    Document,
    DocumentKind,
    Member,
    Motion,
    MotionKind,
    Role,
    SessionStatus,
)
from session_server.documents.ingest import commit_version
from session_server.documents.pdf import inspect
from session_server.documents.upload import Received
from tests.browser.support import TABLET, WAIT_MS, DemoCouncil, LiveServer, make_demo_council, screenshot_path
from tests.factories import Account, make_member, make_motion, make_user
from tests.pdfs import numbered_pages, pdf_bytes

TABLET_PORTRAIT: ViewportSize = {"width": 800, "height": 1280}


@dataclass
class Hall:
    council: Council
    members: list[Member]
    secretary: Account
    chair: Account
    delegates: list[Account]


async def make_hall(live_server: LiveServer, names: tuple[str, ...] = ()) -> Hall:
    """Four delegates in office (so three present make the two-thirds quorum); DB01 chairs."""
    names = names or ("Bùi Minh Bình", "Trần Thị Hoa", "Lê Văn Nam", "Phạm Thu Trang")
    async with live_server.sessionmaker() as db:
        council = Council(name="Hội đồng nhân dân xã Hòa Bình", short_name="HĐND xã Hòa Bình", total_delegates=4)
        db.add(council)
        await db.flush()
        members = [await make_member(db, council, f"DB{n:02}", name) for n, name in enumerate(names, start=1)]
        hall = Hall(
            council=council,
            members=members,
            secretary=await make_user(db, "vanphong", Role.SECRETARY, council, display_name="Văn phòng HĐND xã"),
            chair=await make_user(db, "chutoa", Role.DELEGATE, council, members[0]),
            delegates=[await make_user(db, f"db0{n}", Role.DELEGATE, council, members[n - 1]) for n in (2, 3, 4)],
        )
        await db.commit()
    return hall


async def open_session(live_server: LiveServer, council_id: int, chair_member_id: int) -> int:
    """A scheduled public session with one agenda item, as staff would leave it (the setup UI is tested above)."""
    async with live_server.sessionmaker() as db:
        session = CouncilSession(
            council_id=council_id,
            title="Kỳ họp bất thường",
            status=SessionStatus.SCHEDULED,
            public=True,
            chair_member_id=chair_member_id,
        )
        db.add(session)
        await db.commit()
        return session.id


class People:
    """One browser context per person, signed in by cookie; uncaught page errors fail the test."""

    def __init__(self, browser: Browser, live_server: LiveServer) -> None:
        self.browser = browser
        self.live_server = live_server
        self.contexts: list[BrowserContext] = []
        self.errors: list[str] = []

    async def page(self, account: Account | None, path: str, viewport: ViewportSize = TABLET) -> Page:
        context = await self.browser.new_context(
            base_url=self.live_server.url(), viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        context.set_default_timeout(WAIT_MS)
        context.on("weberror", lambda error: self.errors.append(str(error.error)))
        self.contexts.append(context)
        if account is not None:
            async with self.live_server.sessionmaker() as db:
                token = await tokens.issue(db, account.user, tokens.COOKIE, timedelta(hours=1))
                await db.commit()
            name = self.live_server.services.settings.session_cookie_name
            await context.add_cookies([{"name": name, "value": token, "url": self.live_server.url(), "httpOnly": True}])
        page = await context.new_page()
        await page.goto(path)
        return page

    async def close(self, failed: bool, test_name: str) -> None:
        for index, context in enumerate(self.contexts):
            if failed:
                for page in context.pages:
                    await page.screenshot(path=screenshot_path(f"failed-{test_name}-{index}"), full_page=True)
            await context.close()


@asynccontextmanager
async def people(browser: Browser, live_server: LiveServer, test_name: str) -> AsyncIterator[People]:
    crowd = People(browser, live_server)
    failed = True
    try:
        yield crowd
        failed = False
    finally:
        await crowd.close(failed, test_name)
    assert not crowd.errors, f"uncaught errors in the pages: {crowd.errors}"


def write_pdf(folder: Path, pages: int = 5) -> Path:
    path = folder / "du-thao-nghi-quyet-ngan-sach.pdf"
    path.write_bytes(pdf_bytes(numbered_pages(pages, "Dự thảo nghị quyết về dự toán ngân sách năm 2027")))
    return path


async def store_pdf(
    live_server: LiveServer, path: Path, session_id: int, agenda_item_id: int | None, uploader: Account
) -> int:
    """A public document, "Dự thảo nghị quyết ngân sách", stored the way an upload is stored (the upload form itself
    is tested in test_session_flow.py)."""
    content = await asyncio.to_thread(path.read_bytes)
    facts = await asyncio.to_thread(inspect, str(path))
    received = Received(
        path=path, file_name=path.name, size=len(content), sha256=hashlib.sha256(content).hexdigest(), has_file=True
    )
    document = Document(
        session_id=session_id,
        agenda_item_id=agenda_item_id,
        title="Dự thảo nghị quyết ngân sách",
        kind=DocumentKind.DRAFT_RESOLUTION,
        classification=Classification.PUBLIC,
        version=1,
        created_by_user_id=uploader.user.id,
    )
    async with live_server.sessionmaker() as db:
        await commit_version(db, document, received, facts, uploader.user.id, live_server.services.settings.data_dir)
        return document.id


def write_hls(folder: Path, seconds: int = 6) -> None:
    """A few seconds of H.264/AAC test picture as HLS, named as HopSo's media worker names its files."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc2=size=640x360:rate=25:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "25",
            "-c:a",
            "aac",
            "-b:a",
            "64k",
            "-f",
            "hls",
            "-hls_time",
            "1",
            "-hls_list_size",
            "0",
            "-hls_playlist_type",
            "event",
            "-hls_segment_filename",
            str(folder / "seg%06d.ts"),
            str(folder / "index.m3u8"),
        ],
        check=True,
        timeout=60,
    )


async def shoot(page: Page, name: str, sizes: dict[str, ViewportSize]) -> None:
    """A screenshot at each size; none of them may scroll sideways."""
    for size_name, size in sizes.items():
        await page.set_viewport_size(size)
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = await page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className)"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {size_name} size: {wide}"
        await page.screenshot(path=screenshot_path(f"{name}-{size_name}"), full_page=True)


@dataclass
class Staged:
    demo: DemoCouncil
    members: dict[str, int]
    pending_motion: int
    election: int


async def stage_demo(live_server: LiveServer, folder: Path) -> Staged:
    """The demo session in full swing: open, most delegates present, the budget report's page 2 on screen, the
    delegate DB03 with the floor and two more waiting, the first resolution voted down (one ballot), the second
    and an election still to be voted on."""
    demo = await make_demo_council(live_server.sessionmaker)
    session_id = demo.session.id
    async with live_server.sessionmaker() as db:
        members = {m.code: m.id for m in await db.scalars(select(Member).where(Member.council_id == demo.council.id))}
        items = list(
            await db.scalars(
                select(AgendaItem).where(AgendaItem.session_id == session_id).order_by(AgendaItem.position)
            )
        )
        motions = list(
            await db.scalars(select(Motion.id).where(Motion.agenda_item_id == items[5].id).order_by(Motion.position))
        )
    election = await make_motion(
        live_server.sessionmaker,
        items[5].id,
        title="Bầu Trưởng Ban Pháp chế HĐND xã",
        kind=MotionKind.ELECTION,
        ballot_type=BallotType.SECRET,
        options=[{"key": 1, "name": "Hoàng Ngọc Mai"}, {"key": 2, "name": "Lý Văn Thắng"}],
    )
    run = live_server.services.dispatcher.run
    chair, delegate, office = demo.chair.user, demo.delegate.user, demo.secretary.user
    await run(chair, session_id, "session.open", {})
    present = [members[f"DB{n:02}"] for n in range(4, 29)]
    await asyncio.gather(
        *(run(office, session_id, "attendance.mark", {"member_id": m, "status": "present"}) for m in present)
    )
    await run(delegate, session_id, "checkin", {})
    document_id = await store_pdf(live_server, write_pdf(folder), session_id, items[1].id, demo.secretary)
    await run(chair, session_id, "agenda.goto", {"item_id": items[1].id})
    await run(chair, session_id, "doc.show", {"document_id": document_id, "page": 2})
    requested = await run(delegate, session_id, "speakers.request", {"kind": "question"})
    for code in ("DB05", "DB07"):
        await run(chair, session_id, "speakers.add", {"member_id": members[code]})
    await run(chair, session_id, "speakers.grant", {"request_id": requested.events[0].live_data["request_id"]})
    await run(chair, session_id, "vote.open", {"motion_id": motions[0]})
    await run(delegate, session_id, "vote.cast", {"motion_id": motions[0], "choice": "yes"})
    await run(chair, session_id, "vote.close", {"motion_id": motions[0], "confirm": True})
    return Staged(demo, members, motions[1], election)


async def chair_runs(live_server: LiveServer, staged: Staged, command: str, motion_id: int, **extra: object) -> None:
    await live_server.services.dispatcher.run(
        staged.demo.chair.user, staged.demo.session.id, command, {"motion_id": motion_id, **extra}
    )
