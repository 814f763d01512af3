"""Geometry of the portfolio's arrow chart: the permanent share of money and of participants per year.

Pure (no Django): the template draws the SVG from these numbers. The y axis is 0–100 % permanent
operations; each measure is a line through its years, a year with nothing is a gap (never 0 %), and
the money line ends in an arrowhead pointing the way the portfolio moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .portfolio_shares import YearShare

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 20, 44


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    year: int
    percent: int


@dataclass
class Series:
    key: str
    points: list[Point] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # "x,y x,y ..." per run of consecutive known years

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None


@dataclass
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    x_ticks: list[tuple[float, int]]
    y_ticks: list[tuple[float, int]]
    money: Series
    participants: Series
    money_label_y: float = 0.0
    participants_label_y: float = 0.0

    @property
    def empty(self) -> bool:
        return not self.money.points and not self.participants.points


def _y(share: Fraction) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - float(share)), 1)


def arrow_chart(shares: Sequence[YearShare]) -> Chart:
    years = [s.year for s in shares]
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / (len(years) - 1) if len(years) > 1 else 0

    def x(index: int) -> float:
        return round(LEFT + (index * step if len(years) > 1 else plot_width / 2), 1)

    def series(key: str) -> Series:
        out = Series(key)
        run: list[str] = []
        for index, share in enumerate(shares):
            value = getattr(share, key).share_permanent
            if value is None:
                if run:
                    out.segments.append(" ".join(run))
                run = []
                continue
            point = Point(x(index), _y(value), share.year, round(float(value) * 100))
            out.points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            out.segments.append(" ".join(run))
        return out

    money, participants = series("money"), series("participants")
    money_y, participants_y = separate_labels(
        money.last.y if money.last else None, participants.last.y if participants.last else None
    )
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        x_ticks=[(x(i), year) for i, year in enumerate(years)],
        y_ticks=[(_y(Fraction(p, 100)), p) for p in (0, 25, 50, 75, 100)],
        money=money,
        participants=participants,
        money_label_y=money_y,
        participants_label_y=participants_y,
    )


LABEL_GAP = 18.0


def separate_labels(a: float | None, b: float | None) -> tuple[float, float]:
    """The end labels' heights: at their line's last point, pushed apart when closer than a line of text."""
    if a is None or b is None:
        return (a or 0.0, b or 0.0)
    if abs(a - b) >= LABEL_GAP:
        return a, b
    middle = (a + b) / 2
    upper, lower = middle - LABEL_GAP / 2, middle + LABEL_GAP / 2
    # Kept inside the picture: below the top and above the year labels.
    if upper < TOP:
        upper, lower = TOP, TOP + LABEL_GAP
    if lower > HEIGHT - BOTTOM:
        upper, lower = HEIGHT - BOTTOM - LABEL_GAP, HEIGHT - BOTTOM
    return (upper, lower) if a <= b else (lower, upper)
