"""The three-ring picture's geometry: where a level's mean and its change arrow lie. Pure: no Django.

Ring 1 (*Samverkan apart*) is the outer ring, ring 3 (*Integrerad samverkan*)
the centre: moving towards the centre is moving towards integration. A level's
mean on the 1–5 scale is its distance from the centre (5 at the centre, 1 at
the outer edge), so the ring boundaries at 7/3 and 11/3 fall exactly on the
drawn circles. Each level has its own direction (a quarter of the picture);
the arrow runs from the previous round's mean to this round's. rings.py draws
the picture from these numbers (escaping and translated text).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

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


def score_to_radius(score: float, outer: float = OUTER) -> float:
    """5 → centre, 1 → outer edge, linear; 11/3 and 7/3 land on the ring boundaries."""
    clamped = min(max(score, SCALE_MIN), SCALE_MAX)
    return outer * (SCALE_MAX - clamped) / (SCALE_MAX - SCALE_MIN)


def point(level: str, score: float) -> tuple[float, float]:
    return at_radius(level, score_to_radius(score))


def at_radius(level: str, radius: float) -> tuple[float, float]:
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
        return at_radius(marker.level, now + tip), at_radius(marker.level, now + tip + shortest)
    return at_radius(marker.level, now + side * length), at_radius(marker.level, now + side * tip)
