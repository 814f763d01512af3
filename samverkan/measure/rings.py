"""The three-ring picture as our own SVG.

Ring 1 (*Samverkan apart*) is the outer ring, ring 3 (*Integrerad samverkan*)
the centre: moving towards the centre is moving towards integration. A level's
mean on the 1–5 scale is its distance from the centre (5 at the centre, 1 at
the outer edge), so the ring boundaries at 7/3 and 11/3 fall exactly on the
drawn circles. Each level has its own direction (a quarter of the picture);
the arrow runs from the previous round's mean to this round's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import gettext as _

from .stats import SCALE_MAX, SCALE_MIN

SIZE = 480
CENTRE = SIZE / 2
OUTER = 200.0
MARGIN_X = 90  # room for the level names beside the rings
# Each level's direction, clockwise from the top-left: personal, team, organisation, society.
ANGLES = {"personal": 225.0, "team": 315.0, "organisation": 45.0, "society": 135.0}
RING_FILLS = ("#f3ede1", "#d8e8ef", "#9fc9bd")
DOT_RADIUS = 8.0
DOT_STROKE = 2.0
# An arrow is never shorter than this (viewBox units, about 14 px on a phone): a change of 0,07 on the
# scale is 3–4 units and vanished under the dot. Its tip stops at the dot's edge; its tail is the previous
# round's mean, or further back along the axis when the change is smaller than this.
MIN_ARROW_LENGTH = 28.0
ARROW_GAP = 2.0


@dataclass(frozen=True)
class ChangeStyle:
    """How a change since the previous round looks, the same in the picture, its legend and the tables."""

    colour: str
    symbol: str
    dasharray: str = ""


# up = a certain move inwards (towards ring 3), down = a certain move outwards, none = the interval covers 0.
# The colours are the tables' (.momentum-up/-down/-none in the stylesheet): ≥ 4.5:1 on white, ≥ 3:1 on each ring.
CHANGE_STYLES = {
    "up": ChangeStyle("#17663f", "↑"),
    "down": ChangeStyle("#b42318", "↓"),
    "none": ChangeStyle("#4f5b69", "≈", "5 3"),
}


@dataclass(frozen=True)
class LevelMarker:
    level: str
    label: str
    mean: float | None
    target_mean: float | None = None
    previous_mean: float | None = None
    suppressed: bool = False
    change_detectable: bool = False


# Characters XML 1.0 forbids even as references (control characters, lone surrogates, U+FFFE/U+FFFF).
# A campaign name pasted with such a character would otherwise make the picture unreadable as a
# standalone SVG file (the PDF embeds it as a data: URI, which is parsed as strict XML).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(text: object) -> str:
    """Text for the picture without characters XML cannot carry; already-safe markup stays safe."""
    cleaned = _NOT_XML.sub("", str(text))
    return mark_safe(cleaned) if isinstance(text, SafeData) else cleaned  # noqa: S308 — was safe already


def score_to_radius(score: float, outer: float = OUTER) -> float:
    """5 → centre, 1 → outer edge, linear; 11/3 and 7/3 land on the ring boundaries."""
    clamped = min(max(score, SCALE_MIN), SCALE_MAX)
    return outer * (SCALE_MAX - clamped) / (SCALE_MAX - SCALE_MIN)


def _point(level: str, score: float) -> tuple[float, float]:
    return _at_radius(level, score_to_radius(score))


def _at_radius(level: str, radius: float) -> tuple[float, float]:
    angle = math.radians(ANGLES.get(level, 0.0))
    # SVG y grows downwards; angles count clockwise from "east" on screen.
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def change_kind(marker: LevelMarker) -> str:
    """ "up", "down" or "none" for a marker with a previous round (see CHANGE_STYLES)."""
    if not marker.change_detectable or marker.previous_mean is None or marker.mean is None:
        return "none"
    return "up" if marker.mean > marker.previous_mean else "down"


def arrow_ends(marker: LevelMarker) -> tuple[tuple[float, float], tuple[float, float]]:
    """Tail and tip of the change arrow along the level's axis: the tip at the dot's edge, never too short."""
    assert marker.mean is not None and marker.previous_mean is not None
    now = score_to_radius(marker.mean)
    before = score_to_radius(marker.previous_mean)
    side = 1.0 if before >= now else -1.0  # the tail lies outwards of the dot for a move inwards
    tip = DOT_RADIUS + DOT_STROKE / 2 + ARROW_GAP
    # Coordinates are written with one decimal: a little slack keeps the drawn arrow at its minimum length.
    shortest = MIN_ARROW_LENGTH + 0.2
    length = max(abs(before - now), tip + shortest)
    if now + side * length < 0:
        # A small move outwards close to the centre: no room for the tail on this level's axis, so the arrow
        # leaves the dot outwards instead (still pointing the way the level moved, never into another quarter).
        return _at_radius(marker.level, now + tip), _at_radius(marker.level, now + tip + shortest)
    return _at_radius(marker.level, now + side * length), _at_radius(marker.level, now + side * tip)


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def ring_picture_svg(markers: Sequence[LevelMarker], *, title: str, description: str = "") -> SafeString:
    # Only the numbers inside the picture: the names don't fit the inner ring and would hide the targets.
    # The text beside the picture (and its <desc>) names them.
    ring_names = tuple(_("Ring %(n)s") % {"n": n} for n in (1, 2, 3))
    parts: list[str] = []
    arrows: list[str] = []
    for index, fill in enumerate(RING_FILLS):
        radius = OUTER * (3 - index) / 3
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#5b6770" stroke-width="1.5"/>',
                _fmt(CENTRE),
                _fmt(CENTRE),
                _fmt(radius),
                fill,
            )
        )
    # Ring names along the vertical axis, each inside its own band.
    for index, name in enumerate(ring_names):
        y = CENTRE - OUTER * (3 - index) / 3 + 24  # near the top of its band, on the free vertical axis
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="ring-name" font-size="15" font-weight="600" '
                'fill="#1b2430">{}</text>',
                _fmt(CENTRE),
                _fmt(y),
                name,
            )
        )
    # Level axes.
    for level in ANGLES:
        end = _point(level, SCALE_MIN)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#5b6770" stroke-dasharray="3 4" stroke-width="1"/>',
                _fmt(CENTRE),
                _fmt(CENTRE),
                _fmt(end[0]),
                _fmt(end[1]),
            )
        )
    for marker in markers:
        label = _xml_text(marker.label)
        edge_x, edge_y = _point(marker.level, SCALE_MIN - 0.5)
        anchor = "end" if edge_x < CENTRE else "start"
        label_y = edge_y - 6 if edge_y < CENTRE else edge_y + 16
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" class="level-name" font-size="17" font-weight="700" '
                'fill="#1b2430">{}</text>',
                _fmt(edge_x),
                _fmt(label_y),
                anchor,
                label if not marker.suppressed else _("%(level)s (dold)") % {"level": label},
            )
        )
        if marker.suppressed or marker.mean is None:
            continue
        x, y = _point(marker.level, marker.mean)
        if marker.target_mean is not None:
            tx, ty = _point(marker.level, marker.target_mean)
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="9" fill="none" stroke="#1b3a57" stroke-width="2.5" '
                    'stroke-dasharray="4 3" class="target"><title>{}</title></circle>',
                    _fmt(tx),
                    _fmt(ty),
                    _("Mål om två år, %(level)s: %(mean)s") % {"level": label, "mean": f"{marker.target_mean:.2f}"},
                )
            )
        if marker.previous_mean is not None and abs(marker.previous_mean - marker.mean) > 0.01:
            kind = change_kind(marker)
            style = CHANGE_STYLES[kind]
            (px, py), (ax, ay) = arrow_ends(marker)
            dash = format_html(' stroke-dasharray="{}"', style.dasharray) if style.dasharray else ""
            # Drawn after all dots (SVG paints in order), on a white halo so that it stands out on every ring.
            arrows.append(
                format_html(
                    '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#ffffff" stroke-width="7" '
                    'stroke-linecap="round" class="arrow-halo"/>'
                    '<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="3"{dash} '
                    'marker-end="url(#arrowhead-{kind})" class="arrow" data-change="{kind}">'
                    "<title>{title}</title></line>",
                    x1=_fmt(px),
                    y1=_fmt(py),
                    x2=_fmt(ax),
                    y2=_fmt(ay),
                    colour=style.colour,
                    dash=dash,
                    kind=kind,
                    title=(
                        _("Säkerställd förflyttning sedan förra omgången, %(level)s: %(previous)s → %(mean)s")
                        if kind != "none"
                        else _("Ingen säkerställd förändring sedan förra omgången, %(level)s: %(previous)s → %(mean)s")
                    )
                    % {"level": label, "previous": f"{marker.previous_mean:.2f}", "mean": f"{marker.mean:.2f}"},
                )
            )
        parts.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" fill="#1b3a57" stroke="#fff" stroke-width="{}" class="marker">'
                "<title>{}</title></circle>",
                _fmt(x),
                _fmt(y),
                _fmt(DOT_RADIUS),
                _fmt(DOT_STROKE),
                _("%(level)s i dag: %(mean)s") % {"level": label, "mean": f"{marker.mean:.2f}"},
            )
        )
    parts.extend(arrows)
    defs = format_html(
        "<defs>{}</defs>",
        format_html_join(
            "",
            '<marker id="arrowhead-{}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="4" markerHeight="4" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{}"/></marker>',
            ((kind, style.colour) for kind, style in CHANGE_STYLES.items()),
        ),
    )
    body = format_html_join("", "{}", ((mark_safe(p),) for p in parts))  # noqa: S308 — built with format_html
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="{} 0 {} {}" role="img" class="ring-picture" '
        'font-family="DejaVu Sans, Arial, sans-serif" '
        'aria-labelledby="ring-title ring-desc"><title id="ring-title">{}</title><desc id="ring-desc">{}</desc>'
        "{}{}</svg>",
        -MARGIN_X,
        SIZE + 2 * MARGIN_X,
        SIZE,
        _xml_text(title),
        _xml_text(description),
        defs,
        body,
    )
