"""Every app, in Vietnamese as it opens, at tablet and phone size with a live session on screen, keeps its text at
WCAG 2.1 AA contrast: 4.5:1, or 3:1 for large text (24px, or 18.66px bold). States with their own colors are
checked too: the vote buttons and the confirmation, a delegate with the floor, the offline banner, errors.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy import select

from session_server.db.models import AgendaItem, BallotType, Member, Motion, MotionKind
from tests.browser.accessibility import assert_contrast, contrast_report
from tests.browser.flow import store_pdf, write_pdf
from tests.browser.support import BROWSER_TEST, PHONE, TABLET, DemoCouncil, LiveServer, SignIn, make_demo_council
from tests.factories import make_motion

pytestmark = BROWSER_TEST

SIZES = (("tablet", TABLET), ("phone", PHONE))


async def check_sizes(page: Page, where: str, root: str | None = None) -> None:
    """The page as it opens, in Vietnamese, at both sizes."""
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    for size_name, size in SIZES:
        await page.set_viewport_size(size)
        await assert_contrast(page, f"{where} at {size_name} size", root)


async def test_the_contrast_check_finds_faint_text_and_measures_through_opacity(page: Page) -> None:
    await page.set_content(
        """
        <body style="background: #ffffff; color: #000000">
          <p id="black">Chữ đen</p>
          <p id="grey" style="color: #777777">Chữ xám nhạt</p>
          <h2 id="large" style="font-size: 24px; color: #888888">Chữ lớn</h2>
          <div style="background: #0b4a86; opacity: 0.5"><span id="faded" style="color: #ffffff">Mờ</span></div>
          <div style="background: linear-gradient(#000, #fff)"><span id="gradient">Trên nền chuyển màu</span></div>
          <span style="position: absolute; width: 1px; height: 1px; overflow: hidden">Cho trình đọc màn hình</span>
        </body>
        """
    )
    report = await contrast_report(page)
    found = {item["selector"]: item for item in report["checked"]}
    assert found["p#black"]["ratio"] == 21 and found["p#black"]["passes"]
    assert found["p#grey"]["ratio"] == 4.48 and found["p#grey"]["required"] == 4.5 and not found["p#grey"]["passes"]
    assert found["h2#large"]["required"] == 3 and found["h2#large"]["passes"]
    faded = next(item for selector, item in found.items() if selector.endswith("span#faded"))
    assert faded["color"] == "#ffffff" and faded["background"] == "#85a5c3" and not faded["passes"]
    assert [item["text"] for item in report["skipped"]] == ["Trên nền chuyển màu"]
    assert "Cho trình đọc màn hình" not in str(report)
    with pytest.raises(AssertionError, match=r"p#grey 'Chữ xám nhạt': #777777 on #ffffff = 4.48:1, needs 4.5:1"):
        await assert_contrast(page, "sample")


async def test_the_sign_in_page_keeps_its_contrast(page: Page) -> None:
    await page.goto("/login/")
    await check_sizes(page, "sign-in page")
    await page.locator("#login-form [type=submit]").click()
    await page.get_by_test_id("login-error").wait_for()
    await check_sizes(page, "sign-in page with an error")


@dataclass
class Staged:
    demo: DemoCouncil
    pending_motion: int
    election: int


@pytest_asyncio.fixture(loop_scope="session")
async def staged(live_server: LiveServer, tmp_path: Path) -> Staged:
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
    document_id = await store_pdf(live_server, write_pdf(tmp_path), session_id, items[1].id, demo.secretary)
    await run(chair, session_id, "agenda.goto", {"item_id": items[1].id})
    await run(chair, session_id, "doc.show", {"document_id": document_id, "page": 2})
    requested = await run(delegate, session_id, "speakers.request", {"kind": "question"})
    for code in ("DB05", "DB07"):
        await run(chair, session_id, "speakers.add", {"member_id": members[code]})
    await run(chair, session_id, "speakers.grant", {"request_id": requested.events[0].live_data["request_id"]})
    await run(chair, session_id, "vote.open", {"motion_id": motions[0]})
    await run(delegate, session_id, "vote.cast", {"motion_id": motions[0], "choice": "yes"})
    await run(chair, session_id, "vote.close", {"motion_id": motions[0]})
    return Staged(demo, motions[1], election)


async def chair_runs(live_server: LiveServer, staged: Staged, command: str, motion_id: int) -> None:
    await live_server.services.dispatcher.run(
        staged.demo.chair.user, staged.demo.session.id, command, {"motion_id": motion_id}
    )


async def test_the_tablet_keeps_its_contrast_through_a_vote_and_an_outage(
    context: BrowserContext, page: Page, staged: Staged, live_server: LiveServer, sign_in: SignIn
) -> None:
    await sign_in(staged.demo.delegate)
    await page.goto(f"/tablet/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("my-floor")).to_have_text("Mời bạn phát biểu.")
    await expect(page.get_by_test_id("doc-page")).to_have_js_property("complete", True)
    await expect(page.get_by_test_id("results")).to_contain_text("Không được thông qua")
    await check_sizes(page, "tablet")

    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    vote = page.get_by_test_id("vote")
    await expect(vote.get_by_test_id("vote-abstain")).to_be_visible()
    await check_sizes(page, "tablet vote buttons", "[data-testid=vote]")
    await vote.get_by_test_id("vote-no").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text("Không tán thành")
    await check_sizes(page, "tablet vote confirmation", "[data-testid=vote]")
    await vote.get_by_test_id("vote-submit").click()
    await expect(vote.get_by_test_id("vote-recorded")).to_be_visible()
    await check_sizes(page, "tablet vote recorded", "[data-testid=vote]")

    await chair_runs(live_server, staged, "vote.close", staged.pending_motion)
    await chair_runs(live_server, staged, "vote.open", staged.election)
    await vote.get_by_role("button", name="Lý Văn Thắng").click()
    await expect(vote.get_by_role("button", name="Lý Văn Thắng")).to_have_attribute("aria-pressed", "true")
    await check_sizes(page, "tablet election ballot", "[data-testid=vote]")
    await vote.get_by_role("button", name="Tiếp tục").click()
    await expect(vote.get_by_test_id("vote-confirm-choice")).to_have_text("Lý Văn Thắng")
    await check_sizes(page, "tablet election confirmation", "[data-testid=vote]")

    await context.set_offline(True)
    await expect(page.get_by_test_id("connection")).to_be_visible()
    await check_sizes(page, "tablet offline banner", "[data-testid=connection]")
    await context.set_offline(False)


async def test_the_chair_console_keeps_its_contrast(
    page: Page, staged: Staged, live_server: LiveServer, sign_in: SignIn
) -> None:
    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    await sign_in(staged.demo.chair)
    await page.goto(f"/chair/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("cast-count")).to_have_text("Đã biểu quyết: 0/26 đại biểu có mặt")
    await expect(page.get_by_test_id("queue").locator("li")).to_have_count(2)
    await expect(page.get_by_test_id("result-text")).to_be_visible()
    for summary in await page.locator("details > summary").all():
        await summary.click()
    await check_sizes(page, "chair console")


async def test_the_public_page_keeps_its_contrast(page: Page, staged: Staged, live_server: LiveServer) -> None:
    await chair_runs(live_server, staged, "vote.open", staged.pending_motion)
    await page.goto(f"/public/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("public-vote")).to_contain_text("Đang biểu quyết")
    await expect(page.get_by_test_id("speaker-name")).to_have_text("Dương Hữu Cường")
    await expect(page.get_by_test_id("doc-counter")).to_have_text("Trang 2/5")
    await check_sizes(page, "public page")


async def test_the_office_console_keeps_its_contrast(page: Page, staged: Staged, sign_in: SignIn) -> None:
    await sign_in(staged.demo.secretary)
    await page.goto(f"/staff/?session={staged.demo.session.id}")
    await expect(page.get_by_test_id("member-table").locator("tbody tr")).to_have_count(35)
    await expect(page.get_by_test_id("setup").locator(".agenda-item")).to_have_count(7)
    await check_sizes(page, "office console")
