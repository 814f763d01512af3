"""Validation of one respondent's answers against an instrument's items.

Shared by the web form, the paper import and the demo: one place says what a
valid answer is. Pure: takes item descriptions, returns clean values or
Swedish error messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

DONT_KNOW = 9
TEXT_MAX_LENGTH = 4000


@dataclass(frozen=True)
class ItemSpec:
    code: str
    kind: str  # ring | likert | choice | text
    option_count: int = 0  # choice items: codes 1..option_count


def item_specs(items: Iterable[Any]) -> list[ItemSpec]:
    return [ItemSpec(i.code, i.kind, len(i.options) if i.kind == "choice" else 0) for i in items]


def clean_answers(specs: Iterable[ItemSpec], raw: Mapping[str, Any]) -> tuple[dict[str, int | str], dict[str, str]]:
    """Map item code → int code (1–5, 9 = vet ej; choice 1..k) or text. Unanswered items are left out.

    Every question is optional: people may skip what they can't answer.
    """
    clean: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for spec in specs:
        value = raw.get(spec.code)
        if value is None or (isinstance(value, str) and value.strip() == ""):
            continue
        if spec.kind == "text":
            text = str(value).strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[spec.code] = _("Svaret är för långt (högst %(max)s tecken).") % {"max": TEXT_MAX_LENGTH}
            else:
                clean[spec.code] = text
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            errors[spec.code] = _("Ogiltigt svar: ”%(value)s”. Ange en siffra.") % {"value": str(value)[:20]}
            continue
        if spec.kind in ("ring", "likert"):
            if number not in (1, 2, 3, 4, 5, DONT_KNOW):
                errors[spec.code] = _("Ogiltigt svar: %(value)s. Tillåtet är 1–5 eller 9 (vet ej).") % {"value": number}
                continue
        elif spec.kind == "choice" and not 1 <= number <= spec.option_count:
            errors[spec.code] = _("Ogiltigt svar: %(value)s. Tillåtet är 1–%(max)s.") % {
                "value": number,
                "max": spec.option_count,
            }
            continue
        clean[spec.code] = number
    return clean, errors
