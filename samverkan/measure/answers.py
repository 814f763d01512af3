"""Validation of one respondent's answers against an instrument's items.

Shared by the web form, the paper import and the demo: one place says what a
valid answer is. Pure: takes item descriptions, returns clean values or
Swedish error messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from samverkan.common.text import control_character, control_character_message, without_control_characters

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
            character = control_character(text)
            if character is not None:
                # NUL cannot be stored in PostgreSQL and no C0 control fits in an XLSX cell: refuse it here.
                errors[spec.code] = control_character_message(character)
            elif len(text) > TEXT_MAX_LENGTH:
                errors[spec.code] = _("Svaret är för långt (högst %(max)s tecken).") % {"max": TEXT_MAX_LENGTH}
            else:
                clean[spec.code] = text
            continue
        number = _code_number(str(value))
        if number is None:
            errors[spec.code] = _("Ogiltigt svar: ”%(value)s”. Ange en siffra.") % {
                "value": without_control_characters(str(value)[:20])
            }
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


# ASCII digits only: str.isdigit() and int() also take "²", "٣" and "1_0", which int() rejects or misreads.
_ASCII_NUMBER = re.compile(r"[0-9]{1,9}")


def _code_number(value: str) -> int | None:
    value = value.strip()
    return int(value) if _ASCII_NUMBER.fullmatch(value) else None


def agency_id_from_form(value: object) -> int | None:
    """The `organisation` choice of the answer form as an id, or None for anything else.

    `"²".isdigit()` is True but `int("²")` raises: only plain ASCII digits (at most 18, so the
    id fits a bigint) count. An id that is not one of the association's agencies is dropped later.
    """
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None
