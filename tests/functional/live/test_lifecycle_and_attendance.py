"""The chair opens the session, delegates check in, and everyone sees the quorum (present × 3 ≥ N × 2)."""

from __future__ import annotations

from tests.factories import LiveWorld
from tests.functional.conftest import Connect


async def test_joining_gives_the_snapshot_with_agenda_members_and_quorum(
    live: LiveWorld, connect_client: Connect
) -> None:
    tablet = await connect_client(live.delegates[2].token)
    answer = await tablet.join(live.session_id)

    assert answer["ok"] is True
    snapshot = answer["snapshot"]
    assert snapshot["agenda"]["items"][0]["title"] == "Khai mạc kỳ họp"
    assert len(snapshot["members"]) == 5
    assert snapshot["quorum"] == {"present": 0, "total": 5, "required": 4, "met": False}
    assert snapshot["session"]["chair"]["name"] == "Bùi Minh Bình"
    assert answer["me"]["capacities"] == ["delegate"]


async def test_check_ins_reach_every_tablet_and_the_quorum_is_met_at_four_of_five(
    live: LiveWorld, connect_client: Connect
) -> None:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    tablets = [await connect_client(account.token) for account in live.delegates[1:]]
    for tablet in tablets:
        await tablet.join(live.session_id)

    for tablet in tablets[:3]:
        await tablet.ok("checkin")
    event = chair.events[-1]
    assert event["type"] == "attendance.marked"
    assert event["state"]["quorum"]["met"] is False
    assert event["state"]["quorum"]["present"] == 3

    answer = await chair.ok("checkin")
    assert answer["seq"] == 5
    await chair.wait_for("attendance.marked")
    assert chair.events[-1]["state"]["quorum"] == {"present": 4, "total": 5, "required": 4, "met": True}


async def test_staff_mark_an_absence_with_its_reason(live: LiveWorld, connect_client: Connect) -> None:
    staff = await connect_client(live.secretary.token)
    await staff.join(live.session_id)
    member_id = live.members[4].id

    refused = await staff.send("attendance.mark", {"member_id": member_id, "status": "absent_with_reason"})
    assert refused["ok"] is False and refused["error"]["code"] == "invalid"

    await staff.ok("attendance.mark", {"member_id": member_id, "status": "absent_with_reason", "reason": "Đi công tác"})
    rejoined = await staff.join(live.session_id)
    assert rejoined["snapshot"]["attendance"][str(member_id)]["reason"] == "Đi công tác"


async def test_a_delegate_cannot_open_the_session_and_gets_a_readable_refusal(
    live: LiveWorld, connect_client: Connect
) -> None:
    tablet = await connect_client(live.delegates[3].token)
    await tablet.join(live.session_id)

    answer = await tablet.send("session.open")

    assert answer == {
        "ok": False,
        "error": {"code": "forbidden", "message": "Bạn không có quyền thực hiện thao tác này."},
    }


async def test_another_councils_secretary_cannot_join(live: LiveWorld, connect_client: Connect) -> None:
    stranger = await connect_client(live.outsider.token)

    answer = await stranger.join(live.session_id)

    assert answer["ok"] is False and answer["error"]["code"] == "forbidden"


async def test_after_close_commands_are_refused_as_closed(live: LiveWorld, connect_client: Connect) -> None:
    chair = await connect_client(live.chair.token)
    await chair.join(live.session_id)
    await chair.ok("session.open")
    await chair.ok("session.close", {"confirm": True})

    answer = await chair.send("agenda.goto", {"item_id": live.agenda_ids[0]})

    assert answer["ok"] is False and answer["error"]["code"] == "closed"
    reopened = await chair.send("session.open")
    assert reopened["error"]["code"] == "closed"


async def test_a_command_before_joining_is_refused(live: LiveWorld, connect_client: Connect) -> None:
    chair = await connect_client(live.chair.token)

    answer = await chair.send("session.open")

    assert answer["ok"] is False and answer["error"]["code"] == "not_joined"
