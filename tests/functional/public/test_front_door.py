"""A citizen finds their council without typing diacritics, opens its page and a session's short address; a link
shared on Zalo or Facebook previews with the council, the session and a picture, as a crawler (no JavaScript) sees
it; old numbered links still arrive; staff get the link, its QR code, an A4 poster and a portal snippet."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from html.parser import HTMLParser

import pymupdf
import pytest
from aiohttp.test_utils import TestClient
from PIL import Image
from sqlalchemy import update

from session_server.db.models import CouncilSession, SessionStatus
from session_server.services import services_of
from tests.functional.api.checks import error_of
from tests.functional.documents.conftest import DocWorld

CRAWLER = {"User-Agent": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"}
SESSION_PATH = "/public/hdnd-xa-thu-nghiem/ky-hop-thu-muoi"


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "meta" and (found.get("property") or found.get("name")):
            self.meta[str(found.get("property") or found.get("name"))] = str(found.get("content"))
        self._in_title = tag == "title"
        if tag == "script":
            self.scripts.append(found)

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


async def crawl(client: TestClient, path: str) -> Tags:
    response = await client.get(path, headers=CRAWLER, allow_redirects=False)
    assert response.status == 200, path
    tags = Tags()
    tags.feed(await response.text())
    return tags


async def schedule(client: TestClient, session_id: int, status: SessionStatus, starts_at: datetime | None) -> None:
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(
            update(CouncilSession)
            .where(CouncilSession.id == session_id)
            .values(status=status, starts_at=starts_at, place="Hội trường UBND xã")
        )
        await db.commit()


async def test_the_front_door_finds_a_council_typed_without_diacritics(client: TestClient, docs: DocWorld) -> None:
    everyone = await (await client.get("/api/public/councils")).json()
    found = await (await client.get("/api/public/councils", params={"q": "thu nghie"})).json()

    assert {c["name"] for c in everyone} == {"Hội đồng nhân dân xã Thử Nghiệm", "Hội đồng nhân dân phường Bên Cạnh"}
    assert [(c["name"], c["url"]) for c in found] == [
        ("Hội đồng nhân dân xã Thử Nghiệm", "/public/hdnd-xa-thu-nghiem/")
    ]
    assert await (await client.get("/api/public/councils", params={"q": "phuong ben canh"})).json() == [
        everyone[0] if everyone[0]["name"].endswith("Cạnh") else everyone[1]
    ]


async def test_a_council_page_shows_its_live_session_first_then_the_upcoming_ones(
    client: TestClient, docs: DocWorld
) -> None:
    council_id = docs.world.council.id
    later = datetime(2026, 12, 20, 1, 30, tzinfo=UTC)
    await schedule(client, docs.session_id, SessionStatus.SCHEDULED, later)
    async with services_of(client.app).sessionmaker() as db:
        db.add(CouncilSession(council_id=council_id, title="Kỳ họp bất thường", status=SessionStatus.LIVE))
        db.add(CouncilSession(council_id=council_id, title="Kỳ họp chưa công bố", status=SessionStatus.DRAFT))
        await db.commit()

    front = await (await client.get(f"/api/public/councils/{council_id}")).json()

    assert [(s["title"], s["url"]) for s in front["live"]] == [
        ("Kỳ họp bất thường", "/public/hdnd-xa-thu-nghiem/ky-hop-bat-thuong")
    ]
    assert [(s["title"], s["starts_at"], s["agenda"]) for s in front["upcoming"]] == [
        ("Kỳ họp thứ Mười", "2026-12-20T01:30:00Z", ["Dự toán ngân sách 2027"])
    ]
    assert front["council"]["live"] == 1
    listed = await (await client.get("/api/public/councils")).json()
    assert listed[0]["name"] == "Hội đồng nhân dân xã Thử Nghiệm" and listed[0]["live"] == 1


async def test_a_shared_session_link_previews_with_council_session_date_and_picture_without_javascript(
    client: TestClient, docs: DocWorld
) -> None:
    await schedule(client, docs.session_id, SessionStatus.SCHEDULED, datetime(2026, 12, 7, 1, 0, tzinfo=UTC))

    tags = await crawl(client, SESSION_PATH)

    assert tags.title == "Kỳ họp thứ Mười — Hội đồng nhân dân xã Thử Nghiệm"
    assert tags.meta["og:title"] == tags.meta["twitter:title"] == tags.title
    assert tags.meta["og:description"] == "Sắp diễn ra · Ngày 07/12/2026 · Hội trường UBND xã"
    assert tags.meta["og:url"].endswith(SESSION_PATH)
    assert tags.meta["twitter:card"] == "summary_large_image"
    assert tags.meta["hopso:session"] == str(docs.session_id)
    assert all(script.get("src") for script in tags.scripts), "no inline script"
    picture = await client.get(re.sub(r"^https?://[^/]+", "", tags.meta["og:image"]))
    assert picture.status == 200 and picture.content_type == "image/png"
    image = Image.open(io.BytesIO(await picture.read()))
    assert image.size == (1200, 630)

    council = await crawl(client, "/public/hdnd-xa-thu-nghiem/")
    assert council.meta["og:title"] == "Hội đồng nhân dân xã Thử Nghiệm"
    assert (await client.get(re.sub(r"^https?://[^/]+", "", council.meta["og:image"]))).status == 200
    front = await crawl(client, "/public/")
    assert front.meta["og:title"].startswith("Theo dõi kỳ họp Hội đồng nhân dân")


async def test_old_numbered_links_arrive_at_the_short_address_and_a_closed_session_has_none(
    client: TestClient, docs: DocWorld
) -> None:
    old = await client.get(f"/public/?session={docs.session_id}", allow_redirects=False)
    assert old.status == 301 and old.headers["Location"] == SESSION_PATH
    council = await client.get(f"/public/?council={docs.world.council.id}", allow_redirects=False)
    assert council.headers["Location"] == "/public/hdnd-xa-thu-nghiem/"

    closed = await client.get("/public/hdnd-xa-thu-nghiem/phien-hop-kin")
    assert closed.status == 404 and '<meta name="hopso:view" content="missing">' in await closed.text()
    assert (await client.get("/public/khong-co-hoi-dong-nay/")).status == 404
    async with services_of(client.app).sessionmaker() as db:
        await db.execute(update(CouncilSession).where(CouncilSession.id == docs.session_id).values(title="Đổi tên"))
        await db.commit()
    assert (await client.get(SESSION_PATH)).status == 200, "a renamed session keeps its address"


async def test_a_citizen_can_subscribe_to_a_councils_sessions_and_calendar(client: TestClient, docs: DocWorld) -> None:
    await schedule(client, docs.session_id, SessionStatus.SCHEDULED, datetime(2026, 12, 20, 1, 30, tzinfo=UTC))

    atom = await client.get("/public/hdnd-xa-thu-nghiem/feed.atom")
    calendar = await client.get("/public/hdnd-xa-thu-nghiem/calendar.ics")

    assert atom.content_type == "application/atom+xml"
    feed = ElementTree.fromstring(await atom.read())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:title", namespaces=ns) == "Hội đồng nhân dân xã Thử Nghiệm"
    titles = [entry.findtext("a:title", namespaces=ns) for entry in feed.findall("a:entry", ns)]
    assert titles == ["Kỳ họp thứ Mười"], "the closed session is not announced"
    assert calendar.content_type == "text/calendar"
    text = (await calendar.read()).decode()
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART:20261220T013000Z" in unfolded
    assert "SUMMARY:Kỳ họp thứ Mười — Hội đồng nhân dân xã Thử Nghiệm" in unfolded
    assert "LOCATION:Hội trường UBND xã" in unfolded
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


async def test_staff_get_the_public_link_its_qr_code_a_poster_and_an_embed_snippet(
    client: TestClient, docs: DocWorld
) -> None:
    await schedule(client, docs.session_id, SessionStatus.SCHEDULED, datetime(2026, 12, 7, 1, 0, tzinfo=UTC))
    link = await (
        await client.get(f"/api/sessions/{docs.session_id}/public-link", headers=docs.secretary.headers)
    ).json()

    assert link["url"].endswith(SESSION_PATH)
    assert ElementTree.fromstring(link["qr_svg"]).tag.endswith("svg")
    assert link["embed_html"].startswith(f'<iframe src="{link["url"]}/embed"')
    embed = await client.get(f"{SESSION_PATH}/embed")
    assert embed.status == 200 and 'class="app-public app-embed"' in await embed.text()
    poster = await client.get(link["poster_url"], headers=docs.secretary.headers)
    assert poster.content_type == "application/pdf"
    with pymupdf.open(stream=await poster.read()) as pdf:
        assert pdf.page_count == 1 and pdf[0].rect.width == pytest.approx(595, abs=1)
        text = pdf[0].get_text()
        assert len(pdf[0].get_images()) == 1, "the QR code"
    assert "HỘI ĐỒNG NHÂN DÂN XÃ THỬ NGHIỆM" in text and "Kỳ họp thứ Mười" in text and "07/12/2026" in text
    assert link["url"] in text.replace("\n", "")

    closed = await client.get(f"/api/sessions/{docs.closed_session_id}/public-link", headers=docs.secretary.headers)
    await error_of(closed, 409, "closed")
