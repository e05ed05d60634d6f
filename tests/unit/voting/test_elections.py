import pytest
from hypothesis import given
from hypothesis import strategies as st

from voting import ElectionResult, Rule, VotingError, elect


def test_candidate_above_half_of_total_is_elected():
    """Election: valid votes for the candidate * 2 > N and more than any other candidate; N=35, 18 wins."""
    assert elect({"Nguyễn Văn An": 18, "Trần Thị Bình": 15}, 35) == ElectionResult(
        elected=("Nguyễn Văn An",), new_round=(), seats_in_new_round=0, unfilled=0, required=18
    )


def test_candidate_at_exactly_half_of_even_total_is_not_elected():
    """Election: votes * 2 > N; N=30, 15 votes is exactly half and not enough."""
    result = elect({"A": 15, "B": 15}, 30)
    assert result.elected == ()
    assert result.new_round == ()
    assert result.unfilled == 1


def test_candidate_with_17_of_35_is_not_elected():
    """Election: votes * 2 > N; N=35, 17*2 = 34 is not > 35."""
    assert elect({"A": 17, "B": 16}, 35).unfilled == 1


def test_most_votes_wins_when_several_clear_the_bar():
    """Election: above the bar and more than any other candidate."""
    assert elect({"A": 20, "B": 25, "C": 19}, 35).elected == ("B",)


def test_tie_above_the_bar_goes_to_a_new_round_among_the_tied():
    """Election: a tie above the bar goes to a new round among the tied."""
    result = elect({"A": 20, "B": 20, "C": 19}, 35)
    assert result.elected == ()
    assert result.new_round == ("A", "B")
    assert result.seats_in_new_round == 1
    assert result.unfilled == 0


def test_tie_below_the_bar_is_no_election_and_no_new_round():
    """Election: a tie only goes to a new round above the bar; below it the seat stays unfilled."""
    result = elect({"A": 12, "B": 12, "C": 11}, 35)
    assert (result.elected, result.new_round, result.unfilled) == ((), (), 1)


def test_several_seats_go_to_the_candidates_with_most_votes_above_the_bar():
    """Election, several seats: each elected candidate clears votes * 2 > N, highest counts first."""
    result = elect({"A": 30, "B": 18, "C": 25, "D": 20}, 35, seats=2)
    assert result.elected == ("A", "C")
    assert result.new_round == ()


def test_tie_for_the_last_seat_sends_only_the_tied_to_a_new_round():
    """Election: a tie above the bar for the last seat goes to a new round among the tied."""
    result = elect({"A": 30, "B": 22, "C": 22, "D": 10}, 35, seats=2)
    assert result.elected == ("A",)
    assert result.new_round == ("B", "C")
    assert result.seats_in_new_round == 1


def test_tie_that_fits_within_the_seats_elects_all_the_tied():
    """Election: tied candidates above the bar are all elected when there are seats for all of them."""
    result = elect({"A": 22, "B": 22, "C": 10}, 35, seats=2)
    assert result.elected == ("A", "B")
    assert result.new_round == ()


def test_tie_of_three_for_two_seats_sends_all_three_to_a_new_round():
    """Election: a tie above the bar goes to a new round among all the tied, for the seats left."""
    result = elect({"A": 20, "B": 20, "C": 20}, 35, seats=2)
    assert result.elected == ()
    assert result.new_round == ("A", "B", "C")
    assert result.seats_in_new_round == 2


def test_fewer_candidates_above_the_bar_than_seats_leaves_seats_unfilled():
    """Election: only candidates with votes * 2 > N are elected; the other seats stay open."""
    result = elect({"A": 30, "B": 10, "C": 5}, 35, seats=3)
    assert result.elected == ("A",)
    assert result.unfilled == 2


def test_election_bar_is_data():
    """Every threshold is data: a council may require two thirds for an office."""
    two_thirds = Rule("two_thirds_of_total", 2, 3, strict=False)
    result = elect({"A": 23}, 35, rule=two_thirds)
    assert result.elected == ()
    assert result.required == 24


@pytest.mark.parametrize(
    ("votes", "seats", "message"),
    [
        ({}, 1, "at least one candidate"),
        ({"A": -1}, 1, "votes for A must be a whole number of at least 0"),
        ({"A": 36}, 1, r"votes for A \(36\) exceeds the 35 delegates"),
        ({"A": 20}, 0, "seats must be a whole number of at least 1"),
    ],
)
def test_impossible_election_figures_are_refused(votes, seats, message):
    """Validation: negative counts, counts above N, no candidates or no seats raise VotingError."""
    with pytest.raises(VotingError, match=message):
        elect(votes, 35, seats=seats)


@given(
    total=st.integers(1, 100),
    seats=st.integers(1, 4),
    data=st.data(),
)
def test_elected_candidates_all_clear_the_bar_and_never_exceed_the_seats(total, seats, data):
    """Election: everyone elected has votes * 2 > N and more votes than anyone not elected."""
    names = data.draw(st.lists(st.sampled_from("ABCDEFG"), min_size=1, unique=True))
    votes = {name: data.draw(st.integers(0, total)) for name in names}
    result = elect(votes, total, seats=seats)
    assert len(result.elected) + result.seats_in_new_round + result.unfilled == seats
    assert all(votes[name] * 2 > total for name in result.elected + result.new_round)
    not_elected = [votes[name] for name in votes if name not in result.elected]
    assert all(votes[name] > max(not_elected, default=-1) for name in result.elected)
