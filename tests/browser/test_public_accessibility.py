"""The public pages meet WCAG 2.1 AA as a citizen meets them, in Vietnamese, at phone and tablet size: text contrast,
every control named, the keyboard reaching the search and the results with a visible focus; and a council's search
finds a public document's page typed without diacritics."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.accessibility import assert_contrast, assert_named_controls, tab_to
from tests.browser.flow import Staged
from tests.browser.support import BROWSER_TEST, PHONE, TABLET

pytestmark = BROWSER_TEST

COUNCIL_PATH = "/public/hdnd-xa-kien-minh/"


async def check(page: Page, where: str) -> None:
    await expect(page.locator("html")).to_have_attribute("lang", "vi")
    for size_name, size in (("phone", PHONE), ("tablet", TABLET)):
        await page.set_viewport_size(size)
        await assert_contrast(page, f"{where} at {size_name} size")
        await assert_named_controls(page.locator("body"), where)


async def test_the_front_door_is_usable_by_keyboard_and_keeps_its_contrast(page: Page, staged: Staged) -> None:
    await page.goto("/public/")
    await expect(page.get_by_test_id("council-list").get_by_role("link")).to_have_count(1)
    await check(page, "front door")
    await tab_to(page, "Tìm hội đồng (gõ có dấu hoặc không dấu)")
    await page.keyboard.type("kien minh")
    await tab_to(page, "Hội đồng nhân dân xã Kiến Minh")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"http://{page.url.split('/')[2]}{COUNCIL_PATH}")


async def test_a_councils_search_finds_a_document_page_without_diacritics(page: Page, staged: Staged) -> None:
    await page.goto(COUNCIL_PATH)
    await expect(page.get_by_test_id("live-session")).to_contain_text("Kỳ họp thứ Năm")
    await page.get_by_label("Tìm trong tài liệu, kết quả và biên bản").fill("du toan ngan sach")
    hit = page.get_by_test_id("search-hit").first
    await expect(hit).to_contain_text("Tài liệu, trang 1")
    await expect(hit.get_by_role("link", name="Dự thảo nghị quyết ngân sách")).to_have_attribute(
        "href", f"/api/public/documents/{await document_id(page)}/pages/1?w=1600"
    )
    await check(page, "council page with search results")


async def document_id(page: Page) -> int:
    answer = await page.request.get(f"/api/public/councils/{await council_id(page)}/search?q=du%20toan%20ngan%20sach")
    hits = (await answer.json())["hits"]
    return int(hits[0]["url"].split("/")[4])


async def council_id(page: Page) -> str:
    return await page.locator('meta[name="hopso:council"]').get_attribute("content") or ""


async def test_a_live_session_page_keeps_its_contrast_with_the_floor_and_a_document_on_screen(
    page: Page, staged: Staged
) -> None:
    await page.goto(f"{COUNCIL_PATH}ky-hop-thu-nam-ky-hop-thuong-le-cuoi-nam-2026")
    await expect(page.get_by_test_id("speaker-name")).to_have_text("Dương Hữu Cường")
    await expect(page.get_by_test_id("doc-counter")).to_have_text("Trang 2/5")
    await check(page, "live session page")
