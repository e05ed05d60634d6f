"""Every kind of motion, set up by staff through REST before the session opens, then voted on five tablets over /live:
the ballot the tablets are sent, the result and the verdict by the law's formulas (N = 5 delegates in office)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from tests.factories import LiveWorld
from tests.functional.conftest import Connect
from tests.live_clients import LiveClient


@dataclass
class Sitting:
    live: LiveWorld
    server: TestServer
    connect: Connect
    chair: LiveClient | None = None
    tablets: tuple[LiveClient, ...] = ()

    async def motion(self, **body: Any) -> dict[str, Any]:
        """A motion added by the secretary through REST, on the discussion item, while the session is scheduled."""
        url = self.server.make_url(f"/api/agenda/{self.live.agenda_ids[2]}/motions")
        async with (
            aiohttp.ClientSession() as http,
            http.post(url, json=body, headers=self.live.secretary.headers) as response,
        ):
            assert response.status == 201, await response.text()
            return await response.json()

    async def open(self, present: int = 5) -> None:
        self.chair = await self.connect(self.live.chair.token)
        await self.chair.join(self.live.session_id)
        tablets = [self.chair]
        for account in self.live.delegates[1:]:
            tablet = await self.connect(account.token)
            await tablet.join(self.live.session_id)
            tablets.append(tablet)
        self.tablets = tuple(tablets)
        for tablet in self.tablets[:present]:
            await tablet.ok("checkin")
        await self.chair.ok("session.open")

    async def vote(self, motion_id: int, ballots: list[Any]) -> dict[str, Any]:
        """Open the vote, cast `ballots` from the first tablets, close it (confirmed); the announced result."""
        assert self.chair is not None
        opened = await self.chair.ok("vote.open", {"motion_id": motion_id})
        assert opened["ok"]
        for tablet, choice in zip(self.tablets, ballots, strict=False):
            await tablet.ok("vote.cast", {"motion_id": motion_id, "choice": choice})
        await self.chair.ok("vote.close", {"motion_id": motion_id, "confirm": True})
        closed = [e for e in await _events(self.chair, "vote.closed") if e["data"]["motion_id"] == motion_id]
        return closed[-1]["data"]["result"]


async def _events(client: LiveClient, event_type: str) -> list[dict[str, Any]]:
    await client.wait_for(event_type)
    return [e for e in client.events if e["type"] == event_type]


@pytest.fixture
def sitting(live: LiveWorld, server: TestServer, connect_client: Connect) -> Sitting:
    return Sitting(live, server, connect_client)


async def test_a_resolution_passes_with_more_than_half_of_all_delegates(sitting: Sitting) -> None:
    """Ordinary resolution: yes × 2 > N; 3 of 5 pass."""
    motion = await sitting.motion(title="Thông qua Nghị quyết về dự toán ngân sách năm 2027", ballot_type="named")
    await sitting.open()

    result = await sitting.vote(motion["id"], ["yes", "yes", "yes", "no"])

    assert result["passed"] is True and result["required"] == 3
    assert (result["carried"], result["verdict_vi"]) == (True, "đã được thông qua")
    assert result["text_vi"] == (
        "Có 4/5 đại biểu tham gia biểu quyết (80,00%); tán thành 3 (60,00%); "
        "không tán thành 1 (20,00%); không biểu quyết 0 (0,00%)"
    )
    assert result["present"] == 5 and result["present_not_voted"] == 1
    assert [entry["name"] for entry in result["named_not_voted"]] == ["Ngô Kim Phương"]


async def test_an_amendment_with_two_of_five_in_favour_fails(sitting: Sitting) -> None:
    motion = await sitting.motion(title="Sửa đổi Điều 3 của dự thảo nghị quyết", kind="amendment")
    await sitting.open()

    result = await sitting.vote(motion["id"], ["yes", "yes", "abstain", "no", "abstain"])

    assert result["passed"] is False and result["counts"] == {"yes": 2, "no": 1, "abstain": 2}
    assert result["present_not_voted"] == 0


async def test_a_procedural_matter_set_up_without_quorum_opens_with_two_present(sitting: Sitting) -> None:
    motion = await sitting.motion(
        title="Kéo dài phiên thảo luận thêm 15 phút", kind="procedural", requires_quorum=False
    )
    await sitting.open(present=2)

    result = await sitting.vote(motion["id"], ["yes", "yes"])

    assert result["passed"] is False and result["participating"] == 2


async def test_a_dismissal_needs_two_thirds_of_all_delegates(sitting: Sitting) -> None:
    """Dismissal (bãi nhiệm) of a delegate: yes × 3 ≥ N × 2; for N = 5, 3 yes fall short and 4 pass."""
    short = await sitting.motion(title="Bãi nhiệm đại biểu Nguyễn Văn X", kind="dismissal", ballot_type="secret")
    enough = await sitting.motion(title="Bãi nhiệm đại biểu Trần Văn Y", kind="dismissal", ballot_type="secret")
    assert short["rule"] == "two_thirds_of_total"
    await sitting.open()

    refused = await sitting.vote(short["id"], ["yes", "yes", "yes", "no", "no"])
    passed = await sitting.vote(enough["id"], ["yes", "yes", "yes", "yes", "no"])

    assert refused["passed"] is False and refused["required"] == 4
    assert passed["passed"] is True


async def test_an_election_of_two_from_three_candidates_elects_those_above_half(sitting: Sitting) -> None:
    """Election: votes × 2 > N and more than the others; N = 5 needs 3 votes."""
    motion = await sitting.motion(
        title="Bầu Phó Chủ tịch HĐND xã",
        kind="election",
        seats=2,
        options=[{"name": "Hoàng Ngọc Mai"}, {"name": "Lý Văn Thắng"}, {"name": "Trần Quốc Huy"}],
    )
    assert motion["ballot_type"] == "secret"
    assert [option["key"] for option in motion["options"]] == ["1", "2", "3"]
    await sitting.open()
    assert sitting.chair is not None
    opened = (await sitting.chair.ok("vote.open", {"motion_id": motion["id"]}))["seq"]
    ballot = next(e for e in sitting.tablets[4].events if e["seq"] == opened)["data"]["ballot"]
    assert ballot["shape"] == "pick" and ballot["max_picks"] == 2
    assert [o["name"] for o in ballot["options"]] == ["Hoàng Ngọc Mai", "Lý Văn Thắng", "Trần Quốc Huy"]

    too_many = await sitting.tablets[0].send("vote.cast", {"motion_id": motion["id"], "choice": ["1", "2", "3"]})
    assert too_many["error"]["code"] == "invalid" and "tối đa 2 người" in too_many["error"]["message"]
    for tablet, picks in zip(sitting.tablets, [["1", "2"], ["1", "2"], ["1", "3"], ["2"], []], strict=True):
        await tablet.ok("vote.cast", {"motion_id": motion["id"], "choice": picks})
    await sitting.chair.ok("vote.close", {"motion_id": motion["id"], "confirm": True})
    result = (await sitting.chair.wait_for("vote.closed"))["data"]["result"]

    assert result["votes"] == {"1": 3, "2": 3, "3": 1}
    assert result["elected"] == ["1", "2"] and result["new_round"] == []
    assert result["verdict_vi"] == "Hoàng Ngọc Mai và Lý Văn Thắng trúng cử"
    assert (
        result["text_vi"]
        == "Hoàng Ngọc Mai: 3 phiếu (60,00%); Lý Văn Thắng: 3 phiếu (60,00%); Trần Quốc Huy: 1 phiếu (20,00%)"
    )


async def test_a_confidence_vote_over_two_officials_flags_the_one_most_delegates_do_not_trust(
    sitting: Sitting,
) -> None:
    """Confidence vote: no_confidence × 2 > N flags a proposal to relieve the official; N = 5 needs 3."""
    motion = await sitting.motion(
        title="Bỏ phiếu tín nhiệm",
        kind="confidence_vote",
        options=[
            {"name": "Nguyễn Văn Hải", "title": "Chủ tịch UBND xã"},
            {"name": "Lê Thị Thu", "title": "Phó Chủ tịch UBND xã"},
        ],
    )
    await sitting.open()

    row = {"1": "no_confidence", "2": "confidence"}
    result = await sitting.vote(motion["id"], [row, row, row, {"1": "confidence", "2": "no_confidence"}])

    first, second = result["officials"]
    assert (first["name"], first["counts"], first["propose_relief"]) == (
        "Nguyễn Văn Hải",
        {"confidence": 1, "no_confidence": 3},
        True,
    )
    assert (second["counts"], second["propose_relief"]) == ({"confidence": 3, "no_confidence": 1}, False)
    assert result["text_vi"].splitlines()[0] == (
        "Nguyễn Văn Hải (Chủ tịch UBND xã): Tín nhiệm 1 (20,00%); không tín nhiệm 3 (60,00%)"
    )


async def test_a_confidence_poll_gives_each_official_the_outcome_of_their_low_votes(sitting: Sitting) -> None:
    """Confidence poll: low × 2 > N and low × 3 < N × 2, the official may resign; low × 3 ≥ N × 2, the nominator
    must propose relieving them. N = 5: 3 low may resign, 4 low must be proposed for relief."""
    motion = await sitting.motion(
        title="Lấy phiếu tín nhiệm giữa nhiệm kỳ",
        kind="confidence_poll",
        options=[
            {"name": "Nguyễn Văn Hải", "title": "Chủ tịch HĐND xã"},
            {"name": "Lê Thị Thu", "title": "Phó Chủ tịch HĐND xã"},
            {"name": "Phạm Minh Đức", "title": "Chủ tịch UBND xã"},
        ],
    )
    await sitting.open()
    assert sitting.chair is not None
    half = await sitting.tablets[1].send("vote.cast", {"motion_id": motion["id"], "choice": {"1": "low"}})
    assert half["ok"] is False

    ballots = [
        {"1": "low", "2": "low", "3": "high"},
        {"1": "low", "2": "low", "3": "high"},
        {"1": "low", "2": "low", "3": "medium"},
        {"1": "medium", "2": "low", "3": "high"},
        {"1": "high", "2": "medium", "3": "high"},
    ]
    result = await sitting.vote(motion["id"], ballots)

    outcomes = [(o["name"], o["counts"]["low"], o["outcome"]) for o in result["officials"]]
    assert outcomes == [
        ("Nguyễn Văn Hải", 3, "may_resign"),
        ("Lê Thị Thu", 4, "nominator_must_propose_relief"),
        ("Phạm Minh Đức", 0, "no_action"),
    ]
    assert result["officials"][1]["verdict_vi"] == "cơ quan đã giới thiệu phải trình miễn nhiệm"
    assert result["carried"] is True
    assert result["verdict_vi"].startswith("Nguyễn Văn Hải: người được lấy phiếu có thể xin từ chức; Lê Thị Thu: ")


async def test_the_countdown_and_changing_ones_vote_come_from_the_setup(sitting: Sitting) -> None:
    motion = await sitting.motion(title="Thông qua chương trình kỳ họp", countdown_seconds=90, allow_change=True)
    await sitting.open()
    assert sitting.chair is not None

    opened = await sitting.chair.ok("vote.open", {"motion_id": motion["id"]})
    data = next(e for e in sitting.chair.events if e["seq"] == opened["seq"])["data"]
    assert data["allow_change"] is True and data["countdown_seconds"] == 90 and data["deadline"]
    await sitting.tablets[1].ok("vote.cast", {"motion_id": motion["id"], "choice": "no"})
    await sitting.tablets[1].ok("vote.cast", {"motion_id": motion["id"], "choice": "yes"})
    await sitting.chair.ok("vote.close", {"motion_id": motion["id"], "confirm": True})

    result = (await sitting.chair.wait_for("vote.closed"))["data"]["result"]
    assert result["counts"] == {"yes": 1, "no": 0, "abstain": 0}


async def test_closing_a_vote_without_confirmation_says_how_many_present_have_not_voted(sitting: Sitting) -> None:
    motion = await sitting.motion(title="Thông qua Nghị quyết về kế hoạch đầu tư công")
    await sitting.open(present=4)
    assert sitting.chair is not None
    await sitting.chair.ok("vote.open", {"motion_id": motion["id"]})
    await sitting.tablets[0].ok("vote.cast", {"motion_id": motion["id"], "choice": "yes"})

    refused = await sitting.chair.send("vote.close", {"motion_id": motion["id"]})

    assert refused["ok"] is False and refused["error"]["code"] == "confirmation_required"
    assert "còn 3/4 đại biểu có mặt chưa biểu quyết" in refused["error"]["message"]
    await sitting.tablets[1].ok("vote.cast", {"motion_id": motion["id"], "choice": "yes"})
    await sitting.chair.ok("vote.close", {"motion_id": motion["id"], "confirm": True})


async def test_closing_the_session_without_confirmation_changes_nothing(sitting: Sitting) -> None:
    motion = await sitting.motion(title="Thông qua Nghị quyết về kế hoạch đầu tư công")
    await sitting.open()
    assert sitting.chair is not None
    await sitting.chair.ok("vote.open", {"motion_id": motion["id"]})
    during = await sitting.chair.send("session.close", {"confirm": True})
    assert (
        during["error"]["code"] == "conflict" and "kết thúc biểu quyết trước khi bế mạc" in during["error"]["message"]
    )
    await sitting.chair.ok("vote.close", {"motion_id": motion["id"], "confirm": True})

    refused = await sitting.chair.send("session.close")

    assert refused["ok"] is False and refused["error"]["code"] == "confirmation_required"
    assert "không mở lại được" in refused["error"]["message"]
    rejoined = await sitting.chair.join(sitting.live.session_id)
    assert rejoined["snapshot"]["session"]["status"] == "live"
    await sitting.chair.ok("session.close", {"confirm": True})
    assert (await sitting.chair.wait_for("session.closed"))["data"]["status"] == "ended"
