"""Template filters of the directory: day lists and code labels in Swedish."""

from __future__ import annotations

from django import template

from ..models import BYDAY_CHOICES, Schedule

register = template.Library()

_DAY_ORDER = [code for code, _label in BYDAY_CHOICES]


@register.filter
def days_label(schedule: Schedule) -> str:
    """ "MO,TU,WE,TH,FR" → "måndag–fredag"; "TU,TH" → "tisdag, torsdag"."""
    labels = dict(BYDAY_CHOICES)
    days = [d for d in _DAY_ORDER if d in schedule.days]
    if not days:
        return ""
    indexes = [_DAY_ORDER.index(d) for d in days]
    if len(days) >= 3 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{labels[days[0]]}–{labels[days[-1]]}"
    return ", ".join(str(labels[d]) for d in days)


@register.filter
def labels(codes: list[str] | None, names: dict[str, str]) -> str:
    return ", ".join(names.get(code, code) for code in codes or [])
