"""Small SVG charts for the results page and the PDF (no JavaScript, no inline styles).

Every chart is decorative next to a table that says the same, so each has a
<title> for the curious and the tables carry the figures for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Answer 1–5 coloured by ring: 1–2 ring 1, 3 ring 2, 4–5 ring 3 (dark text contrast checked on each).
VALUE_FILLS = {1: "#e9dcc3", 2: "#d9c49b", 3: "#a9cbdc", 4: "#6fae9d", 5: "#2f7d6a"}
RING_FILLS = {1: "#d9c49b", 2: "#a9cbdc", 3: "#2f7d6a"}


def distribution_svg(counts: Mapping[int, int], *, label: str, width: int = 220, height: int = 18) -> SafeString:
    """One stacked bar of the answers 1–5 (shares), with a title listing the counts."""
    n = sum(counts.get(v, 0) for v in range(1, 6))
    if n == 0:
        return mark_safe("")
    parts = []
    x = 0.0
    for value in range(1, 6):
        count = counts.get(value, 0)
        if not count:
            continue
        w = width * count / n
        parts.append((f"{x:.1f}", f"{w:.1f}", height, VALUE_FILLS[value], f"{value}: {count}"))
        x += w
    bars = format_html_join(
        "",
        '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        parts,
    )
    summary = ", ".join(f"{v}: {counts.get(v, 0)}" for v in range(1, 6))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="dist" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{aria}"><title>{aria}</title>{bars}</svg>',
        w=width,
        h=height,
        aria=_("Fördelning för %(label)s: %(summary)s") % {"label": label, "summary": summary},
        bars=bars,
    )


def benchmark_strip_svg(
    others: Sequence[float], own: float | None, *, label: str, width: int = 320, height: int = 44
) -> SafeString:
    """The others' means as ticks on the 1–5 scale with the ring bands behind, and our own as a diamond."""
    pad = 10
    span = width - 2 * pad

    def x_of(score: float) -> float:
        return pad + span * (min(max(score, 1), 5) - 1) / 4

    bands = format_html_join(
        "",
        '<rect x="{}" y="8" width="{}" height="22" fill="{}" opacity="0.55"/>',
        [
            (f"{x_of(1):.1f}", f"{x_of(7 / 3) - x_of(1):.1f}", RING_FILLS[1]),
            (f"{x_of(7 / 3):.1f}", f"{x_of(11 / 3) - x_of(7 / 3):.1f}", RING_FILLS[2]),
            (f"{x_of(11 / 3):.1f}", f"{x_of(5) - x_of(11 / 3):.1f}", RING_FILLS[3]),
        ],
    )
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="10" y2="28" stroke="#3d4753" stroke-width="2"/>',
        [(f"{x_of(v):.1f}", f"{x_of(v):.1f}") for v in others],
    )
    own_mark = mark_safe("")
    if own is not None:
        x = x_of(own)
        own_mark = format_html(
            '<path d="M{} 5 L{} 19 L{} 33 L{} 19 Z" fill="#1b3a57" stroke="#fff" stroke-width="1.5"/>',
            f"{x:.1f}",
            f"{x + 8:.1f}",
            f"{x:.1f}",
            f"{x - 8:.1f}",
        )
    axis = format_html_join(
        "",
        '<text x="{}" y="43" text-anchor="middle" class="axis">{}</text>',
        [(f"{x_of(v):.1f}", v) for v in range(1, 6)],
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="strip" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{aria}"><title>{aria}</title>{bands}{ticks}{own}{axis}</svg>',
        w=width,
        h=height,
        aria=label,
        bands=bands,
        ticks=ticks,
        own=own_mark,
        axis=axis,
    )
