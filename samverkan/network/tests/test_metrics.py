"""The network figures, on graphs small enough to count by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.network.metrics import (
    EdgeAnswer,
    NetworkInputError,
    directed_edges,
    metrics_change,
    network_metrics,
    tie_changes,
)

ABCD = ["A", "B", "C", "D"]


def tie(source: str, target: str, depth: int = 2, **more: object) -> EdgeAnswer:
    return EdgeAnswer(source, target, depth, **more)  # type: ignore[arg-type]


def star(centre: str, leaves: list[str], depth: int = 2) -> list[EdgeAnswer]:
    return [tie(centre, leaf, depth) for leaf in leaves] + [tie(leaf, centre, depth) for leaf in leaves]


def complete(nodes: list[str], depth: int = 3) -> list[EdgeAnswer]:
    return [tie(a, b, depth) for a, b in itertools.permutations(nodes, 2)]


def test_a_star_has_centralization_one_and_every_tie_mutual() -> None:
    result = network_metrics(ABCD, star("A", ["B", "C", "D"]))
    assert result.edges == 6
    assert result.density == pytest.approx(6 / 12)
    assert result.reciprocity == 1.0
    assert result.degree_centralization == pytest.approx(1.0)
    assert result.agencies["A"].out_degree == 3
    assert result.agencies["A"].in_degree == 3
    assert result.agencies["A"].weighted_degree == 12  # three out and three in, depth 2 each
    assert result.agencies["B"].weighted_degree == 4


def test_a_one_way_star_is_as_centralized_as_a_mutual_one() -> None:
    # Centralization is on the undirected graph: a tie counts when either names the other.
    result = network_metrics(ABCD, [tie("B", "A"), tie("C", "A"), tie("D", "A")])
    assert result.degree_centralization == pytest.approx(1.0)
    assert result.reciprocity == 0.0
    assert result.agencies["A"].in_degree == 3
    assert result.agencies["A"].out_degree == 0


def test_a_complete_network_has_density_one_and_centralization_zero() -> None:
    result = network_metrics(ABCD, complete(ABCD))
    assert result.edges == 12
    assert result.density == 1.0
    assert result.reciprocity == 1.0
    assert result.degree_centralization == 0.0
    assert all(a.out_degree == a.in_degree == 3 for a in result.agencies.values())
    assert result.agencies["C"].weighted_degree == 18


def test_an_empty_network_has_no_reciprocity_and_zero_density() -> None:
    result = network_metrics(ABCD, [])
    assert result.edges == 0
    assert result.density == 0.0
    assert result.reciprocity is None
    assert result.degree_centralization == 0.0
    assert result.response_rate == 0.0
    assert result.non_respondents == ("A", "B", "C", "D")
    assert result.knows_whom_to_call is None


def test_depth_zero_answers_are_answers_but_no_ties() -> None:
    answers = [tie("A", "B", 0, trust=3.0), tie("A", "C", 0), tie("B", "A", 1)]
    result = network_metrics(["A", "B", "C"], answers)
    assert result.edges == 1
    assert result.agencies["A"].out_degree == 0
    assert result.agencies["A"].in_degree == 1
    assert result.agencies["B"].in_degree == 0
    # Answering (even "no collaboration") is responding; the trust answer still counts.
    assert result.agencies["A"].responded
    assert result.agencies["B"].mean_trust_received == 3.0
    assert result.non_respondents == ("C",)


def test_one_way_ties_give_reciprocity_the_share_of_edges_returned() -> None:
    # A⇄B mutual (2 edges), A→C and C→D one way: 2 of 4 edges have their reverse.
    result = network_metrics(ABCD, [tie("A", "B"), tie("B", "A"), tie("A", "C"), tie("C", "D")])
    assert result.edges == 4
    assert result.reciprocity == 0.5


def test_isolated_agencies_count_in_density_and_centralization() -> None:
    nodes = ["A", "B", "C", "D", "E"]
    result = network_metrics(nodes, [tie("A", "B"), tie("B", "A")])
    assert result.density == pytest.approx(2 / 20)
    # Undirected degrees 1, 1, 0, 0, 0: Σ(1 − d) = 3 over (4·3).
    assert result.degree_centralization == pytest.approx(3 / 12)
    assert result.agencies["E"] == result.agencies["D"]
    assert result.agencies["E"].weighted_degree == 0
    assert result.agencies["E"].mean_trust_received is None


def test_a_path_of_three_is_a_star_with_two_leaves() -> None:
    result = network_metrics(["A", "B", "C"], [tie("A", "B"), tie("B", "C")])
    assert result.degree_centralization == pytest.approx(1.0)  # (1 + 1) / (2·1)


def test_density_and_centralization_are_none_below_their_minimum_size() -> None:
    one = network_metrics(["A"], [])
    assert one.density is None
    assert one.degree_centralization is None
    assert one.knows_whom_to_call is None
    two = network_metrics(["A", "B"], [tie("A", "B")])
    assert two.density == 0.5
    assert two.degree_centralization is None
    none = network_metrics([], [])
    assert none.response_rate is None
    assert none.as_dict()["agencies"] == {}


def test_knows_whom_to_call_is_over_respondents_times_the_others_and_a_non_respondent_is_left_out() -> None:
    answers = [
        tie("A", "B", 1, knows_whom_to_call=True),
        tie("A", "C", 0, knows_whom_to_call=True),
        tie("A", "D", 0, knows_whom_to_call=False),
        tie("B", "A", 2, knows_whom_to_call=True),
        tie("B", "C", 0),  # not answered: counts as no
    ]
    result = network_metrics(ABCD, answers, respondents=["A", "B", "C"])
    # Respondents A, B, C (C submitted but named no one), 3 others each: 3 yes of 9.
    assert result.knows_whom_to_call == pytest.approx(3 / 9)
    assert result.response_rate == 0.75
    assert result.non_respondents == ("D",)
    assert result.agencies["C"].responded
    assert not result.agencies["D"].responded
    # Without the list, respondents are the sources: A and B, 3 yes of 6.
    assert network_metrics(ABCD, answers).knows_whom_to_call == pytest.approx(3 / 6)


def test_trust_and_value_received_are_means_of_what_the_others_said() -> None:
    answers = [
        tie("B", "A", 3, trust=4.0, value=2.0),
        tie("C", "A", 1, trust=2.0),
        tie("D", "A", 0, trust=3.0, value=4.0),
    ]
    agency = network_metrics(ABCD, answers).agencies["A"]
    assert agency.mean_trust_received == pytest.approx(3.0)
    assert agency.mean_value_received == pytest.approx(3.0)
    assert agency.weighted_degree == 4


def test_as_dict_has_exactly_the_documented_keys() -> None:
    data = network_metrics(ABCD, star("A", ["B", "C"])).as_dict()
    assert list(data) == [
        "nodes",
        "edges",
        "density",
        "reciprocity",
        "degree_centralization",
        "knows_whom_to_call",
        "response_rate",
        "non_respondents",
        "agencies",
    ]
    assert list(data["agencies"]) == ABCD
    assert list(data["agencies"]["A"]) == [
        "out_degree",
        "in_degree",
        "weighted_degree",
        "mean_trust_received",
        "mean_value_received",
        "responded",
    ]
    assert data["non_respondents"] == ["D"]


@pytest.mark.parametrize(
    ("answers", "respondents"),
    [
        ([tie("A", "X")], None),
        ([tie("A", "A")], None),
        ([tie("A", "B"), tie("A", "B", 3)], None),
        ([tie("A", "B", 6)], None),
        ([tie("A", "B", -1)], None),
        ([tie("A", "B", trust=4.5)], None),
        ([tie("A", "B", value=0.0)], None),
        ([tie("A", "B")], ["B"]),
        ([], ["X"]),
    ],
    ids=[
        "unknown target",
        "self-tie",
        "duplicate pair",
        "depth 6",
        "depth -1",
        "trust above 4",
        "value below 1",
        "answer from a non-respondent",
        "unknown respondent",
    ],
)
def test_answers_that_describe_no_network_are_refused(answers: list[EdgeAnswer], respondents: list[str] | None) -> None:
    with pytest.raises(NetworkInputError):
        network_metrics(ABCD, answers, respondents=respondents)


def test_a_node_listed_twice_is_refused() -> None:
    with pytest.raises(NetworkInputError):
        network_metrics(["A", "A"], [])


def test_the_change_between_two_rounds_is_per_figure_and_per_agency_in_both() -> None:
    before = network_metrics(["A", "B", "C"], [tie("A", "B", 1, trust=2.0), tie("B", "A", 2)])
    after = network_metrics(["A", "B", "D"], [tie("A", "B", 3, trust=3.0), tie("D", "A", 1)])
    change = metrics_change(before, after)
    assert change["nodes"] == 0
    assert change["edges"] == 0
    assert change["density"] == 0.0
    assert change["reciprocity"] == -1.0
    assert change["response_rate"] == pytest.approx(0.0)
    assert change["new_agencies"] == ["D"]
    assert change["gone_agencies"] == ["C"]
    assert set(change["agencies"]) == {"A", "B"}
    assert change["agencies"]["B"]["mean_trust_received"] == pytest.approx(1.0)
    assert change["agencies"]["B"]["weighted_degree"] == 0  # 1 + 2 before, 3 after
    assert change["agencies"]["A"]["mean_trust_received"] is None  # none in either round
    assert change["agencies"]["A"]["in_degree"] == 0
    assert change["agencies"]["B"]["responded"] == [True, False]


def test_a_figure_missing_in_one_round_has_no_change() -> None:
    change = metrics_change(network_metrics(["A", "B"], []), network_metrics(ABCD, [tie("A", "B")]))
    assert change["reciprocity"] is None
    assert change["degree_centralization"] is None
    assert change["density"] == pytest.approx(1 / 12)


# Random networks: any agencies, any answers about different agencies.
NAMES = [f"a{i}" for i in range(8)]


@st.composite
def networks(draw: st.DrawFn) -> tuple[list[str], list[EdgeAnswer]]:
    nodes = NAMES[: draw(st.integers(min_value=0, max_value=len(NAMES)))]
    pairs = list(itertools.permutations(nodes, 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    answers = [
        EdgeAnswer(
            source,
            target,
            draw(st.integers(min_value=0, max_value=5)),
            trust=draw(st.none() | st.floats(min_value=1, max_value=4)),
            knows_whom_to_call=draw(st.none() | st.booleans()),
        )
        for source, target in chosen
    ]
    return nodes, answers


@settings(max_examples=150, deadline=None)
@given(networks())
def test_density_centralization_and_shares_stay_between_zero_and_one(
    network: tuple[list[str], list[EdgeAnswer]],
) -> None:
    nodes, answers = network
    result = network_metrics(nodes, answers)
    for figure in (
        result.density,
        result.degree_centralization,
        result.reciprocity,
        result.knows_whom_to_call,
        result.response_rate,
    ):
        assert figure is None or 0.0 <= figure <= 1.0 + 1e-12
    assert result.edges == len(directed_edges(answers))
    assert sum(a.out_degree for a in result.agencies.values()) == result.edges
    assert sum(a.in_degree for a in result.agencies.values()) == result.edges


@settings(max_examples=150, deadline=None)
@given(networks())
def test_reversing_every_tie_swaps_in_and_out_degree_and_keeps_the_rest(
    network: tuple[list[str], list[EdgeAnswer]],
) -> None:
    nodes, answers = network
    reversed_answers = [EdgeAnswer(a.target, a.source, a.depth) for a in answers]
    forward = network_metrics(nodes, answers, respondents=nodes)
    backward = network_metrics(nodes, reversed_answers, respondents=nodes)
    for name in nodes:
        assert forward.agencies[name].out_degree == backward.agencies[name].in_degree
        assert forward.agencies[name].in_degree == backward.agencies[name].out_degree
        assert forward.agencies[name].weighted_degree == backward.agencies[name].weighted_degree
    assert forward.density == backward.density
    assert forward.reciprocity == backward.reciprocity
    assert forward.degree_centralization == backward.degree_centralization


def test_min_depth_keeps_only_the_deeper_ties_but_every_answer_for_trust_and_calls() -> None:
    answers = [
        tie("A", "B", 4, trust=2.0, knows_whom_to_call=True),
        tie("B", "A", 2, trust=4.0),
        tie("C", "A", 1, trust=3.0, knows_whom_to_call=True),
    ]
    result = network_metrics(["A", "B", "C"], answers, min_depth=3)
    assert result.edges == 1
    assert result.reciprocity == 0.0
    assert result.agencies["A"].in_degree == 0
    assert result.agencies["A"].mean_trust_received == pytest.approx(3.5)
    assert result.knows_whom_to_call == pytest.approx(2 / 6)


@pytest.mark.parametrize("min_depth", [0, 6, True])
def test_a_min_depth_outside_one_to_five_is_refused(min_depth: int) -> None:
    with pytest.raises(NetworkInputError):
        network_metrics(ABCD, [], min_depth=min_depth)


def test_a_mean_from_fewer_raters_than_min_raters_is_withheld_so_no_single_rating_shows() -> None:
    answers = [
        tie("B", "A", 1, trust=1.0, value=4.0),
        tie("C", "A", 1, trust=2.0),
        tie("D", "A", 1, trust=3.0),
        tie("A", "B", 1, trust=4.0, value=2.0),
    ]
    shown = network_metrics(ABCD, answers, min_raters=3)
    assert shown.agencies["A"].mean_trust_received == pytest.approx(2.0)
    assert shown.agencies["A"].mean_value_received is None  # one rating: B's
    assert shown.agencies["B"].mean_trust_received is None
    # Nor does the change between rounds give it away.
    later = network_metrics(ABCD, answers[:3], min_raters=3)
    assert metrics_change(later, shown)["agencies"]["B"]["mean_trust_received"] is None
    assert network_metrics(ABCD, answers).agencies["B"].mean_trust_received == 4.0


@pytest.mark.parametrize("min_raters", [0, -1, True])
def test_a_min_raters_below_one_is_refused(min_raters: int) -> None:
    with pytest.raises(NetworkInputError):
        network_metrics(ABCD, [], min_raters=min_raters)


@pytest.mark.parametrize("leaves", [2, 3, 5, 12])
def test_a_star_is_fully_centralized_and_a_complete_network_not_at_all_at_any_size(leaves: int) -> None:
    nodes = [f"n{i}" for i in range(leaves + 1)]
    assert network_metrics(nodes, star(nodes[0], nodes[1:])).degree_centralization == pytest.approx(1.0)
    assert network_metrics(nodes, complete(nodes)).degree_centralization == 0.0
    assert network_metrics(nodes, complete(nodes)).density == 1.0


def test_tie_changes_name_the_ties_that_came_went_deepened_and_became_shallower() -> None:
    before = [tie("A", "B", 2), tie("B", "A", 3), tie("A", "C", 1), tie("C", "D", 0), tie("D", "A", 4)]
    after = [tie("A", "B", 4), tie("B", "A", 1), tie("C", "D", 2), tie("D", "A", 4), tie("A", "C", 0)]
    changes = tie_changes(before, after)
    assert [(c.source, c.target, c.before, c.after) for c in changes["new"]] == [("C", "D", 0, 2)]
    assert [(c.source, c.target) for c in changes["gone"]] == [("A", "C")]
    assert [(c.source, c.target, c.before, c.after) for c in changes["deeper"]] == [("A", "B", 2, 4)]
    assert [(c.source, c.target, c.before, c.after) for c in changes["shallower"]] == [("B", "A", 3, 1)]
    # At depth 3 and deeper: B→A (3 → 1) is gone, A→B (2 → 4) is new; D→A (4 → 4) is unchanged.
    deep = tie_changes(before, after, min_depth=3)
    assert [(c.source, c.target) for c in deep["new"]] == [("A", "B")]
    assert [(c.source, c.target) for c in deep["gone"]] == [("B", "A")]
    assert deep["deeper"] == deep["shallower"] == []
