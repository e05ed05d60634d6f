import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import InvalidChoiceError, Kind, Tally, VotingError, ballot_form, choice_label, count_ballots

RESOLUTION = ballot_form(Kind.RESOLUTION)


def test_counting_a_resolution_counts_each_option():
    counts = count_ballots(RESOLUTION, ["yes", "no", "yes", "abstain", "yes"]).choices
    assert counts == {"yes": 3, "no": 1, "abstain": 1}


def test_counting_no_ballots_gives_all_zero():
    assert count_ballots(RESOLUTION, []).choices == {"yes": 0, "no": 0, "abstain": 0}


@pytest.mark.parametrize("bad", ["maybe", "YES", ""])
def test_counting_refuses_anything_but_the_three_options(bad):
    with pytest.raises(InvalidChoiceError):
        count_ballots(RESOLUTION, ["yes", bad])


def test_invalid_choice_is_a_voting_error():
    """Validation errors are ValueError subclasses with a readable message."""
    with pytest.raises(VotingError, match="unknown choice 'maybe'"):
        count_ballots(RESOLUTION, ["maybe"])


def test_participating_is_yes_plus_no_plus_abstain():
    """Participating = yes + no + abstain."""
    assert Tally(yes=31, no=1, abstain=1).participating == 33


@pytest.mark.parametrize("counts", [{"yes": -1}, {"no": -2}, {"abstain": 1.5}, {"yes": True}])
def test_tally_refuses_negative_or_fractional_counts(counts):
    """Validation: counts negative (or not whole) raise VotingError."""
    with pytest.raises(VotingError, match="must be a whole number of at least 0"):
        Tally(**counts)


@pytest.mark.parametrize(
    ("choice", "vi", "en"),
    [
        ("yes", "Tán thành", "In favour"),
        ("no", "Không tán thành", "Against"),
        ("abstain", "Không biểu quyết", "Abstain"),
    ],
)
def test_choice_labels_use_the_official_wording(choice, vi, en):
    """Vote options: Tán thành (yes), Không tán thành (no), Không biểu quyết (abstain)."""
    assert choice_label(choice) == vi
    assert choice_label(choice, "vi") == vi
    assert choice_label(choice, "en") == en


def test_choice_label_in_unknown_language_is_refused():
    """Results are written in Vietnamese or English only."""
    with pytest.raises(VotingError, match="language must be one of vi, en"):
        choice_label("yes", "fr")  # type: ignore[arg-type]


@given(st.lists(st.sampled_from(["yes", "no", "abstain"])))
def test_counting_counts_every_ballot_once(choices):
    """Each ballot is counted once: the counts add up to the number of ballots."""
    counted = count_ballots(RESOLUTION, choices)
    assert counted.ballots == sum(counted.choices.values()) == len(choices)
    assert counted.choices["yes"] == choices.count("yes")
