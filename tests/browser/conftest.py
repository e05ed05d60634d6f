"""Browser tests: Playwright drives Debian's Chromium against a real HopSo server on loopback.

One Chromium for the whole run, a fresh context (cookies, storage) per test. Playwright's objects belong to the
event loop that launched them, so the browser, each test's server and the tests all run on the session's loop
(`pytestmark = BROWSER_TEST` in every module; a module without it is refused at collection). The server is aiohttp's
own `TestServer` (what pytest-aiohttp's `aiohttp_server` wraps), started on that loop: `aiohttp_server` itself is
bound to the function-scoped loop, where the session's browser cannot reach it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, BrowserContext, Page, async_playwright, expect

import viewer
from session_server.app import create_app
from session_server.auth import tokens
from tests.browser.flow import Staged, stage_demo
from tests.browser.support import TABLET, WAIT_MS, LiveServer, SignIn, screenshot_path
from tests.conftest import make_settings
from tests.factories import Account, World, make_world
from tests.support import missing, require_executable

CHROMIUM = "/usr/bin/chromium"
expect.set_options(timeout=WAIT_MS)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent
FAILED = pytest.StashKey[bool]()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            marker = item.get_closest_marker("asyncio")
            if marker is None or marker.kwargs.get("loop_scope") != "session":
                raise pytest.UsageError(f"{item.nodeid}: browser test modules need `pytestmark = BROWSER_TEST`")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed:
        item.stash[FAILED] = True
    return report


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_executable(CHROMIUM, "apt-get install chromium")


@pytest.fixture(scope="session")
def viewer_libraries() -> None:
    for library in ("socket.io-client", "hls.js", "chart.js", "@kurkle/color"):
        if not (viewer.NODE_MODULES / library).is_dir():
            missing(f"viewer/node_modules/{library} is not installed (cd viewer && npm ci)")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(chromium: str) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def live_server(tmp_path: Path, sqlite_database: str, viewer_libraries: None) -> AsyncIterator[LiveServer]:
    """HopSo on a free loopback port with a fresh SQLite database (browser tests do not depend on the backend)."""
    server = TestServer(create_app(make_settings(tmp_path, sqlite_database)), host="127.0.0.1")
    await server.start_server()
    yield LiveServer(server)
    await server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def staged(live_server: LiveServer, tmp_path: Path) -> Staged:
    """The demo session in full swing (tests/browser/flow.py `stage_demo`)."""
    return await stage_demo(live_server, tmp_path)


@pytest_asyncio.fixture(loop_scope="session")
async def world(live_server: LiveServer) -> World:
    """The API tests' world (a council, a member, one account per role), in the browser server's database."""
    return await make_world(live_server.sessionmaker)


@pytest_asyncio.fixture(loop_scope="session")
async def context(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> AsyncIterator[BrowserContext]:
    """A fresh browser profile on the server; on failure, a screenshot of each open page. Uncaught errors fail."""
    context = await browser.new_context(
        base_url=live_server.url(), viewport=TABLET, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    context.on("weberror", lambda error: errors.append(f"{error.page.url if error.page else '?'}: {error.error}"))
    yield context
    if request.node.stash.get(FAILED, False):
        for index, page in enumerate(context.pages):
            await page.screenshot(path=screenshot_path(f"failed-{request.node.name}-{index}"), full_page=True)
    await context.close()
    assert not errors, f"uncaught errors in the page: {errors}"


@pytest_asyncio.fixture(loop_scope="session")
async def sign_in(context: BrowserContext, live_server: LiveServer) -> SignIn:
    """Gives the browser a session cookie for an account, as /api/auth/login does, without the Argon2 wait.

    The sign-in form itself is tested in test_login.py.
    """

    async def give_cookie(account: Account) -> None:
        async with live_server.sessionmaker() as db:
            token = await tokens.issue(db, account.user, tokens.COOKIE, timedelta(hours=1))
            await db.commit()
        name = live_server.services.settings.session_cookie_name
        await context.add_cookies(
            [{"name": name, "value": token, "url": live_server.url(), "httpOnly": True, "sameSite": "Lax"}]
        )

    return give_cookie


@pytest_asyncio.fixture(loop_scope="session")
async def page(context: BrowserContext) -> Page:
    return await context.new_page()
