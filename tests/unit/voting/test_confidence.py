import pytest

from voting import PollOutcome, Rule, VotingError, confidence_poll, confidence_vote


def test_no_confidence_by_more_than_half_flags_relief():
    """Confidence vote: no_confidence * 2 > N flags a proposal to relieve; N=35, 18 flags."""
    result = confidence_vote(confidence=17, no_confidence=18, total=35)
    assert result.propose_relief
    assert result.required == 18


def test_no_confidence_by_17_of_35_does_not_flag_relief():
    """Confidence vote: no_confidence * 2 > N; N=35, 17*2 = 34 does not flag."""
    assert not confidence_vote(confidence=18, no_confidence=17, total=35).propose_relief


def test_no_confidence_by_exactly_half_does_not_flag_relief():
    """Confidence vote: no_confidence * 2 > N; N=30, exactly 15 is not more than half."""
    assert not confidence_vote(confidence=15, no_confidence=15, total=30).propose_relief


def test_confidence_vote_counts_absent_delegates_against_relief():
    """Confidence vote: the bar is of N in office, so 10 no-confidence of 12 ballots does not flag for N=35."""
    assert not confidence_vote(confidence=2, no_confidence=10, total=35).propose_relief


def test_confidence_vote_bar_is_data():
    """Every threshold is data: a council may set two thirds for the confidence vote."""
    result = confidence_vote(10, 20, 30, rule="two_thirds_of_total")
    assert result.propose_relief
    assert result.required == 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((20, 16, 35), r"confidence \+ no_confidence = 36 exceeds the 35"),
        ((-1, 10, 35), "confidence must be a whole number of at least 0"),
        ((0, 0, 0), "total delegates in office must be a whole number of at least 1"),
    ],
)
def test_confidence_vote_refuses_impossible_counts(args, message):
    """Validation: counts negative, more ballots than N, or total <= 0 raise VotingError."""
    with pytest.raises(VotingError, match=message):
        confidence_vote(*args)


@pytest.mark.parametrize(
    ("low", "outcome"),
    [
        (0, PollOutcome.NO_ACTION),
        (15, PollOutcome.NO_ACTION),
        (16, PollOutcome.MAY_RESIGN),
        (19, PollOutcome.MAY_RESIGN),
        (20, PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF),
        (30, PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF),
    ],
)
def test_confidence_poll_thresholds_for_30_delegates(low, outcome):
    """Confidence poll: low * 2 > N and low * 3 < N * 2 → may resign; low * 3 >= N * 2 → nominator must propose
    relieving. N=30: 15 is not more than half, 16 is; 19*3 = 57 < 60, 20*3 = 60 >= 60."""
    assert confidence_poll(high=30 - low, medium=0, low=low, total=30).outcome == outcome


@pytest.mark.parametrize(
    ("low", "outcome"),
    [
        (17, PollOutcome.NO_ACTION),
        (18, PollOutcome.MAY_RESIGN),
        (23, PollOutcome.MAY_RESIGN),
        (24, PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF),
    ],
)
def test_confidence_poll_thresholds_for_35_delegates(low, outcome):
    """Confidence poll: N=35, low 18 (18*2 = 36 > 35) may resign up to 23 (69 < 70); 24 (72 >= 70) means relief."""
    assert confidence_poll(high=0, medium=35 - low, low=low, total=35).outcome == outcome


def test_confidence_poll_keeps_its_counts():
    """Confidence poll: options tín nhiệm cao / tín nhiệm / tín nhiệm thấp."""
    result = confidence_poll(high=20, medium=10, low=5, total=35)
    assert (result.high, result.medium, result.low, result.total) == (20, 10, 5, 35)


def test_confidence_poll_thresholds_are_data():
    """Every threshold is data: a council may set its own resign and relief bars."""
    three_quarters = Rule("three_quarters_of_total", 3, 4, strict=False)
    assert confidence_poll(0, 10, 25, 35, relief_rule=three_quarters).outcome == PollOutcome.MAY_RESIGN
    assert (
        confidence_poll(0, 8, 27, 35, relief_rule=three_quarters).outcome == PollOutcome.NOMINATOR_MUST_PROPOSE_RELIEF
    )


def test_confidence_poll_refuses_more_ballots_than_delegates():
    """Validation: more ballots than N raise VotingError."""
    with pytest.raises(VotingError, match=r"high \+ medium \+ low = 36 exceeds the 35"):
        confidence_poll(high=10, medium=10, low=16, total=35)
