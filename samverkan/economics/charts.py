"""The socioeconomic charts as SVG strings, for the results page and the PDF alike (pure: no Django).

Plain data in, a complete `<svg>` out, with a `<title>` and a `<desc>` that say what it shows; each chart
stands next to a table with the same figures. Lines differ by dash pattern and marker shape as well as by
colour, and each line is named at its end, so no line is told apart by colour alone. Texts come in already
translated (the caller's gettext); numbers are written the Swedish way (decimal comma, thin-space groups).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), each with its own dash and marker; the
# total alone is a solid, thicker line.
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#1b3a57", "12 3", "circle"),
    ("#b3541e", "6 3", "square"),
    ("#2f7d6a", "2 3", "diamond"),
    ("#7a3e9d", "8 3 2 3", "triangle"),
    ("#8a6d00", "4 4", "circle"),
    ("#a3214e", "10 4", "square"),
    ("#3d4753", "1 3", "diamond"),
)
TOTAL_STYLE = ("#000000", "", "square")
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: Sequence[float]  # one per year, year 1 first
    total: bool = False


@dataclass(frozen=True)
class Bar:
    label: str
    low: float  # the result with the input at its low value
    high: float  # … at its high value


def _attr(text: str) -> str:
    return escape(str(text), quote=True)


def kronor(value: float, *, short: bool = True) -> str:
    """An amount the Swedish way: "1,2 mnkr", "350 tkr", "−40 kr"; `short=False` gives every krona."""
    sign = "−" if value < 0 else ""
    amount = abs(value)
    if not short:
        return f"{sign}{round(amount):,}".replace(",", "\u2009") + " kr"
    if amount >= 1_000_000:
        return f"{sign}{amount / 1_000_000:.1f}".replace(".", ",") + " mnkr"
    if amount >= 10_000:
        return f"{sign}{amount / 1000:.0f} tkr"
    return f"{sign}{amount:.0f} kr"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (and 0)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high - low < 1e-9:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 6))
        value += step
    if ticks[-1] < high:
        ticks.append(ticks[-1] + step)
    return ticks


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        d = f"M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} L{x - 5:.1f} {y:.1f} Z"
        return f'<path d="{d}" fill="{colour}"/>'
    if shape == "triangle":
        d = f"M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z"
        return f'<path d="{d}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def _spread(positions: list[tuple[float, int]], gap: float, top: float, bottom: float) -> dict[int, float]:
    """End labels' heights: each at its line's end, pushed apart to at least `gap`, kept inside the plot."""
    ordered = sorted(positions)
    placed: list[list[float]] = []
    for y, index in ordered:
        y = min(max(y, top), bottom)
        if placed and y - placed[-1][0] < gap:
            y = placed[-1][0] + gap
        placed.append([y, index])
    overflow = placed[-1][0] - bottom if placed else 0
    if overflow > 0:
        for item in placed:
            item[0] -= overflow
    return {int(index): y for y, index in placed}


def cumulative_chart_svg(
    series: Sequence[Series],
    *,
    year_label: str,
    title: str,
    desc: str,
    width: int = 720,
    height: int = 340,
) -> str:
    """Lines of the cumulative discounted result per actor over the years, with a zero line."""
    left, right, top, bottom = 78, 170, 18, 46
    years = max((len(s.values) for s in series), default=0)
    values = [v for s in series for v in s.values]
    ticks = nice_ticks(min(values, default=0.0), max(values, default=0.0))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(index: int) -> float:
        return left + (plot_w * index / (years - 1) if years > 1 else plot_w / 2)

    def y_of(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="cum-title cum-desc" class="econ-chart" {FONT} font-size="12">',
        f'<title id="cum-title">{escape(title)}</title><desc id="cum-desc">{escape(desc)}</desc>',
    ]
    for tick in ticks:
        y = y_of(tick)
        stroke = 'stroke="#3d4753" stroke-width="1.5"' if tick == 0 else 'stroke="#d5dbe1" stroke-width="1"'
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" {stroke}/>')
        parts.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#3d4753">{escape(kronor(tick))}</text>'
        )
    for index in range(years):
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{height - bottom + 18}" text-anchor="middle" fill="#3d4753">'
            f"{index + 1}</text>"
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 8}" text-anchor="middle" fill="#3d4753">'
        f"{escape(year_label)}</text>"
    )
    ends: list[tuple[float, int]] = []
    styled = []
    other = 0
    for index, s in enumerate(series):
        if s.total:
            style = TOTAL_STYLE
        else:
            style = STYLES[other % len(STYLES)]
            other += 1
        styled.append(style)
        if s.values:
            ends.append((y_of(s.values[-1]), index))
    label_y = _spread(ends, 15.0, top + 6, height - bottom)
    for index, s in enumerate(series):
        colour, dash, shape = styled[index]
        points = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(s.values))
        width_attr = "3" if s.total else "2"
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f"<g><title>{escape(s.label)}: {escape(', '.join(kronor(v) for v in s.values))}</title>")
        if len(s.values) > 1:
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width_attr}"{dash_attr}/>'
            )
        parts += [_marker(shape, x_of(i), y_of(v), colour) for i, v in enumerate(s.values)]
        if s.values:
            x_end = x_of(len(s.values) - 1)
            y_label = label_y.get(index, y_of(s.values[-1]))
            weight = ' font-weight="700"' if s.total else ""
            parts.append(
                f'<text x="{x_end + 10:.1f}" y="{y_label + 4:.1f}" fill="{colour}"{weight}>{escape(s.label)}</text>'
            )
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


# The labels' column is 290 px wide at 12 px type; DejaVu Sans (the PDF's font) averages about 7.2 px a
# character, so 36 characters fit where 42 lost their first letters in the PDF.
TORNADO_LABEL_CHARS = 36


def tornado_svg(
    bars: Sequence[Bar],
    *,
    base: float,
    title: str,
    desc: str,
    low_label: str,
    high_label: str,
    width: int = 720,
) -> str:
    """Horizontal bars of the total result with one input at its low and at its high value, largest first."""
    label_w, right, top, row_h = 290, 30, 44, 30
    height = top + row_h * len(bars) + 40
    values = [base] + [v for b in bars for v in (b.low, b.high)]
    ticks = nice_ticks(min(values), max(values), 4)
    low, high = ticks[0], ticks[-1]
    plot_w = width - label_w - right

    def x_of(value: float) -> float:
        return label_w + plot_w * (value - low) / (high - low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="tor-title tor-desc" class="econ-chart" {FONT} font-size="12">',
        f'<title id="tor-title">{escape(title)}</title><desc id="tor-desc">{escape(desc)}</desc>',
        # The key: the low value's bar is hatched, the high value's solid (not told apart by colour alone).
        '<defs><pattern id="tor-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3d9c9"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b3541e" stroke-width="3"/>'
        "</pattern></defs>",
        f'<rect x="{label_w}" y="8" width="14" height="14" fill="url(#tor-hatch)" stroke="#b3541e"/>',
        f'<text x="{label_w + 20}" y="19">{escape(low_label)}</text>',
        f'<rect x="{label_w + 190}" y="8" width="14" height="14" fill="#1b3a57"/>',
        f'<text x="{label_w + 210}" y="19">{escape(high_label)}</text>',
    ]
    for tick in ticks:
        x = x_of(tick)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 6}" y2="{height - 32}" stroke="#d5dbe1"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 16}" text-anchor="middle" fill="#3d4753">{escape(kronor(tick))}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row_h
        name = bar.label if len(bar.label) <= TORNADO_LABEL_CHARS else bar.label[: TORNADO_LABEL_CHARS - 1] + "…"
        parts.append(f"<g><title>{escape(bar.label)}: {escape(kronor(bar.low))} – {escape(kronor(bar.high))}</title>")
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end">{escape(name)}</text>')
        for value, fill in ((bar.low, "url(#tor-hatch)"), (bar.high, "#1b3a57")):
            x0, x1 = sorted((x_of(base), x_of(value)))
            parts.append(
                f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 1):.1f}" height="{row_h - 10}" fill="{fill}"'
                + (' stroke="#b3541e"' if fill.startswith("url") else "")
                + "/>"
            )
        parts.append("</g>")
    x_base = x_of(base)
    parts.append(
        f'<line x1="{x_base:.1f}" x2="{x_base:.1f}" y1="{top - 6}" y2="{height - 32}" stroke="#000" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)
