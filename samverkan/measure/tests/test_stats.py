"""The measurement rules of PRODUCT.md, pinned on the pure statistics (hypothesis where it helps)."""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from samverkan.measure import stats

counts_1_5 = st.dictionaries(st.integers(1, 5), st.integers(0, 40), min_size=1).filter(lambda c: sum(c.values()) > 0)


def expand(counts: dict[int, int]) -> list[int]:
    return [v for v, c in sorted(counts.items()) for _ in range(c)]


# --- ring boundaries ---------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "ring"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 3)])
def test_single_answers_fall_in_their_ring(answer: int, ring: int) -> None:
    assert stats.ring_of_score(answer) == ring


def test_ring_boundaries_are_seven_and_eleven_thirds() -> None:
    assert stats.ring_of_score(7 / 3 - 1e-9) == 1
    assert stats.ring_of_score(Fraction(7, 3)) == 2
    assert stats.ring_of_score(7 / 3) == 2
    assert stats.ring_of_score(11 / 3) == 2
    assert stats.ring_of_score(11 / 3 + 1e-9) == 3
    assert stats.ring_of_score(2.5) == 2  # a median between 2 and 3


@given(st.floats(1, 5), st.floats(1, 5))
def test_ring_is_monotone_in_the_score(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert stats.ring_of_score(low) <= stats.ring_of_score(high)


# --- per level and group -----------------------------------------------------------------------


@given(counts_1_5)
@settings(max_examples=150)
def test_summary_matches_an_independent_computation(counts: dict[int, int]) -> None:
    values = expand(counts)
    summary = stats.summarize_counts({**counts, 9: 7})  # "vet ej" is not counted
    assert summary is not None
    assert summary.n == len(values)
    assert summary.mean == pytest.approx(statistics.fmean(values))
    assert summary.median == statistics.median(values)
    assert summary.ring == stats.ring_of_score(summary.mean)
    assert summary.share_ring_1 + summary.share_ring_2 + summary.share_ring_3 == pytest.approx(1.0)
    assert summary.share_ring_1 == pytest.approx(sum(1 for v in values if v <= 2) / len(values))
    if len(values) >= 2:
        sd = statistics.stdev(values)
        half = sps.t.ppf(0.975, len(values) - 1) * sd / math.sqrt(len(values))
        assert summary.ci_low == pytest.approx(summary.mean - half, abs=1e-9)
        assert summary.ci_high == pytest.approx(summary.mean + half, abs=1e-9)
        assert summary.ci_low <= summary.mean <= summary.ci_high
    else:
        assert summary.ci_low is None and summary.ci_high is None


def test_dont_know_only_gives_no_summary() -> None:
    assert stats.summarize_counts({9: 12}) is None


def _disagreement_by_hand(values: list[int]) -> bool:
    median = statistics.median(values)
    far = sum(1 for v in values if abs(v - median) > 1)
    return far / len(values) >= 0.30


@given(counts_1_5)
@settings(max_examples=200)
def test_disagreement_rule(counts: dict[int, int]) -> None:
    assert stats.is_disagreement(counts) == _disagreement_by_hand(expand(counts))


def test_disagreement_at_exactly_thirty_percent() -> None:
    # Ten answers, median 3, exactly three of them more than one step away: oenighet.
    assert stats.is_disagreement({3: 7, 5: 2, 1: 1})
    # Two of ten far away: agreement.
    assert not stats.is_disagreement({3: 8, 5: 2})
    # One step from the median is never "far".
    assert not stats.is_disagreement({2: 5, 3: 5, 4: 5})


# --- momentum ----------------------------------------------------------------------------------


@given(counts_1_5, counts_1_5)
@settings(max_examples=100)
def test_momentum_is_welchs_interval(before: dict[int, int], after: dict[int, int]) -> None:
    a, b = expand(before), expand(after)
    previous, current = stats.moments_from_counts(before), stats.moments_from_counts(after)
    assert previous is not None and current is not None
    momentum = stats.momentum(previous, current)
    assert momentum.difference == pytest.approx(statistics.fmean(b) - statistics.fmean(a))
    if len(a) < 2 or len(b) < 2:
        assert momentum.ci_low is None and not momentum.detectable
        return
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    if va + vb == 0:
        return
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = sps.t.ppf(0.975, df) * math.sqrt(va + vb)
    assert momentum.ci_low == pytest.approx(momentum.difference - half, abs=1e-9)
    assert momentum.ci_high == pytest.approx(momentum.difference + half, abs=1e-9)
    assert momentum.detectable == (momentum.ci_low > 0 or momentum.ci_high < 0)


def test_momentum_against_scipy_welch() -> None:
    a = [2, 3, 2, 2, 3, 1, 2, 3, 2, 2, 4, 2]
    b = [3, 4, 4, 3, 5, 4, 3, 4, 4, 3]
    result = stats.momentum(stats.moments_from_counts(_counts(a)), stats.moments_from_counts(_counts(b)))
    ci = sps.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert result.ci_low == pytest.approx(ci.low) and result.ci_high == pytest.approx(ci.high)
    assert result.detectable


def _counts(values: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def test_no_change_when_the_interval_covers_zero() -> None:
    same = stats.moments_from_counts({2: 10, 3: 10, 4: 10})
    assert same is not None
    assert not stats.momentum(same, same).detectable
    small_shift = stats.momentum(same, stats.moments_from_counts({2: 9, 3: 10, 4: 11}))
    assert not small_shift.detectable and small_shift.ci_low < 0 < small_shift.ci_high


def test_gap_to_target() -> None:
    assert stats.gap_to_target(2.5, 4.0) == pytest.approx(1.5)
    assert stats.gap_to_target(None, 4.0) is None


# --- hallmark indices --------------------------------------------------------------------------


@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=8))
def test_respondent_index(answers: list[int | None]) -> None:
    given_answers = [a for a in answers if a is not None]
    index = stats.respondent_index(answers, len(answers))
    if 2 * len(given_answers) < len(answers):
        assert index is None
    else:
        assert index == pytest.approx((statistics.fmean(given_answers) - 1) / 4 * 100)
        assert 0 <= index <= 100


def test_cronbach_alpha_textbook_example() -> None:
    rows = [[3, 4, 3], [4, 5, 4], [2, 2, 3], [5, 5, 5], [3, 3, 2], [4, 4, 4]]
    items = np.array(rows, dtype=float)
    k = items.shape[1]
    expected = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert stats.cronbach_alpha(rows) == pytest.approx(expected)
    assert not stats.alpha_is_shown(29) and stats.alpha_is_shown(30)


# --- anonymity ---------------------------------------------------------------------------------


def test_minimum_group_size_is_never_below_three() -> None:
    with pytest.raises(ValidationError, match="aldrig vara under 3"):
        stats.validate_min_group_size(2)
    stats.validate_min_group_size(3)


cells_strategy = st.dictionaries(
    st.sampled_from(["a", "b", "c", "d", "e", "f"]), st.integers(0, 30), min_size=1, max_size=6
)


@given(cells_strategy, st.integers(3, 10))
@settings(max_examples=200)
def test_complementary_suppression_never_reveals_a_hidden_cell(cells: dict[str, int], min_size: int) -> None:
    hidden = stats.suppress_cells(cells, min_size=min_size)
    # Every small non-empty cell is hidden.
    assert {k for k, n in cells.items() if 0 < n < min_size} <= hidden
    total = sum(cells.values())
    if stats.total_is_suppressed(total, min_size) or not hidden:
        return
    # An attacker knows the total and every shown cell, so learns the sum of the hidden ones.
    # That sum must not pin a single cell (≥ 2 hidden non-empty cells) nor reveal a small group (≥ min).
    non_empty_hidden = [k for k in hidden if cells[k] > 0]
    hidden_sum = sum(cells[k] for k in hidden)
    others_shown = [k for k, n in cells.items() if n > 0 and k not in hidden]
    if others_shown or len(non_empty_hidden) > 1:
        assert len(non_empty_hidden) >= 2
        assert hidden_sum >= min_size
    else:
        # Only one non-empty cell in the whole table: then it is the total, which is shown only if ≥ min.
        assert hidden_sum == total >= min_size


def test_suppression_example_from_a_real_table() -> None:
    # 20 / 3 / 8: the 3 is hidden, and the 8 too, or 31 − 20 − 8 would give it away.
    assert stats.suppress_cells({"staff": 20, "board": 3, "managers": 8}, min_size=5) == {"board", "managers"}
    # Two small cells hide each other only if together they reach the minimum.
    assert stats.suppress_cells({"a": 20, "b": 2, "c": 2, "d": 9}, min_size=5) == {"b", "c", "d"}
    assert stats.suppress_cells({"a": 20, "b": 0, "c": 9}, min_size=5) == set()
