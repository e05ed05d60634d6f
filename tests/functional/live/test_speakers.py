"""The speaker queue: kinds, points of order first, time limits from the session rules stored as deadlines."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from session_server.db.models import SpeakerRequest, SpeakerStatus
from tests.factories import LiveWorld
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient


async def _open(live: LiveWorld, connect_client: Connect) -> LiveClient:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[2]})
    return chair


async def _tablet(live: LiveWorld, connect_client: Connect, index: int) -> LiveClient:
    tablet = await connect_client(live.delegates[index].token)
    await tablet.join(live.session_id)
    return tablet


def _queue_names(client: LiveClient) -> list[tuple[str, str]]:
    state = [e for e in client.events if "speakers" in e["state"]][-1]["state"]["speakers"]
    return [(entry["name"], entry["kind"]) for entry in state["queue"]]


async def test_a_point_of_order_goes_before_the_waiting_speakers(live: LiveWorld, connect_client: Connect) -> None:
    chair = await _open(live, connect_client)
    first, second = await _tablet(live, connect_client, 2), await _tablet(live, connect_client, 3)

    await first.ok("speakers.request", {"kind": "discussion"})
    await second.ok("speakers.request", {"kind": "point_of_order"})
    await chair.wait_for("speakers.requested")

    assert _queue_names(second) == [("Lê Văn Khoa", "point_of_order"), ("Hoàng Thu Lan", "discussion")]


async def test_a_delegate_cannot_ask_twice_and_can_withdraw(live: LiveWorld, connect_client: Connect) -> None:
    await _open(live, connect_client)
    tablet = await _tablet(live, connect_client, 2)

    await tablet.ok("speakers.request", {"kind": "question"})
    again = await tablet.send("speakers.request", {"kind": "discussion"})
    assert again["ok"] is False and again["error"]["code"] == "conflict"

    await tablet.ok("speakers.withdraw")
    assert _queue_names(tablet) == []


async def test_the_first_discussion_speech_gets_seven_minutes_and_the_second_three(
    live: LiveWorld, connect_client: Connect, server
) -> None:
    chair = await _open(live, connect_client)
    tablet = await _tablet(live, connect_client, 2)
    public = await connect_client(namespace="/public")
    await public.join(live.session_id)

    limits = []
    for _ in range(2):
        await tablet.ok("speakers.request", {"kind": "discussion"})
        request_id = [e for e in chair.events if e["type"] == "speakers.requested"][-1]["data"]["request_id"]
        granted = await chair.ok("speakers.grant", {"request_id": request_id})
        current = next(e for e in tablet.events if e["seq"] == granted["seq"])["state"]["speakers"]["current"]
        limits.append(current["limit_seconds"])
        deadline = datetime.fromisoformat(current["deadline"])
        assert (deadline - datetime.fromisoformat(current["started_at"])).total_seconds() == current["limit_seconds"]
        await chair.ok("speakers.end")

    assert limits == [420, 180]
    public_types = [e["type"] for e in public.events]
    assert "speakers.granted" in public_types and "speakers.requested" not in public_types


async def test_speeches_are_recorded_with_start_and_end_times(live: LiveWorld, connect_client: Connect, server) -> None:
    from session_server.services import services_of

    chair = await _open(live, connect_client)
    tablet = await _tablet(live, connect_client, 3)
    await tablet.ok("speakers.request", {"kind": "question"})
    request_id = (await chair.wait_for("speakers.requested"))["data"]["request_id"]
    await chair.ok("speakers.grant", {"request_id": request_id})
    await chair.ok("speakers.extend", {"seconds": 60})
    await chair.ok("session.close", {"confirm": True})

    async with services_of(server.app).sessionmaker() as db:
        speech = await db.scalar(select(SpeakerRequest).where(SpeakerRequest.id == request_id))
    assert speech is not None and speech.status is SpeakerStatus.DONE
    assert speech.started_at is not None and speech.ended_at is not None and speech.ended_at >= speech.started_at
    assert speech.limit_seconds == 180 + 60
    assert speech.agenda_item_id == live.agenda_ids[2]


async def test_the_chair_reorders_and_removes_waiting_speakers(live: LiveWorld, connect_client: Connect) -> None:
    chair = await _open(live, connect_client)
    for index in (2, 3, 4):
        await (await _tablet(live, connect_client, index)).ok("speakers.request", {"kind": "discussion"})
    await chair.wait_for("speakers.requested")
    ids = [e["data"]["request_id"] for e in chair.events if e["type"] == "speakers.requested"]
    while len(ids) < 3:
        await chair.wait_for("speakers.requested")
        ids = [e["data"]["request_id"] for e in chair.events if e["type"] == "speakers.requested"]

    await chair.ok("speakers.reorder", {"request_id": ids[2], "position": 1})
    await chair.ok("speakers.remove", {"request_id": ids[0]})
    rejoined = await chair.join(live.session_id)

    assert [entry["id"] for entry in rejoined["snapshot"]["speakers"]["queue"]] == [ids[2], ids[1]]


async def test_a_delegate_may_not_grant_the_floor(live: LiveWorld, connect_client: Connect) -> None:
    await _open(live, connect_client)
    tablet = await _tablet(live, connect_client, 2)
    await tablet.ok("speakers.request", {"kind": "discussion"})

    answer = await tablet.send("speakers.grant", {"request_id": 1})

    assert answer["error"]["code"] == "forbidden"


async def test_a_bad_payload_and_an_unknown_command_are_refused_as_invalid(
    live: LiveWorld, connect_client: Connect
) -> None:
    chair = await _open(live, connect_client)

    wrong_kind = await chair.send("speakers.add", {"member_id": live.members[2].id, "kind": "song"})
    unknown = await chair.send("speakers.dance", {})
    extra = await chair.send("agenda.goto", {"item_id": live.agenda_ids[0], "extra": 1})

    assert wrong_kind["error"]["code"] == unknown["error"]["code"] == extra["error"]["code"] == "invalid"
    assert "kind" in wrong_kind["error"]["message"]
