"""The chair shows a document page and every following tablet shows it; the public sees only public documents."""

from __future__ import annotations

from aiohttp.test_utils import TestServer

from session_server.services import services_of
from tests.factories import LiveWorld, make_document
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient


async def _chair(live: LiveWorld, connect_client: Connect) -> LiveClient:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    return chair


async def test_a_tablet_that_drops_during_three_page_changes_lands_on_the_current_page(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    document_id = await make_document(services_of(server.app).sessionmaker, live.session_id)
    chair = await _chair(live, connect_client)
    tablet = await connect_client(live.delegates[2].token)
    first = await tablet.join(live.session_id)
    await chair.ok("doc.show", {"document_id": document_id, "page": 1})
    await tablet.wait_for("doc.shown")
    await tablet.close()

    for page in (2, 3, 4):
        await chair.ok("doc.page", {"page": page})

    back = await connect_client(live.delegates[2].token)
    answer = await back.join(live.session_id, last_seq=first["seq"])
    shown = answer["snapshot"]["presentation"]
    assert (shown["document_id"], shown["page"], shown["page_count"]) == (document_id, 4, 12)


async def test_every_following_tablet_gets_the_page_the_chair_shows(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    document_id = await make_document(services_of(server.app).sessionmaker, live.session_id)
    chair = await _chair(live, connect_client)
    tablets = [await connect_client(account.token) for account in live.delegates[1:]]
    for tablet in tablets:
        await tablet.join(live.session_id)

    await chair.ok("doc.show", {"document_id": document_id, "page": 3})

    for tablet in tablets:
        event = await tablet.wait_for("doc.shown")
        assert event["state"]["presentation"]["page"] == 3


async def test_the_public_never_learns_of_a_restricted_document_being_shown(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    sessionmaker = services_of(server.app).sessionmaker
    public_doc = await make_document(sessionmaker, live.session_id, "Báo cáo kinh tế - xã hội")
    restricted = await make_document(sessionmaker, live.session_id, "Hồ sơ nhân sự mật", "restricted")
    chair = await _chair(live, connect_client)
    public = await connect_client(namespace="/public")
    await public.join(live.session_id)

    await chair.ok("doc.show", {"document_id": public_doc, "page": 2})
    await chair.ok("doc.show", {"document_id": restricted, "page": 1})
    await chair.ok("doc.page", {"page": 2})
    rejoined = await public.join(live.session_id)

    assert rejoined["snapshot"]["presentation"] is None
    seen = [e for e in public.events if e["type"].startswith("doc.")]
    assert seen[0]["state"]["presentation"]["title"] == "Báo cáo kinh tế - xã hội"
    assert all("Hồ sơ nhân sự mật" not in str(e) for e in public.events)


async def test_an_unknown_document_or_a_page_out_of_range_is_refused_and_changes_nothing(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    document_id = await make_document(services_of(server.app).sessionmaker, live.session_id, page_count=5)
    chair = await _chair(live, connect_client)
    await chair.ok("doc.show", {"document_id": document_id, "page": 2})

    unknown = await chair.send("doc.show", {"document_id": 9999, "page": 1})
    beyond = await chair.send("doc.page", {"page": 6})
    answer = await chair.join(live.session_id)

    assert unknown["error"]["code"] == "not_found"
    assert beyond["error"] == {"code": "invalid", "message": "Tài liệu chỉ có 5 trang."}
    assert answer["snapshot"]["presentation"]["page"] == 2


async def test_a_named_presenter_may_turn_pages_and_a_delegate_may_not(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    document_id = await make_document(services_of(server.app).sessionmaker, live.session_id)
    chair = await _chair(live, connect_client)
    presenter = await connect_client(live.delegates[3].token)
    await presenter.join(live.session_id)
    other = await connect_client(live.delegates[4].token)
    await other.join(live.session_id)

    refused = await presenter.send("doc.show", {"document_id": document_id, "page": 1})
    await chair.ok("doc.presenter", {"member_id": live.members[3].id})
    await presenter.ok("doc.show", {"document_id": document_id, "page": 5})
    stranger = await other.send("doc.page", {"page": 6})

    assert refused["error"]["code"] == "forbidden"
    assert stranger["error"]["code"] == "forbidden"


async def test_granting_a_withdrawn_request_is_refused(live: LiveWorld, connect_client: Connect) -> None:
    chair = await _chair(live, connect_client)
    tablet = await connect_client(live.delegates[2].token)
    await tablet.join(live.session_id)
    await tablet.ok("speakers.request", {"kind": "discussion"})
    request_id = (await chair.wait_for("speakers.requested"))["data"]["request_id"]
    await tablet.ok("speakers.withdraw")

    answer = await chair.send("speakers.grant", {"request_id": request_id})

    assert answer["error"]["code"] == "conflict"


async def test_the_agenda_lists_each_items_documents_and_the_public_only_the_public_ones(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    from session_server.db.models import Document

    sessionmaker = services_of(server.app).sessionmaker
    report = await make_document(sessionmaker, live.session_id, "Báo cáo kinh tế - xã hội")
    internal = await make_document(sessionmaker, live.session_id, "Báo cáo thẩm tra", "internal")
    async with sessionmaker() as db:
        for document_id in (report, internal):
            row = await db.get(Document, document_id)
            assert row is not None
            row.agenda_item_id = live.agenda_ids[1]
        await db.commit()
    tablet = await connect_client(live.delegates[1].token)
    public = await connect_client(namespace="/public")

    item = (await tablet.join(live.session_id))["snapshot"]["agenda"]["items"][1]
    public_item = (await public.join(live.session_id))["snapshot"]["agenda"]["items"][1]

    assert [d["title"] for d in item["documents"]] == ["Báo cáo kinh tế - xã hội", "Báo cáo thẩm tra"]
    assert [d["title"] for d in public_item["documents"]] == ["Báo cáo kinh tế - xã hội"]
