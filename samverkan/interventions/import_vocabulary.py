"""The values a participant file may hold, as lookups from what people write to the stored code.

Each table is built from the app's choice lists (vocabulary.py, the model's choices): codes and Swedish labels
are matched as vocabulary.parse_choice does, plus a label's parts, through a dictionary built once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils import translation

from .vocabulary import AgeBand, Education, EndReason, Gender, IncomeSource

_DASHES = re.compile("[\u2010-\u2015\u2212]")


def normal_value(text: str) -> str:
    """Lower case, one space between words, any dash as "-": how a file's value is compared."""
    return " ".join(_DASHES.sub("-", str(text)).strip().lower().split())


def _aliases(label: str) -> list[str]:
    """The label, its parts around "/" and its parenthesis: "försörjningsstöd (ekonomiskt bistånd)" also
    matches "försörjningsstöd" and "ekonomiskt bistånd"."""
    names = [label]
    inner = re.findall(r"\(([^)]*)\)", label)
    outer = re.sub(r"\s*\([^)]*\)", "", label).strip()
    names += [outer, *inner]
    for name in (outer, *inner):
        if "/" in name:
            names += [part.strip() for part in name.split("/")]
    return [name for name in names if name]


class Vocabulary:
    """A dictionary lookup (a file has 100,000 rows), built on first use from the Swedish labels: a file is
    written in Swedish whatever language the page is shown in."""

    def __init__(self, choices: type[models.TextChoices] | Iterable[tuple[Any, Any]]) -> None:
        self._source = choices
        self._choices: list[tuple[str, str]] | None = None
        self._lookup: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}

    @property
    def choices(self) -> list[tuple[str, str]]:
        if self._choices is None:
            source = self._source
            pairs = source.choices if isinstance(source, type) else source
            with translation.override("sv"):
                self._choices = [(str(code), str(label)) for code, label in pairs]
            for code, label in self._choices:
                for name in (code, code.replace("_", " "), *_aliases(label)):
                    self._lookup.setdefault(normal_value(name), code)
        return self._choices

    def lookup(self, raw: str) -> str | None:
        # A file repeats a handful of spellings 100,000 times: each is normalised once.
        try:
            return self._seen[raw]
        except KeyError:
            pass
        if self._choices is None:
            self.choices  # noqa: B018 — builds the lookup
        code = self._lookup.get(normal_value(raw))
        if len(self._seen) < 10_000:
            self._seen[raw] = code
        return code

    def label(self, code: str) -> str:
        return dict(self.choices).get(code, code)

    def allowed(self) -> str:
        return ", ".join(label for _code, label in self.choices)


# The app's choice lists (vocabulary.py). The status 90 days after is an income source, as in the model.
GENDERS = Vocabulary(Gender)
AGE_BANDS = Vocabulary(AgeBand)
EDUCATION_LEVELS = Vocabulary(Education)
INCOME_SOURCES = Vocabulary(IncomeSource)
END_REASONS = Vocabulary(EndReason)
STATUSES_90_DAYS = INCOME_SOURCES
