"""The directory's text rules, without Django: folding, typo-tolerant matching, and what names a person.

- `fold` lower-cases and drops accents (å → a, é → e), so "bistand" finds "bistånd".
- `match` scores a query against a document's weighted fields with tolerance for typing errors: a query word
  matches a document word that starts with it ("psykiatr" → "psykiatri", "ekonomisk" → "ekonomiskt"),
  or one close enough by difflib's ratio ("arbetstäning" → "arbetsträning"). This is the search on
  SQLite; PostgreSQL uses full-text search and trigrams instead (directory_selectors).
- `identifying_parts` finds what a de-identified description must not hold: a personnummer (or
  samordningsnummer), a phone number, an e-mail address, a street address.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

# Words that say nothing about a service; a query of only these matches everything by its filters.
STOPWORDS = frozenset(
    {
        "och",
        "i",
        "att",
        "det",
        "som",
        "en",
        "pa",
        "ar",
        "av",
        "for",
        "med",
        "till",
        "den",
        "har",
        "de",
        "inte",
        "om",
        "ett",
        "vi",
        "han",
        "hon",
        "jag",
        "du",
        "man",
        "kan",
        "vill",
        "ska",
        "eller",
        "nar",
        "var",
        "vem",
        "vart",
        "hur",
        "vad",
        "ringer",
        "ringa",
        "hjalp",
        "behover",
        "far",
        "fa",
    }
)

FUZZY_RATIO = 0.8  # difflib ratio a word must reach to count as a misspelling of another
MIN_PREFIX = 4  # a query word this long matches longer words starting with it

_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: "Ekonomiskt Bistånd" → "ekonomiskt bistand"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, stop words and one-letter words left out."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 and w not in STOPWORDS]


@functools.lru_cache(maxsize=1 << 16)
def _pair_score(query_word: str, word: str) -> float:
    """How close one document word is to one query word (cached: a directory's vocabulary is small)."""
    if word == query_word:
        return 1.0
    if len(query_word) >= MIN_PREFIX and word.startswith(query_word):
        return 0.95
    # Another form of the same word ("sjukskriven", "sjukskrivning"): all but the last few letters in common.
    stem = max(MIN_PREFIX + 1, len(query_word) - 3)
    if len(query_word) > stem and word[:stem] == query_word[:stem]:
        return 0.95
    if abs(len(word) - len(query_word)) > 3:
        return 0.0
    # A compound's first part: "arbetstraningen" against "arbetstaning" compares equal lengths first.
    ratio = difflib.SequenceMatcher(None, query_word, word[: len(query_word) + 1]).ratio()
    return max(ratio, difflib.SequenceMatcher(None, query_word, word).ratio())


def _word_score(query_word: str, document_words: frozenset[str]) -> float:
    """1.0 for the word, 0.95 for a word it begins or another form of it, else the closest misspelling's
    ratio when it reaches FUZZY_RATIO, else 0."""
    best = max((_pair_score(query_word, word) for word in document_words), default=0.0)
    return best if best >= FUZZY_RATIO else 0.0


@functools.lru_cache(maxsize=1 << 12)
def _vocabulary(text: str) -> frozenset[str]:
    return frozenset(words(text))


@dataclass(frozen=True)
class Match:
    """Per query word, how closely the document matched it (0: not at all; 1: the word or a word it begins),
    and the weight of the field it matched best in (the name over the needs, the needs over the rest)."""

    closeness: tuple[float, ...]
    weights: tuple[float, ...] = ()

    @property
    def matched(self) -> int:
        return sum(1 for c in self.closeness if c)


EXACT = 0.95  # a word itself or a word it begins; a closer match than any misspelling


def match(query_words: list[str], fields: list[tuple[str, float]]) -> Match:
    """How well a document's fields, each (text, weight), answer the query words."""
    field_words = [(_vocabulary(text), weight) for text, weight in fields]
    closeness, weights = [], []
    for word in query_words:
        scores = [(_word_score(word, vocabulary), weight) for vocabulary, weight in field_words]
        best = max((score for score, _weight in scores), default=0.0)
        # The field that counts: the heaviest where the word is as written, else the heaviest close match.
        floor = EXACT if best >= EXACT else best
        weight = max((w for score, w in scores if score and score >= floor), default=0.0)
        closeness.append(best)
        weights.append(weight)
    return Match(tuple(closeness), tuple(weights))


def best_matches(scored: list[tuple[object, Match]]) -> list[object]:
    """The documents matching the most query words, best first: a typo in one word still finds the rest.

    A word some document has as written ("beroende") no longer counts as a misspelling of another
    ("boende") in the others: tolerance is for words nobody wrote.
    """
    if not scored:
        return []
    words_count = len(scored[0][1].closeness)
    exact_somewhere = [any(m.closeness[i] >= EXACT for _item, m in scored) for i in range(words_count)]

    def counted(m: Match) -> list[float]:
        return [
            c * (m.weights[i] if m.weights else 1.0)
            for i, c in enumerate(m.closeness)
            if c and (c >= EXACT or not exact_somewhere[i])
        ]

    found = [(item, counted(m)) for item, m in scored]
    found = [(item, hits) for item, hits in found if hits]
    if not found:
        return []
    most = max(len(hits) for _item, hits in found)
    best = [(item, sum(hits)) for item, hits in found if len(hits) == most]
    best.sort(key=lambda pair: -pair[1])
    return [item for item, _score in best]


# --- what names a person ------------------------------------------------------------------------------------

PERSONNUMMER = re.compile(r"(?<![\d-])(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01])[-+ ]?\d{4}(?![\d-])")
PHONE = re.compile(r"(?<![\d\w])(?:\+46[\s-]?|0)\d{1,3}(?:[\s-]?\d){5,8}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
STREET = re.compile(
    r"\b\w+(?:gatan|vägen|vagen|gränd|grand|torget|stigen|backen|allén|allen|plan|leden)\s+\d+\s?[a-zA-Z]?\b",
    re.IGNORECASE,
)


def identifying_parts(text: str) -> list[str]:
    """The kinds of identifying detail found, in a fixed order: personnummer, telefon, e-post, adress."""
    found = []
    rest = text
    if PERSONNUMMER.search(rest):
        found.append("personnummer")
        rest = PERSONNUMMER.sub(" ", rest)
    if PHONE.search(rest):
        found.append("telefon")
    if EMAIL.search(rest):
        found.append("e-post")
    if STREET.search(rest):
        found.append("adress")
    return found


# Municipality names whose last "s" is their own, not a genitive ("Vännäs kommun", "Kramfors kommun").
_OWN_S = ("näs", "ås", "fors", "ums", "vös", "ås", "os")


def municipality_of(agency_name: str) -> str:
    """The municipality's own name from its agency's: "Norbergs kommun" → "Norberg", "Sala kommun" → "Sala"."""
    name = agency_name.strip()
    for suffix in (" kommun", " stad", " Kommun", " Stad"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            if name.endswith("s") and not name.endswith(_OWN_S):
                name = name[:-1]
            return name
    return name
