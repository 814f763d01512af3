"""The pure share computations of the portfolio (portfolio_shares.py, portfolio_chart.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samverkan.interventions.portfolio_chart import LABEL_GAP, arrow_chart, separate_labels
from samverkan.interventions.portfolio_shares import (
    PERMANENT,
    PROJECT,
    Split,
    change_in_permanent_share,
    percentages,
    portfolio_shares,
    split_by_year,
)

rows = st.lists(
    st.tuples(st.integers(2015, 2030), st.sampled_from([PROJECT, PERMANENT]), st.integers(0, 10**9)), max_size=40
)


@given(rows)
def test_shares_sum_to_one_in_every_year_with_money(money_rows) -> None:
    for share in portfolio_shares(money_rows, []):
        if share.money.total:
            assert share.money.share_project + share.money.share_permanent == 1
        else:
            assert share.money.share_project is None and share.money.share_permanent is None


@given(rows)
def test_the_split_keeps_every_krona(money_rows) -> None:
    splits = split_by_year(money_rows)
    assert sum(s.total for s in splits.values()) == sum(value for _y, _f, value in money_rows)


@given(rows, st.lists(st.integers(2015, 2030), max_size=5))
def test_empty_years_are_kept_and_have_no_share(money_rows, extra_years) -> None:
    shares = portfolio_shares(money_rows, [], extra_years)
    years = [s.year for s in shares]
    assert years == sorted(set(years))
    assert set(extra_years) <= set(years)
    for share in shares:
        if share.year not in {y for y, _f, v in money_rows if v}:
            assert share.money.share_permanent is None


def test_a_year_with_nothing_is_none_not_zero_percent() -> None:
    [empty] = portfolio_shares([], [], [2024])
    assert empty.money == Split() and empty.money.share_permanent is None
    assert empty.participants.share_permanent is None


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=8).filter(lambda xs: sum(xs) > 0))
def test_rounded_percentages_add_up_to_exactly_100(values) -> None:
    total = sum(values)
    assert sum(percentages([Fraction(v, total) for v in values])) == 100


def test_percentages_round_by_largest_remainder() -> None:
    assert percentages([Fraction(1, 3), Fraction(1, 3), Fraction(1, 3)]) == [34, 33, 33]
    assert percentages([Fraction(1, 8), Fraction(7, 8)]) == [13, 87]


def test_percentages_refuse_shares_that_do_not_sum_to_one() -> None:
    with pytest.raises(ValueError):
        percentages([Fraction(1, 2)])


def test_negative_money_and_unknown_forms_are_refused() -> None:
    with pytest.raises(ValueError):
        split_by_year([(2024, PROJECT, -1)])
    with pytest.raises(ValueError):
        split_by_year([(2024, "pilot", 1)])


def test_the_arrow_points_from_projects_to_permanent_operations() -> None:
    shares = portfolio_shares([(2022, PROJECT, 90), (2022, PERMANENT, 10), (2026, PERMANENT, 80), (2026, PROJECT, 20)], [])
    assert change_in_permanent_share(shares) == Fraction(7, 10)
    assert change_in_permanent_share(shares[:1]) is None


@given(rows, rows)
def test_the_chart_draws_only_years_with_a_value_and_stays_inside(money_rows, participant_rows) -> None:
    shares = portfolio_shares(money_rows, participant_rows)
    chart = arrow_chart(shares)
    assert len(chart.money.points) == sum(1 for s in shares if s.money.total)
    assert len(chart.participants.points) == sum(1 for s in shares if s.participants.total)
    for point in chart.money.points + chart.participants.points:
        assert chart.plot_left <= point.x <= chart.plot_right
        assert chart.plot_top <= point.y <= chart.plot_bottom
        assert 0 <= point.percent <= 100


def test_an_empty_year_breaks_the_line_instead_of_dropping_to_zero() -> None:
    shares = portfolio_shares([(2022, PROJECT, 1), (2024, PERMANENT, 1), (2025, PERMANENT, 1)], [], [2023])
    chart = arrow_chart(shares)
    assert len(chart.money.segments) == 2
    assert [p.year for p in chart.money.points] == [2022, 2024, 2025]


@given(st.floats(20, 256), st.floats(20, 256))
def test_the_end_labels_never_overlap(a, b) -> None:
    ya, yb = separate_labels(a, b)
    assert abs(ya - yb) >= LABEL_GAP - 1e-9
