"""What the public sees, and tablets that join late or reconnect land on the current state."""

from __future__ import annotations

import pytest

from session_server.services import services_of
from tests.factories import LiveWorld, make_live_world
from tests.functional.conftest import Connect


async def test_the_public_follows_the_agenda_but_never_sees_attendance_or_the_queue(
    live: LiveWorld, connect_client: Connect
) -> None:
    public = await connect_client(namespace="/public")
    joined = await public.join(live.session_id)
    assert set(joined["snapshot"]) == {"session", "agenda", "speakers", "presentation", "vote", "stream"}
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)

    await chair.ok("session.open")
    await chair.ok("checkin")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[1]})
    event = await public.wait_for("agenda.current")

    assert event["state"]["agenda"]["current_item_id"] == live.agenda_ids[1]
    assert [e["type"] for e in public.events] == ["session.opened", "agenda.current"]
    assert all("attendance" not in e["state"] and "quorum" not in e["state"] for e in public.events)


@pytest.mark.parametrize("status", ["closed session"])
async def test_a_closed_session_is_invisible_to_the_public(server, connect_client: Connect, status: str) -> None:
    closed = await make_live_world(services_of(server.app).sessionmaker, public=False)
    public = await connect_client(namespace="/public")

    answer = await public.join(closed.session_id)

    assert answer["ok"] is False and answer["error"]["code"] == "not_found"


async def test_a_tablet_that_reconnects_lands_on_the_current_state(live: LiveWorld, connect_client: Connect) -> None:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    tablet = await connect_client(live.delegates[2].token)
    first = await tablet.join(live.session_id)
    await tablet.close()

    await chair.ok("session.open")
    await chair.ok("agenda.goto", {"item_id": live.agenda_ids[2]})

    back = await connect_client(live.delegates[2].token)
    answer = await back.join(live.session_id, last_seq=first["seq"])

    assert answer["seq"] == 2
    assert answer["snapshot"]["session"]["status"] == "live"
    assert answer["snapshot"]["agenda"]["current_item_id"] == live.agenda_ids[2]


async def test_live_refuses_a_connection_without_a_valid_token(live: LiveWorld, connect_client: Connect) -> None:
    import socketio

    with pytest.raises(socketio.exceptions.ConnectionError):
        await connect_client("not-a-token")
