"""The values a participant file may hold, as lookups from what people write to the stored code.

Each table is built from (code, Swedish label) pairs, the shape of a Django `TextChoices.choices`, so the
tables can point at the app's choice lists (vocabulary.py) instead of repeating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

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
    def __init__(self, choices: Iterable[tuple[Any, Any]]) -> None:
        self.choices = [(str(code), str(label)) for code, label in choices]
        self._lookup: dict[str, str] = {}
        for code, label in self.choices:
            for name in (code, *_aliases(label)):
                self._lookup.setdefault(normal_value(name), code)

    def lookup(self, raw: str) -> str | None:
        return self._lookup.get(normal_value(raw))

    def label(self, code: str) -> str:
        return dict(self.choices).get(code, code)

    def allowed(self) -> str:
        return ", ".join(label for _code, label in self.choices)


# Until the app's own choice lists exist these are the lists (issue 11, "Import"; PRODUCT.md's
# IncomeSource); each is one line to point at vocabulary.py's TextChoices.
GENDERS = Vocabulary([("woman", "kvinna"), ("man", "man"), ("other", "annat"), ("unknown", "uppgift saknas")])
AGE_BANDS = Vocabulary(
    [
        ("16-19", "16–19"),
        ("20-24", "20–24"),
        ("25-29", "25–29"),
        ("30-39", "30–39"),
        ("40-49", "40–49"),
        ("50-64", "50–64"),
    ]
)
EDUCATION_LEVELS = Vocabulary(
    [
        ("compulsory", "förgymnasial"),
        ("upper_secondary", "gymnasial"),
        ("post_secondary", "eftergymnasial"),
        ("unknown", "okänd"),
    ]
)
INCOME_SOURCES = Vocabulary(
    [
        ("sickness_benefit", "sjukpenning/rehabiliteringspenning"),
        ("activity_compensation", "aktivitetsersättning"),
        ("sickness_compensation", "sjukersättning"),
        ("unemployment_insurance", "a-kassa"),
        ("activity_support", "aktivitetsstöd/utvecklingsersättning"),
        ("establishment_allowance", "etableringsersättning"),
        ("social_assistance", "försörjningsstöd (ekonomiskt bistånd)"),
        ("employment", "lön/anställning"),
        ("study_allowance", "studiemedel"),
        ("none", "ingen ersättning"),
        ("other", "annan"),
        ("unknown", "okänd"),
    ]
)
END_REASONS = Vocabulary(
    [
        ("work", "arbete"),
        ("studies", "studier"),
        ("job_seeking", "arbetssökande"),
        ("other_intervention", "annan insats"),
        ("illness", "sjukdom"),
        ("moved", "flytt"),
        ("dropped_out", "avbrott"),
        ("other", "annat"),
    ]
)
STATUSES_90_DAYS = Vocabulary(
    [
        ("work", "arbete"),
        ("studies", "studier"),
        ("job_seeking", "arbetssökande"),
        ("other_intervention", "annan insats"),
        ("illness", "sjukdom"),
        ("other", "annat"),
        ("unknown", "okänd"),
    ]
)
