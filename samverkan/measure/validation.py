"""Rules for free text shared by the measure writes (campaigns, instruments)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.common.text import control_character, control_character_message


def text_errors(errors: dict[str, list[str]], field: str, value: str, *, required: bool = True) -> None:
    """Empty (when required) or control characters: refused here, whatever form or API sent it."""
    if required and not value.strip():
        errors.setdefault(field, []).append(_("Fältet måste fyllas i."))
    character = control_character(value)
    if character is not None:
        errors.setdefault(field, []).append(control_character_message(character))
