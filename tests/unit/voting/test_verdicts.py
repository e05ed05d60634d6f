import pytest

from voting import PollOutcome, VotingError, confidence_poll, confidence_vote, decide, elect, verdict
from voting.tally import Tally


def test_a_resolution_with_more_than_half_of_all_delegates_is_adopted():
    """Ordinary resolution passes with yes * 2 > N: 18 of 35 → "đã được thông qua"."""
    decision = decide(Tally(yes=18, no=10, abstain=2), total=35)
    found = verdict("resolution", {"passed": decision.passed})
    assert (found.carried, found.text_vi, found.text_en) == (True, "đã được thông qua", "adopted")


def test_a_resolution_with_half_of_all_delegates_is_not_adopted():
    """yes * 2 > N: 17 of 34 is exactly half, so "không được thông qua"."""
    decision = decide(Tally(yes=17, no=0, abstain=0), total=34)
    found = verdict("resolution", {"passed": decision.passed})
    assert (found.carried, found.text_vi) == (False, "không được thông qua")


@pytest.mark.parametrize("kind", ["amendment", "procedural", "dismissal"])
def test_amendments_procedure_and_dismissal_pass_or_fail_like_resolutions(kind: str):
    assert verdict(kind, {"passed": True}).text_vi == "đã được thông qua"
    assert verdict(kind, {"passed": False}).text_vi == "không được thông qua"


def test_an_election_names_who_is_elected_by_their_names():
    """Election: votes * 2 > N and more than any other; N=35, 20 votes elects."""
    outcome = elect({"a": 20, "b": 12}, total=35)
    found = verdict("election", {"elected": list(outcome.elected)}, {"a": "Nguyễn Văn An", "b": "Lê Thị Bình"})
    assert found.carried and found.text_vi == "Nguyễn Văn An trúng cử" and found.text_en == "Nguyễn Văn An elected"


def test_a_tie_above_the_bar_sends_the_tied_to_a_new_round():
    """A tie above the bar goes to a new round among the tied (N=35, both 18 for one seat)."""
    outcome = elect({"a": 18, "b": 18}, total=35)
    found = verdict("election", {"elected": [], "new_round": list(outcome.new_round)}, {"a": "An", "b": "Bình"})
    assert not found.carried and found.text_vi == "bầu lại giữa An và Bình"


def test_an_election_nobody_wins_says_so():
    outcome = elect({"a": 10, "b": 9}, total=35)
    assert verdict("election", {"elected": list(outcome.elected)}).text_vi == "không có người trúng cử"


def test_several_elected_are_listed_in_ballot_order():
    found = verdict("election", {"elected": ["a", "b", "c"]}, {"a": "An", "b": "Bình", "c": "Chi"})
    assert found.text_vi == "An, Bình và Chi trúng cử"


def test_no_confidence_by_more_than_half_calls_for_relief():
    """Confidence vote: no_confidence * 2 > N flags a proposal to relieve (N=35, 18)."""
    result = confidence_vote(confidence=17, no_confidence=18, total=35)
    found = verdict("confidence_vote", {"propose_relief": result.propose_relief})
    assert found.carried and found.text_vi == "không được tín nhiệm, phải trình miễn nhiệm"
    assert not verdict("confidence_vote", {"propose_relief": False}).carried


@pytest.mark.parametrize(
    ("low", "expected"),
    [
        (24, "cơ quan đã giới thiệu phải trình miễn nhiệm"),
        (18, "người được lấy phiếu có thể xin từ chức"),
        (10, "không thuộc trường hợp xin từ chức hay trình miễn nhiệm"),
    ],
)
def test_a_confidence_poll_says_what_follows_for_the_official(low: int, expected: str):
    """Poll, N=35: low * 3 >= N * 2 (24) relief; low * 2 > N (18) may resign; otherwise nothing follows."""
    outcome = confidence_poll(high=0, medium=35 - low, low=low, total=35).outcome
    assert verdict("confidence_poll", {"outcome": outcome.value}).text_vi == expected
    assert verdict("confidence_poll", {"outcome": outcome.value}).carried is (outcome is not PollOutcome.NO_ACTION)


def test_an_unknown_kind_has_no_verdict():
    with pytest.raises(VotingError, match="no verdict"):
        verdict("referendum", {"passed": True})


def test_a_confidence_poll_over_officials_gives_each_their_own_verdict():
    """Confidence poll, N=4: 3 "tín nhiệm thấp" reach two thirds (low * 3 >= N * 2), so the nominator must propose
    relief; 1 of 4 leads to nothing."""
    officials = [
        {"name": "Nguyễn Văn Hải", "outcome": confidence_poll(0, 1, 3, 4).outcome.value},
        {"name": "Lê Thị Thu", "outcome": confidence_poll(2, 1, 1, 4).outcome.value},
    ]
    found = verdict("confidence_poll", {"officials": officials})
    assert found.carried
    assert found.text_vi == (
        "Nguyễn Văn Hải: cơ quan đã giới thiệu phải trình miễn nhiệm; "
        "Lê Thị Thu: không thuộc trường hợp xin từ chức hay trình miễn nhiệm"
    )


def test_a_confidence_vote_over_officials_flags_only_those_without_confidence():
    """Confidence vote: no_confidence * 2 > N flags relief; N=5, 3 flags and 1 does not."""
    officials = [
        {"name": "An", "propose_relief": confidence_vote(2, 3, 5).propose_relief},
        {"name": "Bình", "propose_relief": confidence_vote(4, 1, 5).propose_relief},
    ]
    found = verdict("confidence_vote", {"officials": officials})
    assert found.text_en == "An: no confidence: relief must be proposed; Bình: relief not required"
