"""The audit trail of interventions (django-auditlog): who changed what, and when.

`register_audited_models()` runs from apps.py. Other parts of the app register their own models
with `register_audited(Model, exclude_fields=[...])`. A participant's identity-number hash (and any
other field that could identify a person) MUST be listed in `exclude_fields`: auditlog stores the
old and new value of every field it tracks, so a tracked hash field would put it in the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from auditlog.registry import auditlog

# The models of this app that are audited: every log entry of these content types is the app's log.
AUDITED: list[type[Any]] = []


def register_audited(model: type[Any], *, exclude_fields: Sequence[str] = (), m2m_fields: Sequence[str] = ()) -> None:
    """Audit `model`; `exclude_fields` are never written to the log (identity-number hashes belong here)."""
    if model not in AUDITED:
        auditlog.register(model, exclude_fields=list(exclude_fields), m2m_fields=set(m2m_fields))
        AUDITED.append(model)


def register_audited_models() -> None:
    from .models import Financing, InKind, Intervention, VolumeCount

    register_audited(Intervention, exclude_fields=["created"], m2m_fields=["agencies", "campaigns"])
    register_audited(Financing)
    register_audited(InKind)
    register_audited(VolumeCount)
