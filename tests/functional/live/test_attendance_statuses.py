"""Attendance as the minutes need it: present, late, left early, absent with a reason, absent; undo; marking present
everyone who checked in. Present and late count for the quorum (present × 3 ≥ N × 2) and may vote; a delegate who
left early no longer does."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestServer

from session_server.services import services_of
from tests.factories import LiveWorld, make_motion
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient


async def _joined(connect_client: Connect, live: LiveWorld) -> tuple[LiveClient, list[LiveClient]]:
    staff = await connect_client(live.secretary.token)
    await staff.join(live.session_id)
    tablets = []
    for account in live.delegates:
        tablet = await connect_client(account.token)
        await tablet.join(live.session_id)
        tablets.append(tablet)
    return staff, tablets


async def _state(client: LiveClient, live: LiveWorld) -> dict[str, Any]:
    return (await client.join(live.session_id))["snapshot"]


def _status(snapshot: dict[str, Any], live: LiveWorld, index: int) -> str | None:
    row = snapshot["attendance"].get(str(live.members[index].id))
    return row and row["status"]


async def test_checking_in_before_the_opening_is_present_and_after_it_late_and_both_count(
    live: LiveWorld, connect_client: Connect
) -> None:
    staff, tablets = await _joined(connect_client, live)
    for tablet in tablets[:3]:
        await tablet.ok("checkin")
    await tablets[0].ok("session.open")
    await tablets[3].ok("checkin")

    snapshot = await _state(staff, live)

    assert [_status(snapshot, live, i) for i in range(5)] == ["present", "present", "present", "late", None]
    assert snapshot["quorum"] == {"present": 4, "total": 5, "required": 4, "met": True}


async def test_a_delegate_who_left_early_is_no_longer_present_and_cannot_vote(
    live: LiveWorld, server: TestServer, connect_client: Connect
) -> None:
    staff, tablets = await _joined(connect_client, live)
    for tablet in tablets:
        await tablet.ok("checkin")
    await staff.ok("session.open")
    motion_id = await make_motion(services_of(server.app).sessionmaker, live.agenda_ids[2])
    await staff.ok("attendance.mark", {"member_id": live.members[4].id, "status": "left_early", "reason": "Ốm"})

    snapshot = await _state(staff, live)
    await staff.ok("vote.open", {"motion_id": motion_id})
    refused = await tablets[4].send("vote.cast", {"motion_id": motion_id, "choice": "yes"})

    assert snapshot["quorum"]["present"] == 4
    assert snapshot["attendance"][str(live.members[4].id)]["reason"] == "Ốm"
    assert refused["error"]["code"] == "not_present"


async def test_a_check_in_does_not_overrule_staff_until_they_mark_present_who_checked_in(
    live: LiveWorld, connect_client: Connect
) -> None:
    staff, tablets = await _joined(connect_client, live)
    await staff.ok(
        "attendance.mark", {"member_id": live.members[2].id, "status": "absent_with_reason", "reason": "Họp tỉnh"}
    )
    await staff.ok("attendance.mark", {"member_id": live.members[3].id, "status": "absent"})
    await staff.ok("attendance.mark", {"member_id": live.members[4].id, "status": "absent"})
    await tablets[2].ok("checkin")
    await tablets[3].ok("checkin")

    before = await _state(staff, live)
    assert [_status(before, live, i) for i in (2, 3, 4)] == ["absent_with_reason", "absent", "absent"]
    assert before["attendance"][str(live.members[2].id)]["checked_in_at"]
    assert before["quorum"]["present"] == 0

    await staff.ok("attendance.mark_checked_in")

    after = await _state(staff, live)
    assert [_status(after, live, i) for i in (2, 3, 4)] == ["present", "present", "absent"]
    assert after["quorum"]["present"] == 2
    nothing_left = await staff.send("attendance.mark_checked_in")
    assert nothing_left["error"]["code"] == "conflict"


async def test_a_status_marked_after_the_check_in_stands(live: LiveWorld, connect_client: Connect) -> None:
    staff, tablets = await _joined(connect_client, live)
    await tablets[1].ok("checkin")
    await staff.ok("attendance.mark", {"member_id": live.members[1].id, "status": "left_early"})

    refused = await staff.send("attendance.mark_checked_in")

    assert refused["error"]["code"] == "conflict"
    assert _status(await _state(staff, live), live, 1) == "left_early"


async def test_undo_steps_back_through_a_delegates_changes(live: LiveWorld, connect_client: Connect) -> None:
    staff, tablets = await _joined(connect_client, live)
    member_id = live.members[1].id
    await tablets[1].ok("checkin")
    await staff.ok("attendance.mark", {"member_id": member_id, "status": "absent_with_reason", "reason": "Công tác"})
    await staff.ok("attendance.mark", {"member_id": live.members[2].id, "status": "absent"})

    await staff.ok("attendance.undo", {"member_id": member_id})
    first = await _state(staff, live)
    await staff.ok("attendance.undo", {"member_id": member_id})
    second = await _state(staff, live)
    nothing = await staff.send("attendance.undo", {"member_id": member_id})

    assert _status(first, live, 1) == "present" and first["quorum"]["present"] == 1
    assert _status(second, live, 1) is None and second["quorum"]["present"] == 0
    assert _status(second, live, 2) == "absent"
    assert nothing["error"]["code"] == "conflict"
    undone = [e for e in staff.events if e["type"] == "attendance.undone"]
    assert [e["state"]["quorum"]["present"] for e in undone] == [1, 0]


async def test_undo_of_a_member_of_another_council_is_refused(live: LiveWorld, connect_client: Connect) -> None:
    staff, _tablets = await _joined(connect_client, live)

    answer = await staff.send("attendance.undo", {"member_id": 10_000})

    assert answer["error"]["code"] == "not_found"
