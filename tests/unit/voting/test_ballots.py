import pytest

from voting import (
    ALWAYS_SECRET,
    InvalidChoiceError,
    Kind,
    Option,
    Shape,
    ballot_form,
    choice_label,
    count_ballots,
    read_ballot,
    write_ballot,
)

CANDIDATES = (Option("1", "Hoàng Ngọc Mai"), Option("2", "Lý Văn Thắng"), Option("3", "Trần Quốc Huy"))
OFFICIALS = (
    Option("1", "Nguyễn Văn Hải", "Chủ tịch HĐND"),
    Option("2", "Lê Thị Thu", "Phó Chủ tịch HĐND"),
    Option("3", "Phạm Minh Đức", "Chủ tịch UBND"),
)


def test_a_resolution_ballot_offers_the_three_options_of_the_law_in_order():
    """Vote options: Tán thành, Không tán thành, Không biểu quyết."""
    form = ballot_form(Kind.RESOLUTION)
    assert form.shape is Shape.SINGLE
    assert [(c.value, c.vi) for c in form.choices] == [
        ("yes", "Tán thành"),
        ("no", "Không tán thành"),
        ("abstain", "Không biểu quyết"),
    ]


def test_elections_and_confidence_votes_are_always_secret():
    """Elections and confidence votes are always secret (DESIGN §6)."""
    assert {Kind.ELECTION, Kind.CONFIDENCE_VOTE, Kind.CONFIDENCE_POLL} == ALWAYS_SECRET


def test_an_election_ballot_names_up_to_the_seats_and_is_written_sorted():
    form = ballot_form(Kind.ELECTION, CANDIDATES, seats=2)
    assert form.shape is Shape.PICK and form.max_picks == 2 and form.choices == ()
    assert write_ballot(form, ["3", "1"]) == "1,3"
    assert write_ballot(form, []) == ""
    assert read_ballot(form, "1,3") == ["1", "3"]
    with pytest.raises(InvalidChoiceError, match="at most 2"):
        write_ballot(form, ["1", "2", "3"])
    with pytest.raises(InvalidChoiceError, match="unknown candidate, or one candidate twice"):
        write_ballot(form, ["1", "1"])
    with pytest.raises(InvalidChoiceError, match="unknown candidate"):
        write_ballot(form, ["9"])


def test_a_confidence_poll_over_officials_has_one_row_each_with_three_levels():
    """Lấy phiếu tín nhiệm: tín nhiệm cao / tín nhiệm / tín nhiệm thấp for each official on one ballot."""
    form = ballot_form(Kind.CONFIDENCE_POLL, OFFICIALS)
    assert form.shape is Shape.ROWS
    assert [c.vi for c in form.choices] == ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"]
    written = write_ballot(form, {"1": "high", "2": "low", "3": "medium"})
    assert written == "021"
    assert read_ballot(form, written) == {"1": "high", "2": "low", "3": "medium"}


def test_a_ballot_over_officials_must_mark_every_row_with_a_known_level():
    form = ballot_form(Kind.CONFIDENCE_VOTE, OFFICIALS)
    with pytest.raises(InvalidChoiceError, match="one choice for each official"):
        write_ballot(form, {"1": "confidence", "2": "confidence"})
    with pytest.raises(InvalidChoiceError, match="confidence, no_confidence"):
        write_ballot(form, {"1": "confidence", "2": "high", "3": "confidence"})
    with pytest.raises(InvalidChoiceError):
        write_ballot(form, "confidence")


def test_a_confidence_vote_without_a_list_is_one_choice_about_one_official():
    form = ballot_form(Kind.CONFIDENCE_VOTE)
    assert form.shape is Shape.SINGLE
    assert write_ballot(form, "no_confidence") == "no_confidence"


def test_forty_officials_fit_in_forty_characters():
    officials = tuple(Option(str(n), f"Official {n}") for n in range(1, 41))
    form = ballot_form(Kind.CONFIDENCE_POLL, officials)
    assert len(write_ballot(form, {o.key: "medium" for o in officials})) == 40


def test_counting_gives_each_candidate_and_each_officials_levels():
    election = count_ballots(ballot_form(Kind.ELECTION, CANDIDATES, 2), ["1,2", "1", "", "2,3"])
    assert election.ballots == 4 and election.candidates == {"1": 2, "2": 2, "3": 1}

    poll = count_ballots(ballot_form(Kind.CONFIDENCE_POLL, OFFICIALS), ["021", "221", "220"])
    assert poll.officials == {
        "1": {"high": 1, "medium": 0, "low": 2},
        "2": {"high": 0, "medium": 0, "low": 3},
        "3": {"high": 1, "medium": 2, "low": 0},
    }

    resolution = count_ballots(ballot_form(Kind.RESOLUTION), ["yes", "yes", "abstain"])
    assert resolution.choices == {"yes": 2, "no": 0, "abstain": 1}


def test_counting_refuses_a_ballot_that_does_not_fit():
    with pytest.raises(InvalidChoiceError, match="does not fit"):
        count_ballots(ballot_form(Kind.CONFIDENCE_POLL, OFFICIALS), ["03"])
    with pytest.raises(InvalidChoiceError, match="unknown choice"):
        count_ballots(ballot_form(Kind.RESOLUTION), ["maybe"])


def test_labels_are_in_vietnamese_and_english():
    assert choice_label("no_confidence") == "Không tín nhiệm"
    assert choice_label("low", "en") == "Low confidence"
