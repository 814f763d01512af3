"""The outcome tables' one suppression: no hidden figure comes back by subtraction, in one table or across them."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.interventions.outcomes import (
    ALL,
    Record,
    Vocabulary,
    _Page,
    outcome_tables,
    page_quantities,
)

V = Vocabulary(
    sources=["sjuk", "akassa", "fbst", "lon", "studie", "okand"],
    group_of={"sjuk": "ohalsa", "akassa": "am", "fbst": "eb", "lon": "egen", "studie": "egen", "okand": "ovr"},
    groups=["ohalsa", "am", "eb", "egen", "ovr"],
    work=frozenset({"lon", "studie"}),
)

records_strategy = st.lists(
    st.builds(
        Record,
        start=st.sampled_from(V.sources),
        end=st.sampled_from(V.sources),
        status_90=st.one_of(st.none(), st.sampled_from(V.sources)),
        days=st.one_of(st.none(), st.integers(0, 1200)),
        count=st.integers(1, 3),
    ),
    max_size=60,
)


def _visible_and_hidden(records, min_size):
    tables = outcome_tables(records, V, min_size=min_size)
    quantities = page_quantities(records, V)
    return tables, quantities


def _attack_by_least_squares(records, tables, quantities, min_size):
    """An attacker's linear algebra, computed independently of the module's own audit (least squares over the
    atoms, not a projection): every hidden small figure that the visible figures of the page determine."""
    page = _Page(records, V)
    atoms = page.atoms
    index = {a: i for i, a in enumerate(atoms)}

    def vector(atom_set):
        v = np.zeros(len(atoms))
        for a in atom_set:
            v[index[a]] = 1
        return v

    visible = [vector(q) for key, (q, _n) in quantities.items() if tables.published[key] is not None and q]
    leaks = []
    if not visible:
        return leaks
    matrix = np.array(visible).T  # columns: the visible figures
    for key, (q, n) in quantities.items():
        if tables.published[key] is None and 0 < n < min_size:
            target = vector(q)
            coefficients, *_rest = np.linalg.lstsq(matrix, target, rcond=None)
            if np.allclose(matrix @ coefficients, target, atol=1e-6):
                leaks.append(key)
    return leaks


@settings(max_examples=150, deadline=None)
@given(records=records_strategy, min_size=st.integers(3, 6))
def test_no_shown_figure_is_a_small_group(records, min_size) -> None:
    tables, quantities = _visible_and_hidden(records, min_size)
    if tables.withheld:
        assert tables.total is None and not tables.published
        return
    for key, shown in tables.published.items():
        if shown is not None:
            assert shown == quantities[key][1]
            assert shown == 0 or shown >= min_size, key


@settings(max_examples=150, deadline=None)
@given(records=records_strategy, min_size=st.integers(3, 6))
def test_hidden_cell_is_not_recoverable_by_subtraction_from_totals_or_another_table(records, min_size) -> None:
    tables, quantities = _visible_and_hidden(records, min_size)
    if tables.withheld:
        return
    assert _attack_by_least_squares(records, tables, quantities, min_size) == []


@settings(max_examples=100, deadline=None)
@given(records=records_strategy, min_size=st.integers(3, 6))
def test_hidden_parts_of_a_shown_total_are_zero_or_two_cells_reaching_the_minimum(records, min_size) -> None:
    """Bounds, not only equations: total minus the visible cells of a row must not pin down one small cell."""
    tables, quantities = _visible_and_hidden(records, min_size)
    if tables.withheld:
        return
    page = _Page(records, V)
    for parent, parts in page.relations:
        if tables.published[parent] is None:
            continue
        distinct = {quantities[p][0]: quantities[p][1] for p in parts if tables.published[p] is None}
        nonzero = [n for n in distinct.values() if n > 0]
        assert not nonzero or (len(nonzero) >= 2 and sum(nonzero) >= min_size), (parent, distinct)


@settings(max_examples=50, deadline=None)
@given(records=records_strategy, min_size=st.integers(3, 6))
def test_tables_do_not_depend_on_the_order_of_participants(records, min_size) -> None:
    a = outcome_tables(records, V, min_size=min_size)
    b = outcome_tables(list(reversed(records)), V, min_size=min_size)
    assert a.published == b.published


def test_fewer_participants_than_the_minimum_publish_nothing() -> None:
    tables = outcome_tables([Record("sjuk", "lon", days=100)] * 4, V, min_size=5)
    assert tables.withheld and tables.total is None and tables.transition is None


def test_the_subtraction_attack_across_the_group_table_is_closed() -> None:
    """Two people moved from a-kassa to studiemedel; everyone else is in big cells. Per-table suppression would hide
    the cell (a-kassa → studie) but show the group cell arbetsmarknadsstöd → egen försörjning and the cell
    a-kassa → lön, and their difference is the hidden 2."""
    records = (
        [Record("akassa", "lon", days=200)] * 10
        + [Record("akassa", "studie", days=200)] * 2
        + [Record("sjuk", "sjuk", days=300)] * 12
        + [Record("sjuk", "lon", days=400)] * 8
        + [Record("fbst", "fbst", days=100)] * 9
    )
    tables = outcome_tables(records, V, min_size=5)
    assert tables.transition is not None and tables.groups is not None
    assert tables.transition.cell("akassa", "studie") is None
    group_cell = tables.groups.cell("am", "egen")
    fine_cell = tables.transition.cell("akassa", "lon")
    assert group_cell is None or fine_cell is None  # otherwise group − fine = the hidden 2
    # And the column total of studiemedel (2) cannot come back as "in work or studies" minus the lön column.
    lon_column = tables.transition.column_totals["lon"]
    assert tables.transition.column_totals["studie"] is None
    assert tables.work_end is not None
    assert tables.work_end.count is None or lon_column is None


def test_a_hidden_cell_in_a_row_takes_a_second_cell_with_it() -> None:
    records = [Record("sjuk", "lon", days=100)] * 9 + [Record("sjuk", "sjuk", days=100)] * 2
    records += [Record("akassa", "lon", days=100)] * 8 + [Record("akassa", "akassa", days=100)] * 7
    tables = outcome_tables(records, V, min_size=5)
    assert tables.transition is not None
    assert tables.transition.cell("sjuk", "sjuk") is None
    # Row total 11 is visible, so (sjuk, lon) = 9 must be hidden too, or 11 − 9 = 2 comes back.
    if tables.transition.row_totals["sjuk"] is not None:
        assert tables.transition.cell("sjuk", "lon") is None


def test_anonymous_counts_have_no_time_and_are_counted_in_every_table() -> None:
    records = [Record("sjuk", "lon", days=100)] * 10 + [Record("sjuk", "lon", count=6)]
    tables = outcome_tables(records, V, min_size=5)
    assert tables.total == 16
    assert tables.duration_missing == 6
    assert tables.transition is not None and tables.transition.cell("sjuk", "lon") == 16
    assert tables.work_end is not None and tables.work_end.percent == 100
    assert tables.median_days == 100
    assert tables.published[("transition", ALL, ALL)] == 16


def test_the_attack_finds_what_primary_suppression_alone_would_leak() -> None:
    """The attacker above is real: against cell-by-cell hiding (no complementary cells) it recovers the small cell."""
    from samverkan.interventions.outcomes import OutcomeTables

    records = [Record("sjuk", "lon", days=100)] * 9 + [Record("sjuk", "sjuk", days=100)] * 2
    records += [Record("akassa", "lon", days=100)] * 8
    quantities = page_quantities(records, V)
    naive = OutcomeTables(min_size=5, total=19, withheld=False)
    naive.published = {k: (None if 0 < n < 5 else n) for k, (_q, n) in quantities.items()}
    assert ("transition", "sjuk", "sjuk") in _attack_by_least_squares(records, naive, quantities, 5)
