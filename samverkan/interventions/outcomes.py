"""Outcome tables of one intervention and year, with one joint suppression for every figure of the page.

Pure (no Django): records in, tables of counts out, so the rule can be pinned with
property-based tests (tests/test_outcomes.py).

What the page publishes, over the participations that ended in the year:

- `transition`: income source at start (rows) × income source at end (columns), with
  row totals, column totals and the total n;
- `groups`: the same, by income-source group (ohälsa, arbetsmarknadsstöd, …);
- `work_end`: in work or studies at the end (yes / no);
- `work_90`: in work or studies 90 days after (yes / no / not recorded);
- `duration`: time in the intervention in bands (anonymous counts have no dates: "uppgift saknas").

Every figure is a count of participations, i.e. a sum over a set of *atoms* (the
participations' combinations of start, end, 90-day status and time band). Two figures
with the same set are the same quantity (a group holding one income source, every
table's total) and are hidden together. Disclosure control, like measure/disclosure.py
but over these linked tables:

1. nothing is published when the total is below the minimum (`withheld`);
2. a quantity with at least one and fewer than the minimum participations is hidden
   (primary suppression);
3. for every published relation "parent = sum of parts" (a row and its total, a group
   and its sources, yes + no = total, …) with a visible parent, the hidden parts' sum,
   which anyone gets as parent minus visible parts, must be 0, or come from at least two
   non-empty parts and reach the minimum; otherwise the smallest visible non-empty part
   is hidden too (complementary suppression), until nothing changes;
4. an audit by linear algebra: a hidden non-empty quantity must not be a linear
   combination of visible ones (every subtraction across all tables of the page, not
   only the listed relations); if one is, the smallest visible non-empty quantity
   sharing atoms with it is hidden and the audit runs again.

The audit assumes an attacker who knows which atoms are empty (stronger than any real
one), so passing it is conservative.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

ALL = "*"
NOT_RECORDED = "-"
ANONYMOUS = "anon"
# Time bands by days in the intervention: (key, upper bound in days, exclusive).
DURATION_BANDS: tuple[tuple[str, int], ...] = (
    ("0-3", 91),
    ("3-6", 183),
    ("6-12", 366),
    ("12-24", 731),
    ("24+", 10**9),
)


@dataclass(frozen=True)
class Record:
    """One participation (or `count` anonymous ones with the same values) that ended in the year."""

    start: str
    end: str
    status_90: str | None = None  # income source 90 days after; None when not recorded
    days: int | None = None  # days from start to end; None for anonymous counts
    count: int = 1


Atom = tuple[str, str, str, str]  # (start, end, status_90 or "-", duration band or "anon")
Key = tuple[str, str, str]  # (table, row, column)


def duration_band(days: int | None) -> str:
    if days is None:
        return ANONYMOUS
    for key, limit in DURATION_BANDS:
        if days < limit:
            return key
    return DURATION_BANDS[-1][0]


@dataclass(frozen=True)
class Vocabulary:
    """The lists the tables are drawn over (given by the caller, so this module knows no Django)."""

    sources: Sequence[str]
    group_of: Mapping[str, str]
    groups: Sequence[str]
    work: frozenset[str]


@dataclass
class Grid:
    """A two-way table: cells, row and column totals and the total; None is a hidden figure."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], int | None]
    row_totals: dict[str, int | None]
    column_totals: dict[str, int | None]
    total: int | None

    def cell(self, row: str, column: str) -> int | None:
        return self.cells[(row, column)]


@dataclass(frozen=True)
class Share:
    """A count out of n; both None when hidden. `percent` only when both are shown and n > 0."""

    count: int | None
    n: int | None

    @property
    def percent(self) -> int | None:
        if self.count is None or not self.n:
            return None
        return round(100 * self.count / self.n)


@dataclass
class OutcomeTables:
    min_size: int
    total: int | None  # n of the page; None when withheld
    withheld: bool
    transition: Grid | None = None
    groups: Grid | None = None
    work_end: Share | None = None
    work_end_no: int | None = None
    work_90: Share | None = None
    work_90_no: int | None = None
    work_90_missing: int | None = None
    duration: dict[str, int | None] = field(default_factory=dict)
    duration_missing: int | None = None
    median_days: float | None = None
    # For tests and audits: every published key → its value (None when hidden), and the true values.
    published: dict[Key, int | None] = field(default_factory=dict)


class _Page:
    """Figures (keys) as sets of atoms, the relations between them, and the atoms' counts."""

    def __init__(self, records: Iterable[Record], vocabulary: Vocabulary) -> None:
        self.v = vocabulary
        self.counts: dict[Atom, int] = defaultdict(int)
        self.days: list[int] = []
        for r in records:
            if r.count <= 0:
                continue
            self.counts[(r.start, r.end, r.status_90 or NOT_RECORDED, duration_band(r.days))] += r.count
            if r.days is not None:
                self.days += [r.days] * r.count
        self.atoms = sorted(self.counts)
        self.keys: dict[Key, frozenset[Atom]] = {}
        self.relations: list[tuple[Key, list[Key]]] = []
        self._build()

    def _add(self, key: Key, predicate: object) -> Key:
        self.keys[key] = frozenset(a for a in self.atoms if predicate(a))  # type: ignore[operator]
        return key

    def _grid(self, name: str, rows: Sequence[str], of: object) -> None:
        add, f = self._add, of
        total = add((name, ALL, ALL), lambda a: True)
        row_keys, col_keys = [], []
        for r in rows:
            cells = [add((name, r, c), lambda a, r=r, c=c: f(a[0]) == r and f(a[1]) == c) for c in rows]  # type: ignore[operator]
            row_keys.append(add((name, r, ALL), lambda a, r=r: f(a[0]) == r))  # type: ignore[operator]
            self.relations.append((row_keys[-1], cells))
        for c in rows:
            cells = [(name, r, c) for r in rows]
            col_keys.append(add((name, ALL, c), lambda a, c=c: f(a[1]) == c))  # type: ignore[operator]
            self.relations.append((col_keys[-1], cells))
        self.relations += [(total, row_keys), (total, col_keys)]

    def _build(self) -> None:
        v, add = self.v, self._add
        self._grid("transition", list(v.sources), lambda s: s)
        self._grid("groups", list(v.groups), lambda s: v.group_of.get(s, s))
        # A group's cell is the sum of its sources' cells; a group's row total the sum of its sources' row totals.
        for g in v.groups:
            members = [s for s in v.sources if v.group_of.get(s) == g]
            self.relations.append((("groups", g, ALL), [("transition", s, ALL) for s in members]))
            self.relations.append((("groups", ALL, g), [("transition", ALL, s) for s in members]))
            for h in v.groups:
                others = [s for s in v.sources if v.group_of.get(s) == h]
                self.relations.append((("groups", g, h), [("transition", s, t) for s in members for t in others]))
        total = ("transition", ALL, ALL)
        yes = add(("work_end", "yes", ""), lambda a: a[1] in v.work)
        no = add(("work_end", "no", ""), lambda a: a[1] not in v.work)
        self.relations += [(total, [yes, no]), (yes, [("transition", ALL, s) for s in v.sources if s in v.work])]
        yes90 = add(("work_90", "yes", ""), lambda a: a[2] != NOT_RECORDED and a[2] in v.work)
        no90 = add(("work_90", "no", ""), lambda a: a[2] != NOT_RECORDED and a[2] not in v.work)
        recorded90 = add(("work_90", "recorded", ""), lambda a: a[2] != NOT_RECORDED)
        missing90 = add(("work_90", "missing", ""), lambda a: a[2] == NOT_RECORDED)
        self.relations += [(recorded90, [yes90, no90]), (total, [recorded90, missing90])]
        bands = [add(("duration", b, ""), lambda a, b=b: a[3] == b) for b, _limit in DURATION_BANDS]
        recorded = add(("duration", "recorded", ""), lambda a: a[3] != ANONYMOUS)
        missing = add(("duration", "missing", ""), lambda a: a[3] == ANONYMOUS)
        self.relations += [(recorded, bands), (total, [recorded, missing])]

    def value(self, atoms: frozenset[Atom]) -> int:
        return sum(self.counts[a] for a in atoms)


def _safe(values: list[int], min_size: int) -> bool:
    nonzero = [n for n in values if n > 0]
    return not nonzero or (len(nonzero) >= 2 and sum(nonzero) >= min_size)


def recoverable(
    hidden: Iterable[frozenset[Atom]], visible: Iterable[frozenset[Atom]], atoms: Sequence[Atom]
) -> list[frozenset[Atom]]:
    """The hidden quantities that are a linear combination of the visible ones (over the non-empty atoms)."""
    index = {a: i for i, a in enumerate(atoms)}

    def vector(q: frozenset[Atom]) -> np.ndarray:
        row = np.zeros(len(atoms))
        for a in q:
            row[index[a]] = 1.0
        return row

    shown = [vector(q) for q in visible if q]
    targets = [q for q in hidden if q]
    if not targets:
        return []
    if not shown:
        return []
    matrix = np.array(shown)
    _u, s, vt = np.linalg.svd(matrix, full_matrices=False)
    basis = vt[s > 1e-9 * max(1.0, s[0])]
    found = []
    for q in targets:
        x = vector(q)
        residual = x - basis.T @ (basis @ x)
        if np.linalg.norm(residual) < 1e-7:
            found.append(q)
    return found


def suppress(page: _Page, min_size: int) -> set[frozenset[Atom]]:
    """The page's hidden quantities (sets of atoms), closed under the complementary rule and the linear audit."""
    quantities = set(page.keys.values())
    value = {q: page.value(q) for q in quantities}
    hidden = {q for q in quantities if 0 < value[q] < min_size}
    relations = [
        (page.keys[p], sorted({page.keys[c] for c in cs} - {page.keys[p]}, key=sorted)) for p, cs in page.relations
    ]
    while True:
        changed = True
        while changed:
            changed = False
            for parent, parts in relations:
                if parent in hidden:
                    continue
                if _safe([value[q] for q in parts if q in hidden], min_size):
                    continue
                candidates = sorted((value[q], sorted(q)) for q in parts if q not in hidden and value[q] > 0)
                if candidates:
                    hidden.add(frozenset(candidates[0][1]))
                else:
                    hidden.add(parent)
                changed = True
        visible = [q for q in quantities if q not in hidden]
        # Only the primary cells need protecting: a complementary cell is hidden for their sake, not its own.
        leaks = recoverable([q for q in hidden if 0 < value[q] < min_size], visible, page.atoms)
        if not leaks:
            return hidden
        leak = min(leaks, key=lambda q: (value[q], sorted(q)))
        # Hide the smallest visible figure whose absence breaks this subtraction (the total last of all).
        everything = page.keys[("transition", ALL, ALL)]
        options = sorted((q == everything, value[q], sorted(q)) for q in visible if value[q] > 0 and q != leak)
        for _last, _value, atoms in options:
            chosen = frozenset(atoms)
            if not recoverable([leak], [q for q in visible if q != chosen], page.atoms):
                break
        else:
            chosen = frozenset(options[0][2]) if options else everything
        hidden.add(chosen)


def outcome_tables(records: Iterable[Record], vocabulary: Vocabulary, *, min_size: int) -> OutcomeTables:
    """The outcome tables of one intervention and year, every figure under the page's one suppression."""
    page = _Page(records, vocabulary)
    total_value = sum(page.counts.values())
    if total_value < min_size:
        return OutcomeTables(min_size=min_size, total=None, withheld=True)
    hidden = suppress(page, min_size)

    def shown(key: Key) -> int | None:
        q = page.keys[key]
        return None if q in hidden else page.value(q)

    published = {key: shown(key) for key in page.keys}

    def grid(name: str, labels: Sequence[str]) -> Grid:
        used = [r for r in labels if page.value(page.keys[(name, r, ALL)]) or page.value(page.keys[(name, ALL, r)])]
        return Grid(
            rows=[r for r in used if page.value(page.keys[(name, r, ALL)])],
            columns=[c for c in used if page.value(page.keys[(name, ALL, c)])],
            cells={(r, c): published[(name, r, c)] for r in labels for c in labels},
            row_totals={r: published[(name, r, ALL)] for r in labels},
            column_totals={c: published[(name, ALL, c)] for c in labels},
            total=published[(name, ALL, ALL)],
        )

    days_n = len(page.days)
    median = statistics.median(page.days) if days_n >= min_size else None
    total = published[("transition", ALL, ALL)]
    recorded90 = published[("work_90", "recorded", "")]
    return OutcomeTables(
        min_size=min_size,
        total=total,
        withheld=False,
        transition=grid("transition", vocabulary.sources),
        groups=grid("groups", vocabulary.groups),
        work_end=Share(published[("work_end", "yes", "")], total),
        work_end_no=published[("work_end", "no", "")],
        work_90=Share(published[("work_90", "yes", "")], recorded90),
        work_90_no=published[("work_90", "no", "")],
        work_90_missing=published[("work_90", "missing", "")],
        duration={b: published[("duration", b, "")] for b, _limit in DURATION_BANDS},
        duration_missing=published[("duration", "missing", "")],
        median_days=median,
        published=published,
    )


def page_quantities(records: Iterable[Record], vocabulary: Vocabulary) -> dict[Key, tuple[frozenset[Atom], int]]:
    """Every key of the page with its atoms and true value (for the tests' attacks)."""
    page = _Page(records, vocabulary)
    return {k: (q, page.value(q)) for k, q in page.keys.items()}
