"""What browser tests share besides fixtures: the module marks, screen sizes, signing in, a believable council."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, ViewportSize
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from session_server.councils.members import upsert_members
from session_server.councils.schemas import MemberIn
from session_server.db.models import (
    AgendaItem,
    AgendaKind,
    BallotType,
    Council,
    CouncilSession,
    Member,
    Motion,
    Role,
    SessionKind,
    SessionStatus,
)
from session_server.demo.loader import demo_data
from session_server.services import Services, services_of
from tests.factories import PASSWORD, Account, make_user

# Every browser test module sets `pytestmark = BROWSER_TEST`: Playwright's browser belongs to the event loop that
# launched it (the session's), so the tests and the server run on that loop too.
BROWSER_TEST = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# The addresses a page open to the public may ask for: none of them answers with anything private.
ALLOWED_PUBLIC = re.compile(
    r"^/(public/|static/|vendor/|socket\.io/\?EIO=4&transport=polling.*|api/public/|live/\d+/|api/auth/me$)"
)

# What a user waits for may take longer than Playwright's default 5 s on a loaded two-core machine running the
# server, the browser and the tests together; what never happens still fails, later.
WAIT_MS = 10_000
TABLET: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-")
    return SCREENSHOTS / f"{safe}.png"


@dataclass
class LiveServer:
    server: TestServer

    def url(self, path: str = "/") -> str:
        return str(self.server.make_url(path))

    @property
    def services(self) -> Services:
        return services_of(self.server.app)

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return self.services.sessionmaker


SignIn = Callable[[Account], Awaitable[None]]


async def fill_sign_in_form(page: Page, username: str, password: str = PASSWORD) -> None:
    """Whatever the language of the page (test_login.py checks the labels themselves)."""
    await page.locator("#username").fill(username)
    await page.locator("#password").fill(password)
    await page.locator("#login-form [type=submit]").click()


@dataclass
class DemoCouncil:
    council: Council
    session: CouncilSession
    secretary: Account
    chair: Account
    delegate: Account


async def make_demo_council(sessionmaker: async_sessionmaker[AsyncSession]) -> DemoCouncil:
    """The project's demo council (35 delegates, a year-end session with its agenda), with three accounts."""
    data = demo_data()
    async with sessionmaker() as db:
        council = Council(**data["council"])
        db.add(council)
        await db.flush()
        await upsert_members(db, council.id, (MemberIn(**m) for m in data["members"]))
        members = {m.code: m for m in await db.scalars(select(Member).where(Member.council_id == council.id))}
        spec = data["session"]
        session = CouncilSession(
            council_id=council.id,
            title=spec["title"],
            kind=SessionKind(spec["kind"]),
            status=SessionStatus.SCHEDULED,
            public=spec["public"],
            starts_at=datetime.fromisoformat(spec["starts_at"]),
            place=spec["place"],
            chair_member_id=members[spec["chair"]].id,
            agenda=[
                AgendaItem(
                    position=position,
                    title=item["title"],
                    kind=AgendaKind(item["kind"]),
                    motions=[
                        Motion(position=index, title=m["title"], ballot_type=BallotType(m["ballot"]), rule=m["rule"])
                        for index, m in enumerate(item.get("motions", []), start=1)
                    ],
                )
                for position, item in enumerate(spec["agenda"], start=1)
            ],
        )
        db.add(session)
        await db.flush()
        demo = DemoCouncil(
            council=council,
            session=session,
            secretary=await make_user(db, "vanphong", Role.SECRETARY, council, display_name="Văn phòng HĐND xã"),
            chair=await make_user(db, "chutoa", Role.DELEGATE, council, members["DB01"]),
            delegate=await make_user(db, "db03", Role.DELEGATE, council, members["DB03"]),
        )
        await db.commit()
    return demo
