"""Without a recording: the job after the close, resuming after a crash, review refusals, and what a closed session
(họp kín) shows the public."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import delete

from session_server.archive.job import ArchiveJobs
from session_server.db.models import ArchiveStatus, Minutes, SessionArchive, utcnow
from session_server.services import services_of
from tests.factories import make_live_world
from tests.functional.archive.conftest import DOCUMENTS, Api, Connect, archived, hold_session, sign_both
from tests.signing import SigningWorld


async def test_a_closed_session_publishes_nothing_but_its_resolutions(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession, signing_world: SigningWorld
) -> None:
    api = Api(server, http)
    live = await make_live_world(services_of(server.app).sessionmaker, public=False)
    sid, staff = live.session_id, live.secretary.headers
    sitting = await hold_session(server, live, connect_client, api, documents=True)
    job = await archived(server, sid)
    assert job.status is ArchiveStatus.DONE and job.video == "", "no camera, no video; the rest is archived"

    draft = await api.json("GET", f"/api/sessions/{sid}/minutes", 200, staff)
    titles = [d["title"] for item in draft["minutes"]["items"] for d in item["documents"]]
    assert sorted(titles) == sorted(DOCUMENTS.values()), "a closed session's own minutes name all its documents"
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 409, staff)
    await api.json("POST", f"/api/sessions/{sid}/minutes/approve", 200, staff)
    half = await api.json("POST", f"/api/sessions/{sid}/archive/publish", 409, staff)
    assert half["error"]["code"] == "minutes_not_signed", "nothing is published before both have signed"
    await sign_both(api, live, signing_world)
    await api.json("POST", f"/api/sessions/{sid}/archive/publish", 200, staff)

    status, raw, _ = await api.call("GET", f"/api/public/archive/{sid}")
    assert status == 200
    page = (await api.json("GET", f"/api/public/archive/{sid}", 200)) | {}
    assert [v["motion_id"] for v in page["votes"]] == [sitting.named_motion], "only the resolution that passed"
    assert page["votes"][0]["named"] == [], "no names from a closed session"
    assert (page["video"], page["chapters"], page["minutes"], page["documents"], page["place"]) == (
        None,
        [],
        None,
        [],
        "",
    )
    for name in sitting.speakers:
        assert name not in raw.decode()
    for path in ("video", "minutes.pdf", "chapters.vtt", "poster.jpg"):
        assert (await api.call("GET", f"/api/public/archive/{sid}/{path}"))[0] == 404, path
    listed = await api.json("GET", f"/api/public/councils/{live.council.id}/archive?q=thong qua bao cao", 200)
    assert [s["id"] for s in listed] == [sid]
    assert await api.json("GET", f"/api/public/councils/{live.council.id}/archive?q=thao luan hoi truong", 200) == []
    await api.json("GET", f"/api/sessions/{sid}/minutes", 403, live.outsider.headers)


async def test_a_job_cut_short_resumes_at_start_up_and_an_unstarted_one_starts(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession
) -> None:
    api = Api(server, http)
    services = services_of(server.app)
    live = await make_live_world(services.sessionmaker)
    sid = live.session_id
    await hold_session(server, live, connect_client, api)
    await archived(server, sid)

    async with services.sessionmaker() as db:
        row = await db.get(SessionArchive, sid)
        assert row is not None
        row.status, row.steps, row.lease_until = ArchiveStatus.RUNNING, {"video": "done"}, utcnow() - timedelta(hours=1)
        await db.execute(delete(Minutes).where(Minutes.session_id == sid))
        await db.commit()
    restarted = ArchiveJobs(services.settings, services.sessionmaker)
    await restarted.start()
    await restarted.tasks[sid]
    resumed = await archived(server, sid)
    assert (
        resumed.status is ArchiveStatus.DONE
        and resumed.attempts == 2
        and set(resumed.steps) == {"video", "minutes", "index"}
    )
    await api.json("GET", f"/api/sessions/{sid}/minutes", 200, live.secretary.headers)

    async with services.sessionmaker() as db:
        await db.execute(delete(SessionArchive).where(SessionArchive.session_id == sid))
        await db.commit()
    await restarted.start()
    await restarted.tasks[sid]
    assert (await archived(server, sid)).status is ArchiveStatus.DONE
    await restarted.close()


async def test_a_job_another_process_holds_is_left_alone(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession
) -> None:
    services = services_of(server.app)
    live = await make_live_world(services.sessionmaker)
    await hold_session(server, live, connect_client, Api(server, http))
    await archived(server, live.session_id)
    async with services.sessionmaker() as db:
        row = await db.get(SessionArchive, live.session_id)
        assert row is not None
        row.status, row.steps, row.lease_until = ArchiveStatus.RUNNING, {}, utcnow() + timedelta(minutes=5)
        await db.commit()

    assert await ArchiveJobs(services.settings, services.sessionmaker).run(live.session_id) is None


async def test_review_refuses_unknown_speeches_and_a_live_session_cannot_be_archived(
    server: TestServer, connect_client: Connect, http: aiohttp.ClientSession
) -> None:
    api = Api(server, http)
    live = await make_live_world(services_of(server.app).sessionmaker)
    staff = live.secretary.headers
    await api.json("POST", f"/api/sessions/{live.session_id}/archive/job", 409, staff)
    await hold_session(server, live, connect_client, api)
    await archived(server, live.session_id)

    refused = await api.json(
        "PATCH", f"/api/sessions/{live.session_id}/minutes", 400, staff, json={"summaries": {"999999": "?"}}
    )
    assert "999999" in refused["error"]["message"]
    again = await api.json("POST", f"/api/sessions/{live.session_id}/archive/job?redo=1", 202, staff)
    assert again["session_id"] == live.session_id
    assert (await archived(server, live.session_id)).status is ArchiveStatus.DONE
