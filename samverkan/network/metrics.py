"""Network figures of one round of the collaboration survey. Pure: no Django.

Every agency that answers says, about every other agency, how deeply they work together on the Levels of
Collaboration scale (0 ingen, 1 nätverkande, 2 samarbete, 3 samordning, 4 koalition, 5 integrerad samverkan),
how far it trusts it (the mean of three 1–4 items: reliability, support of the shared mission, openness to
discussion), what the other contributes (1–4), and whether it knows whom to call there.

The network is the directed graph whose edges are the answers with depth ≥ 1 ("i says it works with j");
depth 0 is an answer but no edge (`min_depth` raises the floor: 3 gives the network of coordination and
deeper). The figures:

- density: edges / (n·(n−1)), the share of the possible directed ties that exist; None for n < 2
  (no tie is possible).
- reciprocity: the share of edges whose reverse is an edge too (a mutual tie counts twice, once per
  direction); None when there are no edges.
- degree_centralization: Freeman's, on the undirected graph where two agencies are tied when either names
  the other: Σ(max degree − degree) / ((n−1)(n−2)); 1 for a star (one agency holds the network together),
  0 when every agency has the same degree (a complete graph, or an empty one); None for n < 3.
- knows_whom_to_call: the share of ordered pairs (i, j), i ≠ j, i a respondent, where i said it knows whom
  to call at j; the denominator is respondents × (n−1), so a respondent's unanswered item counts as "no";
  None when nobody answered or n < 2.
- response_rate: respondents / n; None for n = 0.
- per agency: out_degree (agencies it names), in_degree (agencies naming it), weighted_degree (the sum of
  the depths of its edges, incoming plus outgoing), mean_trust_received and mean_value_received (the means of
  what the others answered about it, over every answer with a value, depth 0 included; None if none), and
  whether it responded.

Respondents: the agencies that answered. When the caller does not say, every agency that is the source of an
answer. The caller says it when an agency submitted the survey without naming anyone (a respondent with no
edges is not a non-respondent). An answer from a source outside the given respondents is refused.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

DEPTH_MIN, DEPTH_MAX = 0, 5
SCALE_MIN, SCALE_MAX = 1.0, 4.0  # trust and value
# Differences in metrics_change are rounded to this many decimals: 0.3 − 0.2 is 0.1, not 0.09999999999999998.
CHANGE_DECIMALS = 10


class NetworkInputError(ValueError):
    """Answers that do not describe a network (unknown agency, self-tie, duplicate pair, depth out of range).

    A programming error of the caller: a file or form is checked, with Swedish messages, before it gets here.
    """


@dataclass(frozen=True)
class EdgeAnswer:
    """What `source` answered about `target` (its survey row for that agency)."""

    source: str
    target: str
    depth: int  # 0..5, Levels of Collaboration; 0 is no tie
    trust: float | None = None  # mean of the three 1–4 trust items
    value: float | None = None  # 1–4, what the other contributes
    knows_whom_to_call: bool | None = None
    frequency: int | None = None  # how often they are in contact; not used by the figures yet


@dataclass(frozen=True)
class AgencyMetrics:
    out_degree: int
    in_degree: int
    weighted_degree: int  # sum of the depths of its incoming and outgoing edges
    mean_trust_received: float | None
    mean_value_received: float | None
    responded: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "out_degree": self.out_degree,
            "in_degree": self.in_degree,
            "weighted_degree": self.weighted_degree,
            "mean_trust_received": self.mean_trust_received,
            "mean_value_received": self.mean_value_received,
            "responded": self.responded,
        }


@dataclass(frozen=True)
class NetworkMetrics:
    nodes: int
    edges: int
    density: float | None
    reciprocity: float | None
    degree_centralization: float | None
    knows_whom_to_call: float | None
    response_rate: float | None
    non_respondents: tuple[str, ...]
    agencies: dict[str, AgencyMetrics]  # in the order of the nodes given

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "edges": self.edges,
            "density": self.density,
            "reciprocity": self.reciprocity,
            "degree_centralization": self.degree_centralization,
            "knows_whom_to_call": self.knows_whom_to_call,
            "response_rate": self.response_rate,
            "non_respondents": list(self.non_respondents),
            "agencies": {name: agency.as_dict() for name, agency in self.agencies.items()},
        }


def _check(answer: EdgeAnswer, known: Collection[str]) -> None:
    """NetworkInputError unless the answer is about two different known agencies with values in range."""
    for name in (answer.source, answer.target):
        if name not in known:
            raise NetworkInputError(f"answer about an agency that is not a node: {name!r}")
    if answer.source == answer.target:
        raise NetworkInputError(f"an agency answered about itself: {answer.source!r}")
    depth = answer.depth
    if isinstance(depth, bool) or not isinstance(depth, int):
        raise NetworkInputError(f"depth is not a whole number: {depth!r}")
    if not DEPTH_MIN <= depth <= DEPTH_MAX:
        raise NetworkInputError(f"depth outside {DEPTH_MIN}..{DEPTH_MAX}: {depth!r}")
    for label, score in (("trust", answer.trust), ("value", answer.value)):
        if score is not None and not SCALE_MIN <= score <= SCALE_MAX:
            raise NetworkInputError(f"{label} outside {SCALE_MIN:g}–{SCALE_MAX:g}: {score!r}")


def directed_edges(answers: Iterable[EdgeAnswer], *, min_depth: int = 1) -> dict[tuple[str, str], int]:
    """(source, target) → depth for the answers with depth ≥ min_depth (at least 1: depth 0 is no tie)."""
    floor = max(1, min_depth)
    return {(a.source, a.target): a.depth for a in answers if a.depth >= floor}


def _mean(total: float, count: int, minimum: int = 1) -> float | None:
    return total / count if count and count >= minimum else None


def network_metrics(
    nodes: Sequence[str],
    answers: Iterable[EdgeAnswer],
    *,
    respondents: Collection[str] | None = None,
    min_depth: int = 1,
    min_raters: int = 1,
) -> NetworkMetrics:
    """The network figures of one round (see the module's docstring for each definition).

    `min_depth` (1..5): only answers at least this deep are edges, e.g. 3 for the network of coordination
    and deeper; trust, value and knows-whom-to-call still count every answer.

    `min_raters`: an agency's mean trust or value received is None unless at least this many agencies
    rated it. With one person answering for each agency, a mean of one rating is that person's rating of
    the other: a page should pass the platform's minimum group size (the Django layer's concern).

    Raises NetworkInputError for answers that describe no network: about an agency not among the nodes,
    about itself, two for one ordered pair, depth outside 0..5, trust or value outside 1–4; for a node
    listed twice, and for respondents outside the nodes or answers from agencies outside the respondents.
    One pass over the answers, with no object per answer: n agencies answering about each other are
    n·(n−1) answers, and the time grows with that.
    """
    if isinstance(min_depth, bool) or not isinstance(min_depth, int) or not 1 <= min_depth <= DEPTH_MAX:
        raise NetworkInputError(f"min_depth outside 1..{DEPTH_MAX}: {min_depth!r}")
    if isinstance(min_raters, bool) or not isinstance(min_raters, int) or min_raters < 1:
        raise NetworkInputError(f"min_raters below 1: {min_raters!r}")
    nodes = list(nodes)
    n = len(nodes)
    # Per agency: whom it answered about, and its edges out (target → depth).
    answered: dict[str, set[str]] = {name: set() for name in nodes}
    if len(answered) != n:
        raise NetworkInputError("an agency is listed twice among the nodes")
    out: dict[str, dict[str, int]] = {name: {} for name in nodes}
    in_degree = dict.fromkeys(nodes, 0)
    weighted = dict.fromkeys(nodes, 0)
    trust_sum, trust_count = dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0)
    value_sum, value_count = dict.fromkeys(nodes, 0.0), dict.fromkeys(nodes, 0)
    knows = 0
    for answer in answers:
        source, target, depth = answer.source, answer.target, answer.depth
        seen = answered.get(source)
        if seen is None:
            raise NetworkInputError(f"answer about an agency that is not a node: {source!r}")
        # The full check only when the quick one fails (it raises, saying what is wrong).
        if target not in answered or source == target or type(depth) is not int or not DEPTH_MIN <= depth <= DEPTH_MAX:
            _check(answer, answered)
        if target in seen:
            raise NetworkInputError(f"two answers for the same pair: {(source, target)!r}")
        seen.add(target)
        if depth >= min_depth:
            out[source][target] = depth
            in_degree[target] += 1
            weighted[source] += depth
            weighted[target] += depth
        trust, value = answer.trust, answer.value
        if trust is not None:
            if not SCALE_MIN <= trust <= SCALE_MAX:
                _check(answer, answered)
            trust_sum[target] += trust
            trust_count[target] += 1
        if value is not None:
            if not SCALE_MIN <= value <= SCALE_MAX:
                _check(answer, answered)
            value_sum[target] += value
            value_count[target] += 1
        if answer.knows_whom_to_call:
            knows += 1
    sources = {name for name, seen in answered.items() if seen}
    if respondents is None:
        responded = sources
    else:
        responded = set(respondents)
        unknown = responded - set(nodes)
        if unknown:
            raise NetworkInputError(f"respondents that are not nodes: {sorted(unknown)!r}")
        outside = sources - responded
        if outside:
            raise NetworkInputError(f"answers from agencies not among the respondents: {sorted(outside)!r}")

    m = sum(len(targets) for targets in out.values())
    mutual = sum(1 for source, targets in out.items() for target in targets if source in out[target])
    density = m / (n * (n - 1)) if n >= 2 else None
    centralization: float | None = None
    if n >= 3:
        # Undirected degree: the agencies it names or is named by.
        named_by: dict[str, set[str]] = {name: set() for name in nodes}
        for source, targets in out.items():
            for target in targets:
                named_by[target].add(source)
        degrees = [len(named_by[name].union(out[name])) for name in nodes]
        top = max(degrees)
        centralization = sum(top - d for d in degrees) / ((n - 1) * (n - 2))
    pairs = len(responded) * (n - 1)
    return NetworkMetrics(
        nodes=n,
        edges=m,
        density=density,
        reciprocity=mutual / m if m else None,
        degree_centralization=centralization,
        knows_whom_to_call=knows / pairs if pairs else None,
        response_rate=len(responded) / n if n else None,
        non_respondents=tuple(name for name in nodes if name not in responded),
        agencies={
            name: AgencyMetrics(
                out_degree=len(out[name]),
                in_degree=in_degree[name],
                weighted_degree=weighted[name],
                mean_trust_received=_mean(trust_sum[name], trust_count[name], min_raters),
                mean_value_received=_mean(value_sum[name], value_count[name], min_raters),
                responded=name in responded,
            )
            for name in nodes
        },
    )


NETWORK_FIGURES = (
    "nodes",
    "edges",
    "density",
    "reciprocity",
    "degree_centralization",
    "knows_whom_to_call",
    "response_rate",
)
AGENCY_FIGURES = ("out_degree", "in_degree", "weighted_degree", "mean_trust_received", "mean_value_received")


def _difference(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    change = after - before
    return change if isinstance(change, int) else round(change, CHANGE_DECIMALS)


def metrics_change(previous: NetworkMetrics, current: NetworkMetrics) -> dict[str, Any]:
    """current − previous: each network figure, and per agency present in both rounds; new and gone agencies.

    A difference is None when the figure is None in either round. Returns
    {"nodes", "edges", "density", "reciprocity", "degree_centralization", "knows_whom_to_call",
    "response_rate": difference, "agencies": {name: {figure: difference, "responded": [before, after]}},
    "new_agencies": [...], "gone_agencies": [...]} (agencies in the current round's order, gone ones in the
    previous round's order).
    """
    change: dict[str, Any] = {
        figure: _difference(getattr(previous, figure), getattr(current, figure)) for figure in NETWORK_FIGURES
    }
    agencies: dict[str, dict[str, Any]] = {}
    for name, after in current.agencies.items():
        before = previous.agencies.get(name)
        if before is None:
            continue
        entry: dict[str, Any] = {
            figure: _difference(getattr(before, figure), getattr(after, figure)) for figure in AGENCY_FIGURES
        }
        entry["responded"] = [before.responded, after.responded]
        agencies[name] = entry
    change["agencies"] = agencies
    change["new_agencies"] = [name for name in current.agencies if name not in previous.agencies]
    change["gone_agencies"] = [name for name in previous.agencies if name not in current.agencies]
    return change


@dataclass(frozen=True)
class TieChange:
    source: str
    target: str
    before: int  # depth in the previous round, 0 when no tie (or not answered)
    after: int  # depth in the current round, 0 when no tie (or not answered)


def tie_changes(
    previous: Iterable[EdgeAnswer], current: Iterable[EdgeAnswer], *, min_depth: int = 1
) -> dict[str, list[TieChange]]:
    """Which ties came, went, deepened or became shallower between two rounds (depth ≥ min_depth is a tie).

    {"new": [...], "gone": [...], "deeper": [...], "shallower": [...]}, each sorted by (source, target).
    A pair neither round has as a tie is left out. A tie "gone" may be a pair the source did not answer
    about this round: the caller knows who responded (`NetworkMetrics.non_respondents`) and can say so.
    """
    before = directed_edges(previous, min_depth=min_depth)
    after = directed_edges(current, min_depth=min_depth)
    found: dict[str, list[TieChange]] = {"new": [], "gone": [], "deeper": [], "shallower": []}
    for pair in sorted(set(before) | set(after)):
        change = TieChange(pair[0], pair[1], before.get(pair, 0), after.get(pair, 0))
        if not change.before:
            found["new"].append(change)
        elif not change.after:
            found["gone"].append(change)
        elif change.after > change.before:
            found["deeper"].append(change)
        elif change.after < change.before:
            found["shallower"].append(change)
    return found
