"""A council's public search, typed without diacritics: a public document's page links to that page and, when the
chair showed it during a session whose video is published, to that moment in the video; nothing internal is found."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from media.outputs.recording import MANIFEST_NAME, RecordingManifest, RecordingPart
from session_server.archive import storage
from session_server.db.models import SessionArchive
from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.documents.conftest import settle, uploaded

RECORDING_LEAD = timedelta(seconds=42)


async def search(client: TestClient, council_id: int, query: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/public/councils/{council_id}/search", params={"q": query})
    assert response.status == 200
    return (await response.json())["hits"]


async def test_a_document_page_shown_in_a_published_session_links_to_its_page_and_its_moment_in_the_video(
    client: TestClient,
) -> None:
    services = services_of(client.app)
    live = await make_live_world(services.sessionmaker)
    sid = live.session_id
    public = await uploaded(client, live.secretary, sid, classification="public", title="Tờ trình ngân sách")
    await uploaded(client, live.secretary, sid, classification="internal", title="Dự thảo nội bộ ngân sách")
    await settle(client)
    run = services.dispatcher.run
    await run(live.chair.user, sid, "session.open", {})

    before = await search(client, live.council.id, "phan bo ngan sach")
    assert [(hit["kind"], hit["title"], hit["page"], hit["video_url"]) for hit in before] == [
        ("document", "Tờ trình ngân sách", 2, None)
    ]
    assert before[0]["url"] == f"/api/public/documents/{public['id']}/pages/2?w=1600"
    assert "phân bổ ngân sách" in before[0]["snippet"]

    # The recording began 42 s before the page went on screen; the video is published.
    started = datetime.now(UTC) - RECORDING_LEAD
    await run(live.chair.user, sid, "doc.show", {"document_id": public["id"], "page": 2})
    folder = storage.recording_dir(services.settings, sid)
    folder.mkdir(parents=True, exist_ok=True)
    RecordingManifest(
        session_key=str(sid),
        parts=[
            RecordingPart(file="part-1.mp4", publish=1, started_at=started.isoformat(), timeline_start=0, duration=3600)
        ],
        ended=True,
    ).save(folder / MANIFEST_NAME)
    async with services.sessionmaker() as db:
        db.add(SessionArchive(session_id=sid, video="video.mp4", published_at=datetime.now(UTC)))
        await db.commit()

    after = await search(client, live.council.id, "phan bo ngan sach")
    moment = int(after[0]["video_url"].rsplit("#t=", 1)[1])
    assert after[0]["video_url"].startswith("/public/hdnd-xa-phien-hop/ky-hop-thu-nam#t=")
    assert RECORDING_LEAD.seconds <= moment <= RECORDING_LEAD.seconds + 5
