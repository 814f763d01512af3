"""Disclosure control for a whole campaign: one hidden set of respondent groups for every table.

Pure (no Django): plain tables of counts in, sets out, so the rule can be pinned
with property-based tests.

Why one set: a campaign publishes many tables over the same respondent groups
(the respondent-group table, each level's today and target answers, each
hallmark index, each item). If each table chose its own complementary cells, a
group hidden in one could be recovered from another: when everyone answered
everything a group's count is the same in every table, so one table's hidden
sum minus another table's visible cell of the same group gives a hidden group
away. So there is exactly one hidden set H for the campaign, and it is closed
under the complementary rule in every table:

- a group is in H when, in any table that is published, it has at least one
  and fewer than the minimum answers (primary suppression);
- in every published table the cells of H are hidden (even empty ones), and
  their sum, which anyone can compute as "total minus visible cells", is either
  0 or comes from at least two non-empty cells and reaches the minimum; when it
  does not, the smallest visible non-empty cell of that table joins H
  (complementary suppression), and every table is checked again;
- a table whose total is below the minimum, or whose only non-empty cell is
  hidden (its total would be that group's figure), is withheld: it publishes
  nothing, not even its total, and so imposes nothing on H.

When the respondent-group table itself is withheld (fewer answers than the
minimum in all) nothing at all is published.

Tables without a published total (free-text answers: texts are shown per
visible group, never summed) reveal nothing by subtraction; they only obey H.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

GROUPS_TABLE = "groups"


@dataclass(frozen=True)
class Table:
    """One published table: respondent group → number of answers behind that group's cell."""

    name: str
    cells: Mapping[str, int]
    has_total: bool = True  # an "Alla" row (or a total count) is published beside the cells

    @property
    def total(self) -> int:
        return sum(self.cells.values())


@dataclass(frozen=True)
class Disclosure:
    """What a campaign may publish: the hidden groups and the tables withheld entirely."""

    min_size: int
    groups: tuple[str, ...]
    hidden: frozenset[str]
    withheld: frozenset[str] = field(default_factory=frozenset)

    @property
    def nothing_published(self) -> bool:
        return GROUPS_TABLE in self.withheld

    def shows_table(self, name: str) -> bool:
        return not self.nothing_published and name not in self.withheld

    def shows(self, table: str, group: str) -> bool:
        """Whether one group's cell of one table may carry figures."""
        return self.shows_table(table) and group not in self.hidden

    @property
    def visible_groups(self) -> list[str]:
        if self.nothing_published:
            return []
        return [g for g in self.groups if g not in self.hidden]


def _hidden_sum_is_safe(cells: Mapping[str, int], hidden: Iterable[str], min_size: int) -> bool:
    """Total minus visible cells = the hidden sum: 0, or ≥ 2 non-empty hidden cells reaching the minimum."""
    values = [cells.get(g, 0) for g in hidden if cells.get(g, 0) > 0]
    return not values or (len(values) >= 2 and sum(values) >= min_size)


def joint_suppression(tables: Sequence[Table], *, groups: Sequence[str], min_size: int) -> Disclosure:
    """The campaign's one hidden set, closed under the complementary rule in every table.

    `tables` must include the respondent-group table named GROUPS_TABLE (respondents per group).
    """
    group_list = tuple(groups)
    by_name = {t.name: t for t in tables}
    respondents = by_name.get(GROUPS_TABLE, Table(GROUPS_TABLE, {}))
    if respondents.total < min_size:
        return Disclosure(min_size, group_list, frozenset(group_list), frozenset({GROUPS_TABLE, *by_name}))
    summed = [t for t in tables if t.has_total]
    withheld = {t.name for t in summed if t.total < min_size}
    live = [t for t in summed if t.name not in withheld]
    hidden = {g for t in live for g, n in t.cells.items() if 0 < n < min_size}
    changed = True
    while changed:
        changed = False
        for table in live:
            if table.name in withheld or _hidden_sum_is_safe(table.cells, hidden, min_size):
                continue
            candidates = sorted((n, g) for g, n in table.cells.items() if n > 0 and g not in hidden)
            if not candidates:
                if table.name == GROUPS_TABLE:
                    # Only possible when one group holds every answer and is hidden: publish nothing.
                    return Disclosure(min_size, group_list, frozenset(group_list), frozenset({GROUPS_TABLE, *by_name}))
                withheld.add(table.name)  # its total would be the one hidden group's figure
                continue
            hidden.add(candidates[0][1])
            changed = True
    # A group the campaign lists but no table mentions is hidden only if primary rules said so.
    return Disclosure(min_size, group_list, frozenset(hidden), frozenset(withheld))


def pooled_rows_allowed(pooled: int, min_size: int) -> bool:
    """The response export's pooled "hidden" rows are published only as a set of at least the minimum."""
    return pooled == 0 or pooled >= min_size
