"""One hidden set per campaign (measure/disclosure.py): nothing follows by subtraction, in or across tables."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.measure.disclosure import GROUPS_TABLE, Disclosure, Table, joint_suppression, pooled_rows_allowed
from samverkan.measure.tests.attacker import Published, recoveries, small_hidden_sums

GROUP_NAMES = ["board", "managers", "staff", "referrers", "participants"]


@st.composite
def campaigns(draw: st.DrawFn) -> tuple[list[str], list[Table], int]:
    """Respondent groups, the group table and 1–6 further tables; some answered by everyone, some not."""
    groups = draw(st.lists(st.sampled_from(GROUP_NAMES), min_size=1, max_size=5, unique=True))
    sizes = {g: draw(st.integers(0, 25)) for g in groups}
    tables = [Table(GROUPS_TABLE, sizes)]
    for index in range(draw(st.integers(1, 6))):
        everyone = draw(st.booleans())  # everyone answered this question, or only some did
        cells = dict(sizes) if everyone else {g: draw(st.integers(0, n)) for g, n in sizes.items()}
        tables.append(Table(f"t{index}", cells, has_total=draw(st.integers(0, 5)) > 0))
    return groups, tables, draw(st.integers(3, 8))


def published(tables: list[Table], shown: Disclosure) -> list[Published]:
    """What the outputs print: withheld tables have no total, hidden groups no count."""
    out = []
    for table in tables:
        visible = shown.shows_table(table.name)
        out.append(
            Published(
                table.name,
                table.total if visible and table.has_total else None,
                {g: (n if visible and g not in shown.hidden else None) for g, n in table.cells.items()},
            )
        )
    return out


@given(campaigns())
@settings(max_examples=400, deadline=None)
def test_no_hidden_group_follows_from_any_table_or_pair_of_tables(campaign) -> None:
    groups, tables, min_size = campaign
    shown = joint_suppression(tables, groups=groups, min_size=min_size)
    view = published(tables, shown)
    # Every recovery the attacker tries is either impossible or hits a group nobody hid.
    for found in recoveries(view):
        assert found.group not in shown.hidden, found
    assert small_hidden_sums(view, min_size) == []


@given(campaigns())
@settings(max_examples=400, deadline=None)
def test_one_hidden_set_is_closed_under_the_complementary_rule_in_every_table(campaign) -> None:
    groups, tables, min_size = campaign
    shown = joint_suppression(tables, groups=groups, min_size=min_size)
    for table in tables:
        if not table.has_total or not shown.shows_table(table.name):
            continue
        assert table.total >= min_size
        # Every small non-empty cell of a published table is hidden, in this table and so in every table.
        assert {g for g, n in table.cells.items() if 0 < n < min_size} <= shown.hidden
        hidden = [table.cells[g] for g in shown.hidden if table.cells.get(g, 0) > 0]
        # The hidden cells jointly: none, or at least two non-empty groups reaching the minimum.
        assert not hidden or (len(hidden) >= 2 and sum(hidden) >= min_size)
    if not shown.nothing_published:
        respondents = tables[0].cells
        # The response export pools exactly the hidden set: never fewer rows than the minimum.
        assert pooled_rows_allowed(sum(respondents[g] for g in shown.hidden), min_size)


@given(campaigns())
@settings(max_examples=200, deadline=None)
def test_tables_without_small_cells_hide_nothing(campaign) -> None:
    groups, tables, min_size = campaign
    big = [Table(t.name, {g: (n + min_size if n else 0) for g, n in t.cells.items()}, t.has_total) for t in tables]
    shown = joint_suppression(big, groups=groups, min_size=min_size)
    assert shown.hidden == frozenset() or shown.nothing_published


def test_group_hidden_in_one_table_is_hidden_in_every_table() -> None:
    # The case of the issue: per table, the group table hid board + staff and the team level board + managers
    # (staff answered "vet ej" there), so managers' visible 8 gave board's 3 away (11 − 8).
    groups = ["board", "staff", "managers"]
    tables = [
        Table(GROUPS_TABLE, {"board": 3, "staff": 6, "managers": 8}),
        Table("level:personal:today", {"board": 3, "staff": 6, "managers": 8}),
        Table("level:team:today", {"board": 3, "staff": 0, "managers": 8}),
    ]
    shown = joint_suppression(tables, groups=groups, min_size=5)
    assert shown.hidden == {"board", "staff", "managers"}
    assert recoveries(published(tables, shown)) == []


def test_the_old_per_table_choice_is_what_the_attacker_breaks() -> None:
    # The same tables as each table chose its cells before: the attacker finds board's 3.
    view = [
        Published(GROUPS_TABLE, 17, {"board": None, "staff": None, "managers": 8}),
        Published("level:team:today", 11, {"board": None, "staff": 0, "managers": None}),
    ]
    assert any(r.group == "board" and r.value == 3 for r in recoveries(view))


def test_a_table_below_the_minimum_is_withheld_and_hides_no_group() -> None:
    tables = [Table(GROUPS_TABLE, {"staff": 20, "board": 8}), Table("item:x", {"staff": 2, "board": 1})]
    shown = joint_suppression(tables, groups=["staff", "board"], min_size=5)
    assert shown.hidden == frozenset() and shown.withheld == {"item:x"}


def test_a_table_whose_only_answers_come_from_a_hidden_group_is_withheld() -> None:
    # Only managers (hidden to protect the board) answered item x: its total would be managers' figure.
    tables = [
        Table(GROUPS_TABLE, {"staff": 20, "board": 3, "managers": 8}),
        Table("item:x", {"staff": 0, "board": 0, "managers": 8}),
    ]
    shown = joint_suppression(tables, groups=["staff", "board", "managers"], min_size=5)
    assert shown.hidden == {"board", "managers"} and not shown.shows_table("item:x")


def test_nothing_is_published_below_the_minimum_in_all() -> None:
    shown = joint_suppression([Table(GROUPS_TABLE, {"staff": 4})], groups=["staff"], min_size=5)
    assert shown.nothing_published and shown.hidden == {"staff"} and shown.visible_groups == []


def test_free_text_counts_have_no_total_and_hide_no_group() -> None:
    tables = [Table(GROUPS_TABLE, {"staff": 20, "board": 8}), Table("text:x", {"staff": 1, "board": 2}, False)]
    assert joint_suppression(tables, groups=["staff", "board"], min_size=5).hidden == frozenset()
