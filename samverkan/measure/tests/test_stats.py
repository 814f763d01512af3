"""The measurement rules of PRODUCT.md, pinned on the pure statistics (hypothesis where it helps)."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from fractions import Fraction

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from samverkan.measure import stats

counts_1_5 = st.dictionaries(st.integers(1, 5), st.integers(0, 40), min_size=1).filter(lambda c: sum(c.values()) > 0)
# Raw counts as stored: the scale, "vet ej" (9) and odd codes that must never be counted.
raw_counts = st.dictionaries(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 9]), st.integers(0, 40), min_size=1)


def expand(counts: dict[int, int]) -> list[int]:
    return [v for v, c in sorted(counts.items()) for _ in range(c)]


def _counts(values: list[int]) -> dict[int, int]:
    return dict(Counter(values))


# --- ring boundaries ---------------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "ring"), [(1, 1), (2, 1), (3, 2), (4, 3), (5, 3)])
def test_single_answers_fall_in_their_ring(answer: int, ring: int) -> None:
    assert stats.ring_of_score(answer) == ring
    assert stats.ring_of_score(float(answer)) == ring


def test_ring_boundaries_are_seven_and_eleven_thirds() -> None:
    assert stats.ring_of_score(7 / 3 - 1e-9) == 1
    assert stats.ring_of_score(Fraction(7, 3)) == 2
    assert stats.ring_of_score(7 / 3) == 2
    assert stats.ring_of_score(11 / 3) == 2
    assert stats.ring_of_score(Fraction(11, 3)) == 2
    assert stats.ring_of_score(11 / 3 + 1e-9) == 3
    assert stats.ring_of_score(2.5) == 2  # a median between 2 and 3
    assert stats.ring_of_score(np.float64(7) / 3) == 2
    # Means that are exactly on a boundary, computed in floating point from real counts.
    assert stats.ring_of_score(700 / 300) == 2
    assert stats.ring_of_score(sum([1, 5, 5]) / 3) == 2
    assert stats.ring_of_score(statistics.fmean([1] * 1000 + [3] * 2000)) == 2


def _exact_ring(score: Fraction) -> int:
    if score < Fraction(7, 3):
        return 1
    if score > Fraction(11, 3):
        return 3
    return 2


@given(st.fractions(1, 5, max_denominator=1000))
@settings(max_examples=200)
def test_ring_of_exact_and_float_scores(score: Fraction) -> None:
    assert stats.ring_of_score(score) == _exact_ring(score)
    assert stats.ring_of_score(float(score)) == _exact_ring(score)


@given(st.floats(1, 5), st.floats(1, 5))
@settings(max_examples=200)
def test_ring_is_monotone_in_the_score(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert stats.ring_of_score(low) <= stats.ring_of_score(high)
    assert stats.ring_of_score(a) in (1, 2, 3)


# --- per level and group -----------------------------------------------------------------------


@given(raw_counts)
@settings(max_examples=150)
def test_summary_matches_an_independent_computation(raw: dict[int, int]) -> None:
    values = [v for v in expand(raw) if 1 <= v <= 5]  # "vet ej" and odd codes are not answers
    summary = stats.summarize_counts(raw)
    if not values:
        assert summary is None
        return
    assert summary is not None
    assert summary.n == len(values)
    assert summary.mean == pytest.approx(statistics.fmean(values))
    assert summary.mean == pytest.approx(float(np.mean(values)))
    assert summary.median == statistics.median(values) == float(np.median(values))
    assert summary.ring == stats.ring_of_score(summary.mean)
    assert summary.share_ring_1 + summary.share_ring_2 + summary.share_ring_3 == pytest.approx(1.0)
    assert summary.share_ring_1 == pytest.approx(sum(1 for v in values if v <= 2) / len(values))
    assert summary.share_ring_2 == pytest.approx(sum(1 for v in values if v == 3) / len(values))
    assert summary.share_ring_3 == pytest.approx(sum(1 for v in values if v >= 4) / len(values))
    assert summary.disagreement == _disagreement_by_hand(values)
    if len(values) >= 2:
        sd = float(np.std(values, ddof=1))
        assert summary.sd == pytest.approx(sd, abs=1e-9)
        half = float(sps.t.ppf(0.975, len(values) - 1)) * sd / math.sqrt(len(values))
        assert summary.ci_low is not None and summary.ci_high is not None
        assert summary.ci_low == pytest.approx(summary.mean - half, abs=1e-9)
        assert summary.ci_high == pytest.approx(summary.mean + half, abs=1e-9)
        assert summary.ci_low <= summary.mean <= summary.ci_high
    else:
        assert summary.sd is None
        assert summary.ci_low is None and summary.ci_high is None


def test_summary_by_hand() -> None:
    # 1, 3, 3, 4, 4, 5 plus three "vet ej": n 6, mean 10/3, median 3.5, s² = (84/9)/5 = 28/15.
    summary = stats.summarize_counts({1: 1, 3: 2, 4: 2, 5: 1, 9: 3})
    assert summary is not None
    assert summary.n == 6
    assert summary.mean == pytest.approx(10 / 3)
    assert summary.median == 3.5
    assert summary.sd == pytest.approx(math.sqrt(28 / 15))
    half = 2.570581835636314 * math.sqrt(28 / 15) / math.sqrt(6)  # t(0.975, 5) from a table
    assert summary.ci_low == pytest.approx(10 / 3 - half) and summary.ci_high == pytest.approx(10 / 3 + half)
    assert summary.ring == 2
    assert (summary.share_ring_1, summary.share_ring_2, summary.share_ring_3) == pytest.approx((1 / 6, 2 / 6, 3 / 6))


def test_ring_follows_the_mean_not_the_median() -> None:
    # Mean 11/3 exactly (ring 2, on the boundary) while the median 5 is in ring 3.
    summary = stats.summarize_counts({1: 1, 5: 2})
    assert summary is not None and summary.median == 5 and summary.ring == 2
    # Mean 7/3 exactly is ring 2 too, although most answers are ring 1.
    summary = stats.summarize_counts({1: 200, 3: 0, 5: 100})
    assert summary is not None and summary.mean == pytest.approx(7 / 3) and summary.ring == 2


def test_dont_know_only_gives_no_summary() -> None:
    assert stats.summarize_counts({9: 12}) is None
    assert stats.summarize_counts({}) is None
    assert stats.summarize_counts({3: 0, 9: 4}) is None


def test_a_single_answer_has_no_interval() -> None:
    summary = stats.summarize_counts({4: 1, 9: 10})
    assert summary is not None and summary.n == 1 and summary.ring == 3
    assert summary.sd is None and summary.ci_low is None and summary.ci_high is None


def test_equal_answers_have_a_zero_width_interval() -> None:
    summary = stats.summarize_counts({3: 25})
    assert summary is not None and summary.sd == 0
    assert summary.ci_low == summary.mean == summary.ci_high == 3


@given(counts_1_5)
@settings(max_examples=150)
def test_moments_from_sums_agree_with_counts(counts: dict[int, int]) -> None:
    values = expand(counts)
    from_counts = stats.moments_from_counts(counts)
    from_sums = stats.moments_from_sums(len(values), sum(values), sum(v * v for v in values))
    assert from_counts is not None and from_sums is not None
    assert from_sums.n == from_counts.n == len(values)
    assert from_sums.mean == pytest.approx(from_counts.mean)
    if len(values) < 2:
        assert from_sums.sd is None and from_counts.sd is None
    else:
        assert from_sums.sd == pytest.approx(from_counts.sd, abs=1e-6)


def test_no_moments_without_answers() -> None:
    assert stats.moments_from_sums(0, 0.0, 0.0) is None
    assert stats.moments_from_counts({}) is None
    assert stats.median_from_counts({2: 0}) is None


# --- agreement (oenighet) ----------------------------------------------------------------------


def _disagreement_by_hand(values: list[int]) -> bool:
    median = statistics.median(values)
    far = sum(1 for v in values if abs(v - median) > 1)
    return 10 * far >= 3 * len(values)  # exact: far / n ≥ 30 %


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
    # One of three is 33 %.
    assert stats.is_disagreement({3: 2, 5: 1})
    # An even count with a median between two values: median 2.5, so 4 and 5 are far, 3 is not.
    assert stats.is_disagreement({2: 5, 3: 2, 4: 3})
    assert not stats.is_disagreement({2: 5, 3: 3, 4: 2})


def test_disagreement_boundary_holds_for_large_groups() -> None:
    assert stats.is_disagreement({3: 70_000, 5: 30_000})
    assert not stats.is_disagreement({3: 70_001, 5: 29_999})
    assert stats.is_disagreement({3: 7_000_000, 1: 3_000_000})


def test_no_answers_is_no_disagreement() -> None:
    assert not stats.is_disagreement({})


# --- momentum ----------------------------------------------------------------------------------


@given(counts_1_5, counts_1_5)
@settings(max_examples=100)
def test_momentum_is_welchs_interval(before: dict[int, int], after: dict[int, int]) -> None:
    a, b = expand(before), expand(after)
    previous, current = stats.moments_from_counts(before), stats.moments_from_counts(after)
    assert previous is not None and current is not None
    result = stats.momentum(previous, current)
    assert result.difference == pytest.approx(statistics.fmean(b) - statistics.fmean(a))
    if len(a) < 2 or len(b) < 2:
        assert result.ci_low is None and result.ci_high is None and not result.detectable
        return
    assert result.ci_low is not None and result.ci_high is not None
    assert result.ci_low <= result.difference <= result.ci_high
    assert result.detectable == (result.ci_low > 0 or result.ci_high < 0)
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    if va + vb == 0:
        return
    # By hand: Welch–Satterthwaite degrees of freedom.
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = sps.t.ppf(0.975, df) * math.sqrt(va + vb)
    assert result.ci_low == pytest.approx(result.difference - half, abs=1e-9)
    assert result.ci_high == pytest.approx(result.difference + half, abs=1e-9)
    if va > 0 and vb > 0:  # scipy warns about constant samples
        # And scipy's own Welch test.
        ci = sps.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
        assert result.ci_low == pytest.approx(ci.low, abs=1e-9)
        assert result.ci_high == pytest.approx(ci.high, abs=1e-9)


def test_momentum_against_scipy_welch() -> None:
    a = [2, 3, 2, 2, 3, 1, 2, 3, 2, 2, 4, 2]
    b = [3, 4, 4, 3, 5, 4, 3, 4, 4, 3]
    result = stats.momentum(stats.moments_from_counts(_counts(a)), stats.moments_from_counts(_counts(b)))
    ci = sps.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert result.ci_low == pytest.approx(ci.low) and result.ci_high == pytest.approx(ci.high)
    assert result.detectable


@given(counts_1_5)
@settings(max_examples=100)
def test_the_same_sample_twice_is_no_change(counts: dict[int, int]) -> None:
    moments = stats.moments_from_counts(counts)
    assert moments is not None
    result = stats.momentum(moments, moments)
    assert result.difference == 0
    assert not result.detectable


def test_no_change_when_the_interval_covers_zero() -> None:
    same = stats.moments_from_counts({2: 10, 3: 10, 4: 10})
    assert same is not None
    assert not stats.momentum(same, same).detectable
    small_shift = stats.momentum(same, stats.moments_from_counts({2: 9, 3: 10, 4: 11}))
    assert not small_shift.detectable and small_shift.ci_low < 0 < small_shift.ci_high


def test_large_shift_with_many_answers_is_detectable() -> None:
    before = stats.moments_from_counts({1: 60, 2: 60, 3: 30})
    after = stats.moments_from_counts({3: 30, 4: 60, 5: 60})
    up = stats.momentum(before, after)
    assert up.detectable and up.ci_low > 0 and up.difference == pytest.approx(4.2 - 1.8)
    down = stats.momentum(after, before)
    assert down.detectable and down.ci_high < 0


def test_detectable_means_the_interval_excludes_zero() -> None:
    assert stats.Momentum(0.5, 0.1, 0.9).detectable
    assert stats.Momentum(-0.5, -0.9, -0.1).detectable
    assert not stats.Momentum(0.5, -0.1, 1.1).detectable
    assert not stats.Momentum(0.5, 0.0, 1.0).detectable  # touching 0 is covering it
    assert not stats.Momentum(0.5, None, None).detectable


def test_momentum_needs_two_answers_each_round() -> None:
    one = stats.moments_from_counts({5: 1})
    many = stats.moments_from_counts({1: 20, 2: 20})
    assert one is not None and many is not None
    result = stats.momentum(many, one)
    assert result.difference == pytest.approx(3.5)
    assert result.ci_low is None and not result.detectable


def test_gap_to_target() -> None:
    assert stats.gap_to_target(2.5, 4.0) == pytest.approx(1.5)
    assert stats.gap_to_target(4.0, 2.5) == pytest.approx(-1.5)
    assert stats.gap_to_target(None, 4.0) is None
    assert stats.gap_to_target(3.0, None) is None


# --- hallmark indices --------------------------------------------------------------------------


@given(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=8))
@settings(max_examples=200)
def test_respondent_index(answers: list[int | None]) -> None:
    given_answers = [a for a in answers if a is not None]
    index = stats.respondent_index(answers, len(answers))
    if 2 * len(given_answers) < len(answers):
        assert index is None
    else:
        assert index is not None
        assert index == pytest.approx((statistics.fmean(given_answers) - 1) / 4 * 100)
        assert 0 <= index <= 100


@pytest.mark.parametrize(
    ("answers", "item_count", "expected"),
    [
        ([1, 1, 1], 3, 0.0),
        ([5, 5], 2, 100.0),
        ([3], 1, 50.0),
        ([2, None], 2, 25.0),  # exactly half answered is enough
        ([4, None, None], 3, None),  # one of three is not
        ([None, None], 2, None),
        ([5], 4, None),  # items never reached count as missing
        ([], 0, None),
    ],
)
def test_respondent_index_examples(answers: list[int | None], item_count: int, expected: float | None) -> None:
    assert stats.respondent_index(answers, item_count) == expected


def test_cronbach_alpha_worked_example() -> None:
    # By hand: item variances 1 and 7/3, total variance 19/3, so alpha = 2·(1 − (10/3)/(19/3)) = 18/19.
    assert stats.cronbach_alpha([[1, 2], [2, 3], [3, 5]]) == pytest.approx(18 / 19)


def test_cronbach_alpha_textbook_example() -> None:
    rows = [[3, 4, 3], [4, 5, 4], [2, 2, 3], [5, 5, 5], [3, 3, 2], [4, 4, 4]]
    items = np.array(rows, dtype=float)
    k = items.shape[1]
    expected = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert stats.cronbach_alpha(rows) == pytest.approx(expected)
    # By hand in fractions: item variances 11/10, 41/30, 11/10; total variance 281/30.
    assert stats.cronbach_alpha(rows) == pytest.approx(261 / 281)


def test_cronbach_alpha_extremes() -> None:
    # Identical items measure the same thing perfectly.
    assert stats.cronbach_alpha([[v, v, v] for v in (1, 2, 4, 5, 3)]) == pytest.approx(1.0)
    # Uncorrelated items: the total's variance is the sum of the items', so alpha is 0.
    assert stats.cronbach_alpha([[1, 1], [2, 1], [1, 2], [2, 2]]) == pytest.approx(0.0)
    # A total without variance, one item or one respondent: no alpha.
    assert stats.cronbach_alpha([[1, 5], [5, 1], [3, 3]]) is None
    assert stats.cronbach_alpha([[1], [2], [3]]) is None
    assert stats.cronbach_alpha([[1, 2, 3]]) is None
    assert stats.cronbach_alpha([]) is None


@given(
    st.integers(2, 6).flatmap(
        lambda k: st.lists(st.lists(st.integers(1, 5), min_size=k, max_size=k), min_size=2, max_size=40)
    )
)
@settings(max_examples=150)
def test_cronbach_alpha_agrees_with_its_moments_form(rows: list[list[int]]) -> None:
    items = np.array(rows, dtype=float)
    k = items.shape[1]
    total_variance = float(items.sum(axis=1).var(ddof=1))
    alpha = stats.cronbach_alpha(rows)
    from_moments = stats.cronbach_alpha_from_moments(
        item_count=k, item_variances=list(items.var(axis=0, ddof=1)), total_variance=total_variance
    )
    if total_variance == 0:
        assert alpha is None and from_moments is None
        return
    assume(total_variance > 1e-9)
    assert alpha is not None and from_moments is not None
    assert alpha == pytest.approx(from_moments, abs=1e-9)
    assert alpha <= 1 + 1e-9  # the total's variance is at most k times the items' sum


def test_alpha_is_shown_from_thirty() -> None:
    assert not stats.alpha_is_shown(0)
    assert not stats.alpha_is_shown(29)
    assert stats.alpha_is_shown(30)
    assert stats.alpha_is_shown(31)


# --- anonymity ---------------------------------------------------------------------------------


@override_settings(SAMVERKAN_MIN_GROUP_SIZE=3)
def test_minimum_group_size_is_never_below_three() -> None:
    with pytest.raises(ValidationError, match="Minsta gruppstorlek får aldrig vara under 3"):
        stats.validate_min_group_size(2)
    with pytest.raises(ValidationError):
        stats.validate_min_group_size(0)
    stats.validate_min_group_size(3)
    stats.validate_min_group_size(5)
    assert stats.effective_min_group_size(2) == 3 and stats.effective_min_group_size(7) == 7


@override_settings(SAMVERKAN_MIN_GROUP_SIZE=5)
def test_platform_floor_raises_the_minimum() -> None:
    with pytest.raises(ValidationError, match="aldrig vara under 5"):
        stats.validate_min_group_size(4)
    stats.validate_min_group_size(5)
    assert stats.effective_min_group_size(3) == 5


@override_settings(SAMVERKAN_MIN_GROUP_SIZE=1)
def test_a_floor_below_three_still_leaves_three() -> None:
    assert stats.platform_min_group_size() == 3
    with pytest.raises(ValidationError, match="aldrig vara under 3"):
        stats.validate_min_group_size(2)


def test_total_is_suppressed_below_the_minimum() -> None:
    assert stats.total_is_suppressed(0, 5)
    assert stats.total_is_suppressed(4, 5)
    assert not stats.total_is_suppressed(5, 5)


KEYS = ["a", "b", "c", "d", "e", "f"]
cells_strategy = st.dictionaries(st.sampled_from(KEYS), st.integers(0, 30), min_size=1, max_size=6)


def _check_suppression(cells: dict[str, int], min_size: int, hidden: set[str]) -> None:
    # Every small non-empty cell is hidden, and only cells of the table, never an empty one.
    assert {k for k, n in cells.items() if 0 < n < min_size} <= hidden
    assert hidden <= {k for k, n in cells.items() if n > 0}
    shown_non_empty = [k for k, n in cells.items() if n > 0 and k not in hidden]
    # Never exactly one hidden cell while other non-empty cells are shown: it would be total − shown.
    if shown_non_empty:
        assert len(hidden) != 1
    total = sum(cells.values())
    if stats.total_is_suppressed(total, min_size):
        return
    # An attacker knows the total and every shown cell, so learns the sum of the hidden ones.
    # That sum must not pin a single cell (≥ 2 hidden cells) nor reveal a small group (≥ min).
    hidden_sum = total - sum(cells[k] for k in shown_non_empty)
    assert hidden_sum == sum(cells[k] for k in hidden)
    if len(hidden) == 1 and not shown_non_empty:
        # The table's only non-empty cell (hidden in a related table): it is the shown total, so ≥ min.
        assert hidden_sum == total >= min_size
    else:
        assert not hidden or (len(hidden) >= 2 and hidden_sum >= min_size)


@given(cells_strategy, st.integers(3, 10))
@settings(max_examples=200)
def test_complementary_suppression_never_reveals_a_hidden_cell(cells: dict[str, int], min_size: int) -> None:
    _check_suppression(cells, min_size, stats.suppress_cells(cells, min_size=min_size))


@given(cells_strategy, st.integers(3, 10), st.sets(st.sampled_from([*KEYS, "elsewhere"]), max_size=3))
@settings(max_examples=200)
def test_cells_hidden_elsewhere_stay_hidden_and_protected(
    cells: dict[str, int], min_size: int, already: set[str]
) -> None:
    hidden = stats.suppress_cells(cells, min_size=min_size, already_hidden=already)
    assert {k for k in already if cells.get(k, 0) > 0} <= hidden
    _check_suppression(cells, min_size, hidden)


@given(cells_strategy, st.integers(3, 10))
@settings(max_examples=100)
def test_tables_without_small_cells_show_everything(cells: dict[str, int], min_size: int) -> None:
    big = {k: (n if n == 0 else n + min_size) for k, n in cells.items()}
    assert stats.suppress_cells(big, min_size=min_size) == set()


def test_suppression_example_from_a_real_table() -> None:
    # 20 / 3 / 8: the 3 is hidden, and the 8 too, or 31 − 20 − 8 would give it away.
    assert stats.suppress_cells({"staff": 20, "board": 3, "managers": 8}, min_size=5) == {"board", "managers"}
    # Two small cells hide each other only if together they reach the minimum.
    assert stats.suppress_cells({"a": 20, "b": 2, "c": 2, "d": 9}, min_size=5) == {"b", "c", "d"}
    assert stats.suppress_cells({"a": 20, "b": 3, "c": 4, "d": 9}, min_size=5) == {"b", "c"}
    assert stats.suppress_cells({"a": 20, "b": 0, "c": 9}, min_size=5) == set()
    # An empty cell is no protection: the next smallest non-empty one is hidden instead.
    assert stats.suppress_cells({"a": 20, "b": 4, "c": 0, "d": 6}, min_size=5) == {"b", "d"}
    # A cell hidden in a related table is hidden here too, with a partner.
    assert stats.suppress_cells({"a": 20, "b": 12, "c": 9}, min_size=5, already_hidden=["b"]) == {"b", "c"}
