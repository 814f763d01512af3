"""The audit trail of participants and roles (django-auditlog), shown on the app's audit page (audit.py).

It says who changed which field of which participant and when. It never holds the identity hash (excluded)
and masks every value: the association's admins read the log, and they see no participant-level data.
Deleting a participant on request removes their entries (participant_services.participant_delete).
"""

from __future__ import annotations

from auditlog.registry import auditlog

from . import audit

MASKED_FIELDS = [
    "consent_date",
    "consent_purpose",
    "gender",
    "age_band",
    "start",
    "end",
    "education",
    "income_start",
    "income_end",
    "end_reason",
    "status_90",
]


def mask_personal_value(value: object) -> str:
    """What the audit trail shows instead of a participant's values: that a field changed, never to what."""
    return "•••"


def register_participant_audit() -> None:
    from .models import InterventionAssignment, Participant

    if Participant not in audit.AUDITED:
        auditlog.register(
            Participant,
            exclude_fields=["identity_hash", "identity_key_id"],
            mask_fields=MASKED_FIELDS,
            mask_callable="samverkan.interventions.participant_audit.mask_personal_value",
        )
        audit.AUDITED.append(Participant)
    audit.register_audited(InterventionAssignment)
