"""Swedish number formatting for the interventions' pages: 1 234 567 (non-breaking spaces between thousands)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def sek(value: Any) -> str:
    """An amount in whole kronor with a space between thousands; empty for None."""
    if value is None or value == "":
        return ""
    number = int(Decimal(str(value)))
    return f"{number:,}".replace(",", "\u00a0").replace("-", "\u2212")


@register.filter
def short_agency(name: str) -> str:
    """A municipality's name without " kommun" for narrow column headers ("Sala kommun" → "Sala")."""
    return name.removesuffix(" kommun") if name.endswith(" kommun") and len(name) > len(" kommun") else name
