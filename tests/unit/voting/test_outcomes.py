"""A closed vote's result as voting decides it from the ballot form and the written ballots; the quorum."""

import voting
from voting import Kind, Option


def test_a_resolution_passes_with_more_than_half_of_all_delegates_in_favour() -> None:
    """Ordinary resolutions: yes * 2 > N, absent, no and abstain all count as not yes."""
    form = voting.ballot_form(Kind.RESOLUTION)

    result = voting.outcome(form, ["yes"] * 18 + ["no"] * 10 + ["abstain"] * 2, 35, "more_than_half_of_total")

    assert result["counts"] == {"yes": 18, "no": 10, "abstain": 2}
    assert (result["required"], result["passed"], result["carried"]) == (18, True, True)
    assert result["verdict_vi"] == "đã được thông qua"
    assert result["text_vi"].startswith("Có 30/35 đại biểu tham gia biểu quyết")


def test_an_election_names_the_candidates_above_half_of_all_delegates() -> None:
    """Election of an office-holder: votes * 2 > N and more than any other candidate."""
    form = voting.ballot_form(Kind.ELECTION, [Option("a", "Nguyễn Văn An"), Option("b", "Trần Thị Bình")])

    result = voting.outcome(form, ["a"] * 20 + ["b"] * 10, 35, "more_than_half_of_total")

    assert (result["votes"], result["elected"], result["passed"]) == ({"a": 20, "b": 10}, ["a"], True)
    assert "Nguyễn Văn An" in result["verdict_vi"]


def test_each_official_of_a_confidence_poll_has_their_own_verdict() -> None:
    officials = [Option("x", "Lê Văn Xuân", "Chủ tịch"), Option("y", "Phạm Thị Yến", "Phó Chủ tịch")]
    form = voting.ballot_form(Kind.CONFIDENCE_POLL, officials)

    result = voting.outcome(form, ["00"] * 20 + ["22"] * 15, 35, "more_than_half_of_total")

    assert [o["counts"] for o in result["officials"]] == [{"high": 20, "medium": 0, "low": 15}] * 2
    assert all(o["verdict_vi"] for o in result["officials"])


def test_the_quorum_is_two_thirds_of_all_delegates_in_office() -> None:
    """Quorum: present * 3 >= N * 2."""
    assert voting.quorum(24, 35) == voting.Quorum(present=24, total=35, required=24, met=True)
    assert voting.quorum(23, 35) == voting.Quorum(present=23, total=35, required=24, met=False)


def test_a_refused_ballot_says_in_vietnamese_what_it_asks_for() -> None:
    assert voting.invalid_ballot_text(voting.ballot_form(Kind.RESOLUTION)) == (
        "Lựa chọn không hợp lệ; chọn một trong: Tán thành, Không tán thành, Không biểu quyết."
    )
