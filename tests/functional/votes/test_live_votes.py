"""Biểu quyết in a live session: quorum to open, one ballot per delegate, results by the law's formulas."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, inspect, select

from session_server.auth import tokens
from session_server.db.models import Ballot, BallotReceipt, Member, Motion
from session_server.errors import ApiError
from session_server.live.commands.votes import Cast
from session_server.live.dispatcher import CommandResult
from session_server.services import services_of
from session_server.votes.sealed import tally_counts
from tests.functional.votes.conftest import Hall
from tests.support import TEST_SECRET_KEY


async def test_without_quorum_the_vote_does_not_open_and_the_chair_is_told_why(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(3)

    answer = await hall.chair.send("vote.open", {"motion_id": motion_id})

    assert answer["ok"] is False
    assert answer["error"] == {
        "code": "no_quorum",
        "message": "Chưa đủ đại biểu có mặt để biểu quyết: 3/5, cần ít nhất 4.",
    }


async def test_a_procedural_motion_may_be_voted_without_quorum(hall: Hall) -> None:
    motion_id = await hall.motion(kind="procedural", requires_quorum=False)
    await hall.check_in(2)

    await hall.chair.ok("vote.open", {"motion_id": motion_id})


async def test_an_open_ballot_counts_all_delegates_and_shows_only_totals(hall: Hall) -> None:
    """Ordinary resolution passes with yes × 2 > N, N the delegates in office (5): 3 yes passes."""
    motion_id = await hall.motion(ballot_type="open")
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(hall.tablets, ["yes", "yes", "yes", "no"], strict=False):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})

    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    closed = await hall.public.wait_for("vote.closed")

    result = closed["data"]["result"]
    assert result["passed"] is True
    assert result["text_vi"] == (
        "Có 4/5 đại biểu tham gia biểu quyết (80,00%); tán thành 3 (60,00%); "
        "không tán thành 1 (20,00%); không biểu quyết 0 (0,00%)"
    )
    assert "named" not in result
    assert all("choice" not in e["data"] for e in hall.tablets[4].events if e["type"] == "vote.cast")


async def test_two_yes_of_five_does_not_pass(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(hall.tablets, ["yes", "yes", "abstain", "no"], strict=False):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})

    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})

    result = (await hall.chair.wait_for("vote.closed"))["data"]["result"]
    assert result["passed"] is False and result["required"] == 3


async def test_a_named_ballot_publishes_who_voted_what(hall: Hall) -> None:
    motion_id = await hall.motion(ballot_type="named")
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(hall.tablets, ["yes", "no", "yes", "abstain"], strict=False):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})

    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})

    named = (await hall.public.wait_for("vote.closed"))["data"]["result"]["named"]
    assert [(entry["name"], entry["choice"]) for entry in named] == [
        ("Bùi Minh Bình", "yes"),
        ("Dương Công Phong", "no"),
        ("Hoàng Thu Lan", "yes"),
        ("Lê Văn Khoa", "abstain"),
    ]


async def test_a_secret_ballot_keeps_receipts_and_a_sealed_tally_but_no_choice_per_ballot(hall: Hall) -> None:
    motion_id = await hall.motion(kind="confidence_vote", ballot_type="secret", title="Bỏ phiếu tín nhiệm")
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet, choice in zip(
        hall.tablets, ["confidence", "confidence", "no_confidence", "no_confidence", "no_confidence"], strict=True
    ):
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})
    during = (await hall.chair.join(hall.live.session_id))["snapshot"]["vote"]
    assert during["current"]["cast_count"] == 5 and during["results"] == []

    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})

    result = (await hall.public.wait_for("vote.closed"))["data"]["result"]
    assert result["counts"] == {"confidence": 2, "no_confidence": 3}
    assert result["propose_relief"] is True
    sessionmaker = services_of(hall.server.app).sessionmaker
    async with sessionmaker() as db:
        tables = await db.run_sync(lambda s: set(inspect(s.connection()).get_table_names()))
        receipts = await db.scalar(
            select(func.count()).select_from(BallotReceipt).where(BallotReceipt.motion_id == motion_id)
        )
        motion = await db.get(Motion, motion_id)
        assert motion is not None
        tally = await tally_counts(db, motion, TEST_SECRET_KEY)
    assert "secret_choices" not in tables
    assert receipts == tally.ballots == 5
    assert tally.choices == {"confidence": 2, "no_confidence": 3}
    assert all("choice" not in e["data"] for e in hall.chair.events if e["type"] == "vote.receipt")


async def test_a_second_ballot_is_refused_unless_the_motion_allows_a_change(hall: Hall) -> None:
    locked = await hall.motion()
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": locked})
    await hall.tablets[1].ok("vote.cast", {"motion_id": locked, "choice": "yes"})

    again = await hall.tablets[1].send("vote.cast", {"motion_id": locked, "choice": "no"})
    assert again["ok"] is False and again["error"]["code"] == "conflict"
    await hall.chair.ok("vote.close", {"motion_id": locked, "confirm": True})

    changeable = await hall.motion(allow_change=True)
    await hall.chair.ok("vote.open", {"motion_id": changeable})
    await hall.tablets[1].ok("vote.cast", {"motion_id": changeable, "choice": "yes"})
    await hall.tablets[1].ok("vote.cast", {"motion_id": changeable, "choice": "no"})
    await hall.chair.ok("vote.close", {"motion_id": changeable, "confirm": True})
    result = [e for e in hall.chair.events if e["type"] == "vote.closed"][-1]["data"]["result"]
    assert result["counts"] == {"yes": 0, "no": 1, "abstain": 0}


async def test_a_vote_after_close_is_refused_as_closed(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})

    late = await hall.tablets[2].send("vote.cast", {"motion_id": motion_id, "choice": "yes"})

    assert late["ok"] is False and late["error"]["code"] == "closed"


async def test_nobody_votes_without_checking_in_and_staff_cannot_vote(hall: Hall, connect_client) -> None:
    motion_id = await hall.motion(requires_quorum=False)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    staff = await connect_client(hall.live.secretary.token)
    await staff.join(hall.live.session_id)

    absent = await hall.tablets[3].send("vote.cast", {"motion_id": motion_id, "choice": "yes"})
    secretary = await staff.send("vote.cast", {"motion_id": motion_id, "choice": "yes"})

    assert absent["error"]["code"] == "not_present"
    assert secretary["error"]["code"] == "forbidden"


async def test_an_invalid_choice_is_refused(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})

    answer = await hall.tablets[1].send("vote.cast", {"motion_id": motion_id, "choice": "maybe"})

    assert answer["error"]["code"] == "invalid"
    assert "Tán thành" in answer["error"]["message"]


async def test_racing_ballots_from_one_delegate_count_once(hall: Hall, connect_client) -> None:
    motion_id = await hall.motion()
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    twins = await hall.twins(connect_client, 2)

    answers = await asyncio.gather(
        *(t.send("vote.cast", {"motion_id": motion_id, "choice": "yes"}) for t in [*twins, hall.tablets[2]])
    )

    assert sorted(a["ok"] for a in answers) == [False, False, False, True]
    async with services_of(hall.server.app).sessionmaker() as db:
        count = await db.scalar(select(func.count()).select_from(Ballot).where(Ballot.motion_id == motion_id))
    assert count == 1


async def test_racing_secret_ballots_from_one_delegate_give_one_receipt_and_one_counted_choice(
    hall: Hall, connect_client
) -> None:
    motion_id = await hall.motion(kind="confidence_vote", ballot_type="secret")
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    twins = await hall.twins(connect_client, 3)

    answers = await asyncio.gather(
        *(t.send("vote.cast", {"motion_id": motion_id, "choice": "confidence"}) for t in [*twins, hall.tablets[3]]),
        hall.tablets[4].send("vote.cast", {"motion_id": motion_id, "choice": "no_confidence"}),
    )

    assert sorted(a["ok"] for a in answers[:4]) == [False, False, False, True]
    assert answers[4]["ok"] is True
    async with services_of(hall.server.app).sessionmaker() as db:
        receipts = await db.scalar(
            select(func.count()).select_from(BallotReceipt).where(BallotReceipt.motion_id == motion_id)
        )
        motion = await db.get(Motion, motion_id)
        assert motion is not None
        tally = await tally_counts(db, motion, TEST_SECRET_KEY)
    assert receipts == tally.ballots == 2
    assert tally.choices == {"confidence": 1, "no_confidence": 1}


async def test_racing_changes_keep_one_ballot_with_the_last_acknowledged_choice(hall: Hall, connect_client) -> None:
    motion_id = await hall.motion(allow_change=True)
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    twins = await hall.twins(connect_client, 1)
    choices = ["yes", "no", "abstain"]

    answers = await asyncio.gather(
        *(t.send("vote.cast", {"motion_id": motion_id, "choice": c}) for t, c in zip(twins, choices, strict=True))
    )

    assert all(a["ok"] for a in answers)
    last = choices[max(range(3), key=lambda i: answers[i]["seq"])]
    async with services_of(hall.server.app).sessionmaker() as db:
        stored = list(await db.scalars(select(Ballot.choice).where(Ballot.motion_id == motion_id)))
    assert stored == [last]
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    result = (await hall.public.wait_for("vote.closed"))["data"]["result"]
    assert result["counts"][last] == 1 and sum(result["counts"].values()) == 1


async def test_ballots_arriving_together_are_judged_each_on_its_own(hall: Hall) -> None:
    motion_id = await hall.motion(requires_quorum=False)
    await hall.check_in(3)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})

    answers = await asyncio.gather(
        *(t.send("vote.cast", {"motion_id": motion_id, "choice": "yes"}) for t in hall.tablets[:3]),
        hall.tablets[3].send("vote.cast", {"motion_id": motion_id, "choice": "yes"}),
        hall.tablets[2].send("vote.cast", {"motion_id": motion_id, "choice": "maybe"}),
    )

    assert [a["ok"] for a in answers[:3]] == [True, True, True]
    assert answers[3]["error"]["code"] == "not_present"
    assert answers[4]["error"]["code"] == "invalid"
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
    result = (await hall.public.wait_for("vote.closed"))["data"]["result"]
    assert result["counts"] == {"yes": 3, "no": 0, "abstain": 0}


async def test_the_countdown_closes_the_vote_by_itself(hall: Hall) -> None:
    motion_id = await hall.motion(countdown_seconds=1)
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    await hall.tablets[0].ok("vote.cast", {"motion_id": motion_id, "choice": "yes"})

    closed = await hall.public.wait_for("vote.closed")

    assert closed["data"]["result"]["counts"]["yes"] == 1


async def test_a_reconnecting_tablet_knows_it_has_voted(hall: Hall, connect_client) -> None:
    motion_id = await hall.motion(ballot_type="named")
    await hall.check_in(4)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    await hall.tablets[2].ok("vote.cast", {"motion_id": motion_id, "choice": "abstain"})

    back = await connect_client(hall.live.delegates[2].token)
    answer = await back.join(hall.live.session_id)

    assert answer["me"]["ballot"] == {"motion_id": motion_id, "voted": True, "choice": "abstain"}


async def test_the_chair_puts_a_procedural_question_to_the_vote_during_the_sitting(hall: Hall) -> None:
    await hall.check_in(4)
    await hall.chair.ok("agenda.goto", {"item_id": hall.live.agenda_ids[1]})

    added = await hall.chair.ok("motion.add", {"title": "Kéo dài thời gian thảo luận thêm 15 phút"})
    announced = await hall.public.wait_for("motion.added")
    motion_id = announced["data"]["motion_id"]
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    for tablet in hall.tablets[:4]:
        await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": "yes"})
    await hall.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})

    assert announced["seq"] == added["seq"]
    assert announced["data"]["kind"] == "procedural"
    assert announced["data"]["agenda_item_id"] == hall.live.agenda_ids[1]
    item = next(i for i in announced["state"]["agenda"]["items"] if i["id"] == hall.live.agenda_ids[1])
    assert [m["title"] for m in item["motions"]][-1] == "Kéo dài thời gian thảo luận thêm 15 phút"
    result = (await hall.public.wait_for("vote.closed"))["data"]["result"]
    assert result["passed"] is True


async def test_a_procedural_question_is_never_secret_and_needs_an_agenda_item(hall: Hall) -> None:
    secret = await hall.chair.send("motion.add", {"title": "Bỏ phiếu kín", "ballot_type": "secret"})
    nowhere = await hall.chair.send("motion.add", {"title": "Kéo dài thời gian"})
    too_short = await hall.chair.send("motion.add", {"title": "ab", "agenda_item_id": hall.live.agenda_ids[0]})

    assert secret["error"]["code"] == "invalid"
    assert nowhere["error"]["code"] == "not_found"
    assert too_short["error"]["code"] == "invalid"


async def test_one_callers_failing_ballot_does_not_fail_the_ballots_cast_with_it(hall: Hall) -> None:
    """Ballots that arrive together are written together; one that breaks the shared write (here a motion id the
    database cannot hold, as if a schema had let it through) is answered alone, and the others are stored."""
    motion_id = await hall.motion(ballot_type="open")
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})
    services = services_of(hall.server.app)
    async with services.sessionmaker() as db:
        users = [await tokens.user_for(db, account.token) for account in hall.live.delegates]
    broken = Cast.model_construct(motion_id=10**20, choice="yes")

    answers = await asyncio.gather(
        services.dispatcher.run(users[0], hall.live.session_id, "vote.cast", broken),
        *(
            services.dispatcher.run(user, hall.live.session_id, "vote.cast", {"motion_id": motion_id, "choice": "yes"})
            for user in users[1:]
        ),
        return_exceptions=True,
    )

    assert isinstance(answers[0], ApiError) and answers[0].code == "internal"
    assert all(isinstance(answer, CommandResult) for answer in answers[1:])
    async with services.sessionmaker() as db:
        stored = await db.scalar(select(func.count()).select_from(Ballot).where(Ballot.motion_id == motion_id))
    assert stored == 4


async def test_a_ballot_naming_a_motion_beyond_the_databases_range_is_refused_alone(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(5)
    await hall.chair.ok("vote.open", {"motion_id": motion_id})

    answers = await asyncio.gather(
        hall.tablets[0].send("vote.cast", {"motion_id": 100000000000000000000, "choice": "yes"}),
        *(tablet.send("vote.cast", {"motion_id": motion_id, "choice": "yes"}) for tablet in hall.tablets[1:]),
    )

    assert answers[0]["ok"] is False and answers[0]["error"]["code"] == "invalid"
    assert all(answer["ok"] for answer in answers[1:])


async def test_a_ballot_before_the_vote_opens_is_told_it_has_not_opened(hall: Hall) -> None:
    motion_id = await hall.motion()
    await hall.check_in(1)

    answer = await hall.tablets[0].send("vote.cast", {"motion_id": motion_id, "choice": "yes"})

    assert answer["error"] == {"code": "conflict", "message": "Biểu quyết chưa mở."}


async def test_a_delegate_set_out_of_office_during_the_sitting_is_told_so(hall: Hall) -> None:
    services = services_of(hall.server.app)
    async with services.sessionmaker() as db:
        member = await db.get(Member, hall.live.members[3].id)
        assert member is not None
        member.in_office = False
        await db.commit()

    answer = await hall.tablets[3].send("checkin")

    assert answer["error"] == {
        "code": "forbidden",
        "message": "Bạn không còn là đại biểu đương nhiệm của hội đồng này.",
    }
