"""The collaboration map as server-rendered SVG. Pure: no Django (networkx for the layout).

Agencies are circles sized by their number of ties in the picture; a tie is an arrow from the agency that
named it to the one it named, its width and colour by depth (1 nätverkande … 5 integrerad samverkan). Both
directions of a pair are drawn, each bending to its own right, so a mutual tie is two arrows with their own
depths: mutual ties are solid, one-way ties dashed (told apart without colour). An agency that has not
answered (when the caller says who has) is a hollow circle with a dashed outline.

Positions come from `layout`: a spring layout (networkx, seeded) of the nodes sorted by name, rounded to
0.1 units, so the same nodes, answers and seed give the same picture on every run and machine. To show two
rounds side by side comparably, compute one layout (for example of the later round, or of both rounds'
answers together) and pass it as `positions=` to both maps; the depth filter (`min_depth`) never moves a node.

Every text in the picture comes from the caller (the Django layer translates): `title` and `description`
(the SVG's <title>/<desc>, referenced by aria-labelledby), agency `labels`, `depth_labels` for the arrows'
tooltips, and an optional `legend`. The result is a string of SVG markup with every text escaped; the
caller marks it safe. Several maps on one page need different `id_prefix`es (arrowheads and titles have ids).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from .metrics import EdgeAnswer, directed_edges

WIDTH = 600
HEIGHT = 480
MARGIN_X = 60.0  # room for half a label beside a node at the edge
MARGIN_TOP = 40.0  # room for a label above a node at the top
MARGIN_BOTTOM = 44.0  # room for a two-line label under a node at the bottom
NODE_RADIUS_MIN = 7.0
NODE_RADIUS_MAX = 18.0
LABEL_SIZE = 14  # 10 px on a 390 px phone, where the table beside the map is the way to read it
LINE_SPACING = 1.15
LABEL_LINE_CHARACTERS = 16  # a label wraps at a space after about this many characters, in two lines at most
LABEL_WORD_CHARACTERS = 20  # a longer word is cut with …; the full name is the agency's tooltip
LABEL_CHARACTER_WIDTH = 0.6  # of the font size (DejaVu Sans, bold): an estimate for placing labels
CURVE = 0.12  # a tie bends by this share of its length, to its right: A→B and B→A do not overlap
TEXT_COLOUR = "#1b2430"
NODE_FILL = "#1b3a57"
# Depth 1..5: light to dark, each at least 3:1 against white (WCAG 1.4.11 for graphics), wider with depth.
DEPTH_COLOURS = {1: "#7a8794", 2: "#4a7aa3", 3: "#2f6690", 4: "#1b4f72", 5: "#0b2f4a"}
DEPTH_WIDTHS = {1: 1.25, 2: 2.0, 3: 2.75, 4: 3.5, 5: 4.5}
ONE_WAY_DASH = "6 4"
NON_RESPONDENT_DASH = "3 2"

Positions = dict[str, tuple[float, float]]

# Characters XML 1.0 forbids even as references: a name pasted with one would make the file unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class DepthStyle:
    colour: str
    width: float


def depth_style(depth: int) -> DepthStyle:
    """How a tie of this depth (1..5) is drawn: the same in the picture and an HTML legend beside it."""
    level = min(max(depth, 1), 5)
    return DepthStyle(DEPTH_COLOURS[level], DEPTH_WIDTHS[level])


@dataclass(frozen=True)
class MapLegend:
    """The legend's texts (translated by the caller): a name per depth shown, and the two line kinds."""

    depths: Mapping[int, str]
    mutual: str
    one_way: str
    non_respondent: str = ""  # shown when the map is told who responded


def _text(value: object) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _attr(value: object) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def layout(
    nodes: Iterable[str],
    answers: Iterable[EdgeAnswer] = (),
    seed: int = 1,
    *,
    kind: str = "spring",
    keep: Mapping[str, tuple[float, float]] | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Positions:
    """Where each agency lies in a width × height picture, rounded to 0.1: the same for the same input.

    kind "spring": a force-directed layout (networkx's Fruchterman–Reingold, seeded) of the ties (depth ≥ 1,
    a pair weighted by its deeper answer), so agencies that work together lie close, then pushed apart
    until no two circles touch where there is room; "circle": evenly round a circle by name, ties ignored.
    The order of `nodes` and of `answers` does not matter.

    `keep` (spring only): positions from an earlier layout, e.g. last round's. Every agency found there
    stays exactly where it was; only the others are placed, among them (a round with a new agency keeps
    the rest of its map comparable).
    """
    names = sorted(set(nodes))
    if not names:
        return {}
    if kind == "circle":
        count = len(names)
        raw = {
            name: (math.sin(2 * math.pi * i / count), -math.cos(2 * math.pi * i / count)) if count > 1 else (0.0, 0.0)
            for i, name in enumerate(names)
        }
        return _fit(raw, width, height)
    if kind != "spring":
        raise ValueError(f"unknown layout kind: {kind!r}")
    kept = {name: (float(keep[name][0]), float(keep[name][1])) for name in names if keep and name in keep}
    if len(kept) == len(names):
        return {name: (round(x, 1), round(y, 1)) for name, (x, y) in kept.items()}
    box = _box(width, height)
    if kept:
        unit = {name: box.to_unit(point) for name, point in kept.items()}
        found = _spring(names, answers, seed, fixed=unit)
        placed = {name: box.clamp(box.from_unit(point)) for name, point in found.items()}
        placed.update(kept)
        return _separate(placed, set(kept), width, height)
    return _separate(_fit(_spring(names, answers, seed), width, height), set(), width, height)


@dataclass(frozen=True)
class _Box:
    """The area nodes lie in: the picture less the margins the labels need."""

    left: float
    top: float
    right: float
    bottom: float

    def to_unit(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (2 * (x - self.left) / (self.right - self.left) - 1, 2 * (y - self.top) / (self.bottom - self.top) - 1)

    def from_unit(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (self.left + (x + 1) / 2 * (self.right - self.left), self.top + (y + 1) / 2 * (self.bottom - self.top))

    def clamp(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (min(max(x, self.left), self.right), min(max(y, self.top), self.bottom))


def _box(width: int, height: int) -> _Box:
    return _Box(MARGIN_X, MARGIN_TOP, width - MARGIN_X, height - MARGIN_BOTTOM)


def _spring(
    names: list[str],
    answers: Iterable[EdgeAnswer],
    seed: int,
    *,
    fixed: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]]:
    import networkx as nx

    if len(names) == 1:
        return {names[0]: (0.0, 0.0)}
    known = set(names)
    graph = nx.Graph()
    graph.add_nodes_from(names)
    weights: dict[tuple[str, str], int] = {}
    for (source, target), depth in directed_edges(answers).items():
        if source in known and target in known and source != target:
            pair = (min(source, target), max(source, target))
            weights[pair] = max(weights.get(pair, 0), depth)
    for (a, b), depth in sorted(weights.items()):
        graph.add_edge(a, b, weight=float(depth))
    # method="force" always (networkx switches to an optimiser at 500 nodes otherwise).
    if fixed:
        found = nx.spring_layout(
            graph, pos=dict(fixed), fixed=list(fixed), seed=seed, weight="weight", iterations=100, method="force"
        )
    else:
        found = nx.spring_layout(graph, seed=seed, weight="weight", iterations=100, method="force")
    return {name: (float(found[name][0]), float(found[name][1])) for name in names}


def _fit(raw: Mapping[str, tuple[float, float]], width: int, height: int) -> Positions:
    """The raw layout stretched to fill the picture's box."""
    xs = [x for x, _y in raw.values()]
    ys = [y for _x, y in raw.values()]
    box = _box(width, height)

    def scale(value: float, low: float, high: float, to_low: float, to_high: float) -> float:
        if high - low < 1e-9:
            return (to_low + to_high) / 2
        return to_low + (value - low) / (high - low) * (to_high - to_low)

    return {
        name: (
            round(scale(x, min(xs), max(xs), box.left, box.right), 1),
            round(scale(y, min(ys), max(ys), box.top, box.bottom), 1),
        )
        for name, (x, y) in raw.items()
    }


SEPARATION_ROUNDS = 40


def _separate(places: Mapping[str, tuple[float, float]], fixed: set[str], width: int, height: int) -> Positions:
    """Nodes pushed apart until no two lie closer than two of the largest circles (or as far as room allows).

    Fixed nodes do not move. Vectorised (numpy): n² distances a round, for a fixed number of rounds.
    """
    import numpy as np

    names = sorted(places)
    box = _box(width, height)
    count = len(names)
    if count < 2:
        return {name: (round(x, 1), round(y, 1)) for name, (x, y) in places.items()}
    room = math.sqrt((box.right - box.left) * (box.bottom - box.top) / count)
    gap = min(2 * NODE_RADIUS_MAX + 8, 0.9 * room)
    pos = np.array([places[name] for name in names], dtype=float)
    movable = np.array([name not in fixed for name in names], dtype=float)[:, None]
    # Two nodes on the same spot part along a direction fixed by their order (never random).
    nudge = np.array([[math.cos(i), math.sin(i)] for i in range(count)]) * 1e-3
    for _round in range(SEPARATION_ROUNDS):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=2))
        np.fill_diagonal(distance, np.inf)
        overlap = np.clip(gap - distance, 0.0, None)
        if not overlap.any():
            break
        # Only the pairs that are too close push (few, after the first rounds).
        first, second = np.nonzero(overlap)
        apart = distance[first, second]
        direction = delta[first, second] / np.maximum(apart, 1e-9)[:, None]
        direction[apart <= 1e-9] = 0.0
        push = np.zeros_like(pos)
        np.add.at(push, first, direction * (overlap[first, second] / 2)[:, None])
        crowded = np.zeros(count)
        crowded[first] = 1.0
        pos = pos + (push + nudge * crowded[:, None]) * movable
        pos[:, 0] = np.clip(pos[:, 0], box.left, box.right)
        pos[:, 1] = np.clip(pos[:, 1], box.top, box.bottom)
    return {name: (round(float(x), 1), round(float(y), 1)) for name, (x, y) in zip(names, pos, strict=True)}


def _lines(label: str) -> list[str]:
    """A label in at most two lines of about LABEL_LINE_CHARACTERS, cut with … when longer."""
    words = label.split()
    if not words:
        return [""]
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_LINE_CHARACTERS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    lines = [line if len(line) <= LABEL_WORD_CHARACTERS else line[: LABEL_WORD_CHARACTERS - 1] + "…" for line in lines]
    if len(lines) > 2:
        lines = [lines[0], (lines[1][: LABEL_LINE_CHARACTERS - 1].rstrip() + "…")]
    return lines


@dataclass(frozen=True)
class _Label:
    x: float  # centre
    top: float
    lines: tuple[str, ...]


def _place_labels(
    names: Sequence[str],
    place: Mapping[str, tuple[float, float]],
    radius: Mapping[str, float],
    texts: Mapping[str, list[str]],
    width: int,
    height: int,
    *,
    obstacles: Sequence[str] = (),
) -> dict[str, _Label]:
    """Each label below, above, right or left of its node: the first place that covers no other label or node.

    Greedy, largest nodes first; when every place covers something, the one covering least. `obstacles`:
    the agencies whose circles a label should not cover (default: the labelled ones).
    """
    import numpy as np

    line_height = LABEL_SIZE * LINE_SPACING
    circles = list(dict.fromkeys([*names, *obstacles]))
    count = len(circles)
    index = {name: i for i, name in enumerate(circles)}
    # Obstacles, as boxes (left, top, right, bottom): every circle, then each label once placed.
    boxes = np.zeros((2 * count, 4))
    active = np.zeros(2 * count, dtype=bool)
    for i, name in enumerate(circles):
        (x, y), r = place[name], radius[name]
        boxes[i] = (x - r, y - r, x + r, y + r)
        active[i] = True
    found: dict[str, _Label] = {}
    for name in sorted(names, key=lambda n: (-radius[n], n)):
        x, y = place[name]
        r = radius[name]
        lines = texts[name]
        w = max(len(line) for line in lines) * LABEL_SIZE * LABEL_CHARACTER_WIDTH
        h = len(lines) * line_height
        candidates = [
            (x, y + r + 2),  # below
            (x, y - r - 2 - h),  # above
            (x + r + 4 + w / 2, y - h / 2),  # right
            (x - r - 4 - w / 2, y - h / 2),  # left
        ]
        others = active.copy()
        others[index[name]] = False
        blocking = boxes[others]
        best: tuple[float, int, float, float] | None = None
        for preference, (cx, top) in enumerate(candidates):
            cx = min(max(cx, w / 2 + 2), width - w / 2 - 2)
            top = min(max(top, 2), height - h - 2)
            across = np.clip(np.minimum(cx + w / 2, blocking[:, 2]) - np.maximum(cx - w / 2, blocking[:, 0]), 0, None)
            down = np.clip(np.minimum(top + h, blocking[:, 3]) - np.maximum(top, blocking[:, 1]), 0, None)
            covered = float((across * down).sum())
            if best is None or (covered, preference) < (best[0], best[1]):
                best = (covered, preference, cx, top)
            if covered == 0:
                break
        assert best is not None
        _covered, _preference, cx, top = best
        boxes[count + index[name]] = (cx - w / 2, top, cx + w / 2, top + h)
        active[count + index[name]] = True
        found[name] = _Label(cx, top, tuple(lines))
    return found


def _curve(
    start: tuple[float, float], end: tuple[float, float], start_gap: float, end_gap: float
) -> tuple[tuple[float, float], tuple[float, float], tuple[float, float]]:
    """A quadratic curve from start to end bending to its right, cut back by the gaps at either node."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    # Right of the direction of travel on screen (y grows downwards): (−dy, dx).
    cx, cy = (x0 + x1) / 2 - dy / length * CURVE * length, (y0 + y1) / 2 + dx / length * CURVE * length

    def towards(px: float, py: float, gap: float) -> tuple[float, float]:
        vx, vy = cx - px, cy - py
        d = math.hypot(vx, vy) or 1.0
        return px + vx / d * gap, py + vy / d * gap

    return towards(x0, y0, start_gap), (cx, cy), towards(x1, y1, end_gap)


def map_svg(
    nodes: Sequence[str],
    answers: Iterable[EdgeAnswer],
    *,
    title: str,
    description: str,
    min_depth: int = 1,
    seed: int = 1,
    labels: Mapping[str, str] | None = None,
    positions: Mapping[str, tuple[float, float]] | None = None,
    respondents: Iterable[str] | None = None,
    depth_labels: Mapping[int, str] | None = None,
    node_titles: Mapping[str, str] | None = None,
    legend: MapLegend | None = None,
    id_prefix: str = "network-map",
    max_labels: int = 30,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """The map of the ties with depth ≥ min_depth among `nodes`, as SVG markup (see the module docstring).

    `positions` (e.g. from `layout`) must hold every node; without it the layout of these nodes and all their
    answers (every depth ≥ 1, whatever min_depth) with `seed` is used. Answers about agencies outside
    `nodes` are ignored. With more than `max_labels` agencies only the ones with most ties are labelled (the
    others would cover each other; the table beside the map names them all). An agency's tooltip is its
    `node_titles` entry (e.g. its ties in words), else its label.
    """
    answers = list(answers)
    names = list(dict.fromkeys(nodes))
    known = set(names)
    place: Mapping[str, tuple[float, float]] = (
        positions if positions is not None else layout(names, answers, seed, width=width, height=height)
    )
    missing = [name for name in names if name not in place]
    if missing:
        raise ValueError(f"positions lack agencies: {missing!r}")
    labels = labels or {}
    depth_labels = depth_labels or {}
    answered = set(respondents) if respondents is not None else None

    def label(name: str) -> str:
        return labels.get(name, name)

    edges = {
        pair: depth
        for pair, depth in directed_edges(answers, min_depth=min_depth).items()
        if pair[0] in known and pair[1] in known and pair[0] != pair[1]
    }
    neighbours: dict[str, set[str]] = {name: set() for name in names}
    for source, target in edges:
        neighbours[source].add(target)
        neighbours[target].add(source)
    top_degree = max((len(n) for n in neighbours.values()), default=0)

    # Many agencies: smaller circles, so that they still fit side by side.
    room = math.sqrt(width * height / max(len(names), 1))
    largest = min(NODE_RADIUS_MAX, max(NODE_RADIUS_MIN, 0.3 * room))
    smallest = min(NODE_RADIUS_MIN, largest / 2)

    def radius(name: str) -> float:
        if not top_degree:
            return smallest
        share = math.sqrt(len(neighbours[name]) / top_degree)
        return smallest + (largest - smallest) * share

    legend_rows = _legend_rows(legend, answered is not None) if legend else []
    legend_height = 22 * len(legend_rows) + (16 if legend_rows else 0)
    total_height = height + legend_height
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" role="img" '
        f'class="network-map" font-family="DejaVu Sans, Arial, sans-serif" '
        f"aria-labelledby={_attr(f'{title_id} {desc_id}')}>",
        f"<title id={_attr(title_id)}>{_text(title)}</title><desc id={_attr(desc_id)}>{_text(description)}</desc>",
        "<defs>",
    ]
    for depth in sorted(DEPTH_COLOURS):
        parts.append(
            f'<marker id={_attr(f"{id_prefix}-arrow-{depth}")} viewBox="0 0 10 10" refX="9" refY="5" '
            'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{DEPTH_COLOURS[depth]}"/></marker>'
        )
    parts.append("</defs>")
    parts.append('<g class="ties">')
    # Shallow ties first, so the deep ones lie on top; then by name, for the same markup every time.
    for (source, target), depth in sorted(edges.items(), key=lambda item: (item[1], item[0])):
        mutual = (target, source) in edges
        style = depth_style(depth)
        (sx, sy), (cx, cy), (ex, ey) = _curve(place[source], place[target], radius(source) + 1, radius(target) + 2)
        dash = "" if mutual else f' stroke-dasharray="{ONE_WAY_DASH}"'
        name = depth_labels.get(depth, str(depth))
        parts.append(
            f'<path d="M{_n(sx)},{_n(sy)} Q{_n(cx)},{_n(cy)} {_n(ex)},{_n(ey)}" fill="none" '
            f'stroke="{style.colour}" stroke-width="{style.width}"{dash} '
            f'marker-end="url(#{id_prefix}-arrow-{min(max(depth, 1), 5)})" class="tie" '
            f"data-source={_attr(source)} data-target={_attr(target)} "
            f'data-depth="{depth}" data-mutual="{"true" if mutual else "false"}">'
            f"<title>{_text(f'{label(source)} → {label(target)}: {name}')}</title></path>"
        )
    parts.append("</g>")
    radii = {name: radius(name) for name in names}
    # Labels for the agencies with most ties when there are more than max_labels; the others have tooltips.
    labelled = sorted(names, key=lambda n: (-len(neighbours[n]), n))[: max(max_labels, 0)]
    placed_labels = _place_labels(
        labelled, place, radii, {name: _lines(label(name)) for name in labelled}, width, height, obstacles=names
    )
    parts.append('<g class="agencies">')
    for name in sorted(names, key=lambda n: (place[n][1], place[n][0], n)):
        x, y = place[name]
        hollow = answered is not None and name not in answered
        fill = "#ffffff" if hollow else NODE_FILL
        stroke = (
            f'stroke="{NODE_FILL}" stroke-width="2" stroke-dasharray="{NON_RESPONDENT_DASH}"'
            if hollow
            else 'stroke="#ffffff" stroke-width="2"'
        )
        tooltip = node_titles.get(name, label(name)) if node_titles else label(name)
        parts.append(
            f'<g class="agency{" non-respondent" if hollow else ""}" data-agency={_attr(name)}>'
            f"<title>{_text(tooltip)}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(radii[name])}" fill="{fill}" {stroke}/></g>'
        )
    parts.append("</g>")
    # The labels after every circle, so that no circle covers a label; each on a white halo over the ties.
    parts.append(
        f'<g class="labels" font-size="{LABEL_SIZE}" font-weight="600" fill="{TEXT_COLOUR}" stroke="#ffffff" '
        'stroke-width="3" stroke-linejoin="round" paint-order="stroke" text-anchor="middle">'
    )
    line_height = LABEL_SIZE * LINE_SPACING
    for name in sorted(labelled, key=lambda n: (place[n][1], place[n][0], n)):
        text = placed_labels[name]
        spans = "".join(
            f'<tspan x="{_n(text.x)}" y="{_n(text.top + LABEL_SIZE * 0.8 + i * line_height)}">{_text(line)}</tspan>'
            for i, line in enumerate(text.lines)
        )
        parts.append(f"<text data-agency={_attr(name)}>{spans}</text>")
    parts.append("</g>")
    if legend_rows:
        parts.append(_legend_svg(legend_rows, id_prefix, top=height + 8))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class _LegendRow:
    kind: str  # "depth", "mutual", "one_way", "non_respondent"
    text: str
    depth: int = 3


def _legend_rows(legend: MapLegend, with_respondents: bool) -> list[_LegendRow]:
    rows = [_LegendRow("depth", text, depth) for depth, text in sorted(legend.depths.items())]
    rows += [_LegendRow("mutual", legend.mutual), _LegendRow("one_way", legend.one_way)]
    if with_respondents and legend.non_respondent:
        rows.append(_LegendRow("non_respondent", legend.non_respondent))
    return rows


def _legend_svg(rows: list[_LegendRow], id_prefix: str, *, top: float) -> str:
    parts = ['<g class="legend">']
    for index, row in enumerate(rows):
        y = top + 22 * index + 11
        if row.kind == "non_respondent":
            mark = (
                f'<circle cx="34" cy="{_n(y)}" r="7" fill="#ffffff" stroke="{NODE_FILL}" stroke-width="2" '
                f'stroke-dasharray="{NON_RESPONDENT_DASH}"/>'
            )
        else:
            style = depth_style(row.depth)
            dash = f' stroke-dasharray="{ONE_WAY_DASH}"' if row.kind == "one_way" else ""
            mark = (
                f'<line x1="16" y1="{_n(y)}" x2="52" y2="{_n(y)}" stroke="{style.colour}" '
                f'stroke-width="{style.width}"{dash} marker-end="url(#{id_prefix}-arrow-{row.depth})"/>'
            )
        parts.append(
            f'{mark}<text x="64" y="{_n(y + 4.5)}" font-size="{LABEL_SIZE}" fill="{TEXT_COLOUR}">'
            f"{_text(row.text)}</text>"
        )
    parts.append("</g>")
    return "".join(parts)
