"""The big screen's word cloud: Swedish lemmas counted, then laid out without overlaps. Pure: no Django.

Counting: every answer is split into words, each word is lemmatised with simplemma
("myndigheterna" → "myndighet") and dropped when the word or its lemma is a Swedish
stop word (stopwordsiso). A lemma counts once per answer (how many answers use it, not
how often one answer repeats it), so one long answer cannot fill the cloud.

Layout: words sorted by count, then alphabetically (so the same answers give the same
picture); the font size grows with the square root of the count; each word is tried at
points along an Archimedean spiral from the centre and placed at the first point where
its box, with a margin, overlaps no box already placed and stays inside the picture. A word
that finds no place is left out (the list beside the cloud has every answer). The SVG
pins each word to its box with `textLength`, so the drawn text can never be wider than the
box the layout checked, whatever font the screen has.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from html import escape

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MIN_LENGTH = 2


_ready = threading.Event()
_started = threading.Lock()
_starting = False


def warm() -> None:
    """Loads simplemma's Swedish dictionary (seconds on a busy machine) and the stop words, once per process."""
    lemma("myndigheterna")
    stopwords()
    _ready.set()


def is_warm() -> bool:
    return _ready.is_set()


def warm_in_background() -> None:
    """Starts `warm` in a thread, once: a screen never waits for the dictionary (its list comes first)."""
    global _starting
    with _started:
        if _starting or _ready.is_set():
            return
        _starting = True
    threading.Thread(target=warm, name="wordcloud-warm", daemon=True).start()


@cache
def stopwords() -> frozenset[str]:
    import stopwordsiso

    return frozenset(stopwordsiso.stopwords("sv"))


@cache
def lemma(word: str) -> str:
    import simplemma

    return str(simplemma.lemmatize(word, lang="sv")).lower()


@functools.lru_cache(maxsize=20_000)
def _lemmas_cached(text: str) -> tuple[str, ...]:
    return tuple(_lemmas(text))


def lemmas_of(text: str) -> list[str]:
    """The answer's content lemmas, in order, each once (cached per text: a screen recounts every few seconds)."""
    return list(_lemmas_cached(text))


def _lemmas(text: str) -> list[str]:
    stop = stopwords()
    seen: list[str] = []
    for match in WORD.finditer(text.lower()):
        word = match.group(0)
        if len(word) < MIN_LENGTH or word in stop:
            continue
        base = lemma(word)
        if len(base) < MIN_LENGTH or base in stop or base in seen:
            continue
        seen.append(base)
    return seen


def lemma_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(lemmas_of(text))
    return counts


def top_lemmas(texts: Iterable[str], *, limit: int = 40, exclude: Iterable[str] = ()) -> list[tuple[str, int]]:
    """The `limit` most used lemmas, by count then alphabetically: deterministic.

    `exclude`: lemmas left out, e.g. the question's own (they are in every answer and say nothing about them).
    """
    left_out = set(exclude)
    counts = [(word, count) for word, count in lemma_counts(texts).items() if word not in left_out]
    return sorted(counts, key=lambda item: (-item[1], item[0]))[:limit]


@dataclass(frozen=True)
class Placed:
    text: str
    count: int
    x: float  # left edge of the box
    y: float  # top edge of the box
    width: float
    height: float
    font_size: float

    def overlaps(self, other: Placed, margin: float = 0.0) -> bool:
        return not (
            self.x + self.width + margin <= other.x
            or other.x + other.width + margin <= self.x
            or self.y + self.height + margin <= other.y
            or other.y + other.height + margin <= self.y
        )


CHAR_WIDTH = 0.62  # of the font size: a generous average for a bold sans-serif
LINE_HEIGHT = 1.15
MARGIN = 6.0


def layout(
    words: list[tuple[str, int]],
    width: float,
    height: float,
    *,
    min_font: float = 22.0,
    max_font: float = 96.0,
    step: float = 0.35,
    tries: int = 4000,
) -> list[Placed]:
    """Boxes for the words, biggest first, none overlapping, all inside width × height."""
    if not words:
        return []
    ordered = sorted(words, key=lambda item: (-item[1], item[0]))
    top = max(count for _w, count in ordered)
    bottom = min(count for _w, count in ordered)
    placed: list[Placed] = []
    boxes: list[tuple[float, float, float, float]] = []  # (left, top, right, bottom) with the margin added
    cx, cy = width / 2, height / 2
    stretch = width / height  # a wider spiral than it is tall: screens are landscape
    last_hit: tuple[float, float, float, float] | None = None  # what blocked the last try usually blocks the next
    for text, count in ordered:
        share = 1.0 if top == bottom else (math.sqrt(count) - math.sqrt(bottom)) / (math.sqrt(top) - math.sqrt(bottom))
        size = min_font + (max_font - min_font) * share
        # Shrink a word that could never fit the picture's width.
        size = min(size, (width - 2 * MARGIN) / max(1, len(text)) / CHAR_WIDTH)
        w, h = round(len(text) * size * CHAR_WIDTH, 1), round(size * LINE_HEIGHT, 1)
        for i in range(tries):
            angle = i * step
            radius = 4.0 * angle
            x = round(cx + radius * math.cos(angle) * stretch - w / 2, 1)
            y = round(cy + radius * math.sin(angle) - h / 2, 1)
            if x < 0 or y < 0 or x + w > width or y + h > height:
                if radius > width:
                    break
                continue
            right, below = x + w + MARGIN, y + h + MARGIN
            if last_hit is not None and not (
                right <= last_hit[0] or last_hit[2] <= x or below <= last_hit[1] or last_hit[3] <= y
            ):
                continue
            last_hit = next(
                (b for b in boxes if not (right <= b[0] or b[2] <= x or below <= b[1] or b[3] <= y)),
                None,
            )
            if last_hit is None:
                placed.append(Placed(text, count, x, y, w, h, round(size, 1)))
                boxes.append((x, y, x + w + MARGIN, y + h + MARGIN))
                break
    return placed


# Light on near-black: every colour has a contrast ratio of at least 7:1 against the background.
BACKGROUND = "#0b0d12"
COLOURS = ("#ffffff", "#ffd866", "#a9dc76", "#78dce8", "#fc9ec0")


def render_svg(placed: list[Placed], width: float, height: float, *, title: str, label_id: str = "") -> str:
    """An SVG picture of the placed words; the answer list beside it is its text alternative."""
    described = f' aria-describedby="{escape(label_id)}"' if label_id else ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'class="wordcloud" aria-labelledby="wordcloud-title"{described}>',
        f'<title id="wordcloud-title">{escape(title)}</title>',
        f'<rect width="{width:g}" height="{height:g}" fill="{BACKGROUND}"/>',
    ]
    for index, box in enumerate(placed):
        colour = COLOURS[index % len(COLOURS)]
        baseline = box.y + box.height * 0.8
        parts.append(
            f'<text x="{box.x:g}" y="{baseline:.1f}" font-size="{box.font_size:g}" font-weight="700" '
            f'font-family="system-ui, sans-serif" fill="{colour}" textLength="{box.width:g}" '
            f'lengthAdjust="spacingAndGlyphs">{escape(box.text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
