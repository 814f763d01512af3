"""Geometry of the integration-and-return scatter: one point per intervention (issue 12).

Pure (no Django): the template draws the SVG from these numbers, the table beside it gives the same
figures. x is the integration level, the mean ring score 1–5 of the intervention's staff and
participants (ring 1 below 7/3, ring 2 up to 11/3, ring 3 above, drawn as three bands); y is the
return ratio (gain / cost, all actors together) from 0 to a rounded maximum, with the break-even line
at 1. A point without both values is not drawn (the table says why).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 520
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 62, 16, 16, 58
SCORE_LOW, SCORE_HIGH = 1.0, 5.0
RING_BOUNDS = (7 / 3, 11 / 3)
BAND_FILLS = ("#f4f6f9", "#e9eef5", "#dde6f1")  # ring 1 to 3, light enough for dark text on each


@dataclass(frozen=True)
class Entry:
    """One intervention's values, as the selector gives them (None: no value)."""

    key: str
    label: str
    integration: float | None
    ratio: float | None


@dataclass(frozen=True)
class Dot:
    key: str
    number: int  # the point's number in the chart and the table (1, 2, …)
    label: str
    x: float
    y: float
    label_x: float
    anchor: str  # "start" or "end": the number's side, kept inside the picture


@dataclass(frozen=True)
class Band:
    x: float
    y: float
    width: float
    height: float
    ring: int
    label_x: float
    fill: str


@dataclass(frozen=True)
class Scatter:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, str]]
    bands: list[Band]
    break_even_y: float | None
    dots: list[Dot]
    x_label_x: float
    y_label_y: float

    @property
    def empty(self) -> bool:
        return not self.dots


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (at least 2, so break-even sits inside)."""
    value = max(value, 2.0)
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value - 1e-12:
            return float(step * power)
    return float(10 * power)  # pragma: no cover - the loop always returns


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def scatter(entries: Sequence[Entry]) -> Scatter:
    plot_left, plot_right = LEFT, WIDTH - RIGHT
    plot_top, plot_bottom = TOP, HEIGHT - BOTTOM
    shown = [e for e in entries if e.integration is not None and e.ratio is not None]
    top_value = nice_ceiling(max((float(e.ratio) for e in shown if e.ratio is not None), default=2.0) * 1.1)

    def x(score: float) -> float:
        clamped = min(max(score, SCORE_LOW), SCORE_HIGH)
        return round(plot_left + (plot_right - plot_left) * (clamped - SCORE_LOW) / (SCORE_HIGH - SCORE_LOW), 1)

    def y(ratio: float) -> float:
        clamped = min(max(ratio, 0.0), top_value)
        return round(plot_bottom - (plot_bottom - plot_top) * clamped / top_value, 1)

    edges = [SCORE_LOW, *RING_BOUNDS, SCORE_HIGH]
    bands = [
        Band(
            x=x(lo),
            y=plot_top,
            width=round(x(hi) - x(lo), 1),
            height=plot_bottom - plot_top,
            ring=ring,
            label_x=round((x(lo) + x(hi)) / 2, 1),
            fill=BAND_FILLS[ring - 1],
        )
        for ring, (lo, hi) in enumerate(itertools.pairwise(edges), start=1)
    ]
    dots = []
    for number, entry in enumerate(entries, start=1):
        if entry.integration is None or entry.ratio is None:
            continue
        px, py = x(entry.integration), y(entry.ratio)
        right_side = px < plot_right - 30
        dots.append(
            Dot(
                key=entry.key,
                number=number,
                label=entry.label,
                x=px,
                y=py,
                label_x=round(px + 9 if right_side else px - 9, 1),
                anchor="start" if right_side else "end",
            )
        )
    steps = 4
    return Scatter(
        width=WIDTH,
        height=HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=[(x(float(s)), s) for s in range(1, 6)],
        y_ticks=[(y(top_value * i / steps), _fmt(top_value * i / steps)) for i in range(steps + 1)],
        bands=bands,
        break_even_y=y(1.0),
        dots=dots,
        x_label_x=round((plot_left + plot_right) / 2, 1),
        y_label_y=round((plot_top + plot_bottom) / 2, 1),
    )
