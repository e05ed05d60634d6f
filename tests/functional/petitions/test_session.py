"""Petitions taken up in a session: attached to a question-time item, listed per session, and on the public archive
linked to the video chapter of that item once the session is published."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from session_server.db.models import (
    AgendaItem,
    AgendaKind,
    ArchiveChapter,
    ArchiveStatus,
    CouncilSession,
    SessionArchive,
    SessionStatus,
    utcnow,
)
from session_server.services import services_of
from tests.factories import World
from tests.functional.api.checks import error_of
from tests.functional.petitions.conftest import enter, ok


async def _session(client: TestClient, world: World, public: bool = True) -> tuple[int, int]:
    async with services_of(client.app).sessionmaker() as db:
        session = CouncilSession(
            council_id=world.council.id, title="Kỳ họp thứ Mười một", status=SessionStatus.ENDED, public=public
        )
        session.agenda = [
            AgendaItem(position=1, title="Khai mạc", kind=AgendaKind.OTHER),
            AgendaItem(position=2, title="Chất vấn và trả lời chất vấn", kind=AgendaKind.QUESTIONING),
        ]
        db.add(session)
        await db.commit()
        return session.id, session.agenda[1].id


async def _publish_archive(client: TestClient, session_id: int, item_id: int) -> None:
    async with services_of(client.app).sessionmaker() as db:
        db.add(SessionArchive(session_id=session_id, status=ArchiveStatus.DONE, published_at=utcnow()))
        db.add(
            ArchiveChapter(
                session_id=session_id,
                number=2,
                kind="agenda",
                start_ms=754_000,
                end_ms=1_900_000,
                title="Chất vấn",
                agenda_item_id=item_id,
            )
        )
        await db.commit()


async def test_petitions_are_taken_up_on_a_question_time_item_and_listed_for_the_session(
    client: TestClient, world: World
) -> None:
    session_id, item_id = await _session(client, world)
    road = await enter(client, world, "Đề nghị sửa đường liên thôn")
    school = await enter(client, world, "Đề nghị xây thêm phòng học")
    await enter(client, world, "Kiến nghị chưa đưa ra kỳ họp")

    listed = await ok(
        await client.post(
            f"/api/agenda-items/{item_id}/petitions",
            json={"petition_ids": [road["id"], school["id"]]},
            headers=world.secretary.headers,
        )
    )
    after = await ok(
        await client.delete(f"/api/agenda-items/{item_id}/petitions/{school['id']}", headers=world.secretary.headers)
    )
    again = await ok(await client.get(f"/api/sessions/{session_id}/petitions", headers=world.secretary.headers))
    detail = await ok(await client.get(f"/api/petitions/{road['id']}", headers=world.secretary.headers))

    assert [(p["id"], p["agenda_item_id"]) for p in listed] == [(road["id"], item_id), (school["id"], item_id)]
    assert [p["id"] for p in after] == [road["id"]] == [p["id"] for p in again]
    assert detail["agenda_item_id"] == item_id and detail["events"][-1]["type"] == "taken_up"
    assert detail["events"][-1]["data"] == {"session_id": session_id, "agenda_item_id": item_id}


async def test_petitions_of_another_council_cannot_be_taken_up(client: TestClient, world: World) -> None:
    _session_id, item_id = await _session(client, world)
    petition = await enter(client, world, "Đề nghị sửa đường liên thôn")

    await error_of(
        await client.post(
            f"/api/agenda-items/{item_id}/petitions",
            json={"petition_ids": [petition["id"]]},
            headers=world.other_secretary.headers,
        ),
        403,
        "forbidden",
    )


async def test_the_public_archive_links_each_discussed_petition_to_its_video_chapter(
    client: TestClient, world: World
) -> None:
    session_id, item_id = await _session(client, world)
    road = await enter(client, world, "Đề nghị sửa đường liên thôn")
    await client.post(
        f"/api/agenda-items/{item_id}/petitions", json={"petition_ids": [road["id"]]}, headers=world.secretary.headers
    )
    await client.post(f"/api/petitions/{road['id']}/publish", json={"published": True}, headers=world.secretary.headers)
    before = await ok(await client.get(f"/api/public/petitions/{road['id']}"))

    await _publish_archive(client, session_id, item_id)
    after = await ok(await client.get(f"/api/public/petitions/{road['id']}"))
    in_session = await ok(await client.get(f"/api/public/sessions/{session_id}/petitions"))

    assert before["discussed"] is None
    assert after["discussed"] == {
        "session_id": session_id,
        "session_title": "Kỳ họp thứ Mười một",
        "agenda_title": "Chất vấn và trả lời chất vấn",
        "start_ms": 754_000,
    }
    assert [p["id"] for p in in_session] == [road["id"]]


async def test_a_closed_session_shows_no_petitions_to_the_public(client: TestClient, world: World) -> None:
    session_id, item_id = await _session(client, world, public=False)
    road = await enter(client, world, "Đề nghị sửa đường liên thôn")
    await client.post(
        f"/api/agenda-items/{item_id}/petitions", json={"petition_ids": [road["id"]]}, headers=world.secretary.headers
    )
    await client.post(f"/api/petitions/{road['id']}/publish", json={"published": True}, headers=world.secretary.headers)
    await _publish_archive(client, session_id, item_id)

    await error_of(await client.get(f"/api/public/sessions/{session_id}/petitions"), 404, "not_found")
    assert (await ok(await client.get(f"/api/public/petitions/{road['id']}")))["discussed"] is None
