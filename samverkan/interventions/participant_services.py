"""Writes for participants: register with consent, edit, end, delete on request, anonymous counts, role assignments.

Business rules refuse with `ServiceError` (Swedish, per field). A personal identity number enters only as an
argument, is hashed at once (identity.py) and is never stored, logged or put in an error message.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError

from . import identity
from .models import AnonymousParticipation, AssignmentRole, Intervention, InterventionAssignment, Participant

PARTICIPANT_FIELDS = (
    "code",
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
)


def new_code() -> str:
    """A pseudonymous code that says nothing about the person: D- and eight random letters and digits."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "D-" + "".join(secrets.choice(alphabet) for _i in range(8))


def _check(intervention: Intervention, data: dict[str, Any], *, instance: Participant | None = None) -> None:
    errors: dict[str, str] = {}
    start, end = data.get("start"), data.get("end")
    if start and intervention.start and start < intervention.start:
        errors["start"] = _("Startdatum kan inte vara före insatsens start.")
    if start and intervention.end and start > intervention.end:
        errors["start"] = _("Startdatum kan inte vara efter insatsens slut.")
    if start and end and end < start:
        errors["end"] = _("Slutdatum kan inte vara före startdatum.")
    if end and end > datetime.date.today():
        errors["end"] = _("Slutdatum kan inte ligga i framtiden.")
    if end and not data.get("income_end"):
        errors["income_end"] = _("Ange försörjning vid avslut.")
    if end and not data.get("end_reason"):
        errors["end_reason"] = _("Ange avslutsorsak.")
    if not end and (data.get("income_end") or data.get("end_reason") or data.get("status_90")):
        errors["end"] = _("Ange slutdatum när försörjning vid avslut eller avslutsorsak är ifyllda.")
    consent = data.get("consent_date")
    if consent and start and consent > max(start, datetime.date.today()):
        errors["consent_date"] = _("Samtycket kan inte vara lämnat i framtiden.")
    if not data.get("consent_purpose", "").strip():
        errors["consent_purpose"] = _("Ange samtyckets ändamål.")
    code = data.get("code") or ""
    taken = Participant.objects.filter(intervention=intervention, code=code)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if code and taken.exists():
        errors["code"] = _("Det finns redan en deltagare med den koden i insatsen.")
    if errors:
        raise ServiceError(errors)


def matching_participants(*, intervention: Intervention, number: str) -> list[Participant]:
    """Participants of the intervention registered with this identity number, under the current or an old key."""
    candidates = identity.candidate_hashes(number)
    found = list(
        Participant.objects.filter(intervention=intervention, identity_hash__in=[c.digest for c in candidates])
    )
    return [p for p in found if any(c.key_id == p.identity_key_id and c.digest == p.identity_hash for c in candidates)]


def participant_identity_upgrade(*, participant: Participant, number: str) -> bool:
    """Re-hash a participant matched under an old key with the current key (key rotation). True if changed."""
    current = identity.identity_hash(number)
    if participant.identity_key_id == current.key_id:
        return False
    Participant.objects.filter(pk=participant.pk).update(identity_hash=current.digest, identity_key_id=current.key_id)
    participant.identity_hash, participant.identity_key_id = current.digest, current.key_id
    return True


@transaction.atomic
def participant_register(
    *, intervention: Intervention, recorded_by: Any, identity_number: str = "", **data: Any
) -> Participant:
    """A participant with consent. `identity_number` (optional) is validated, hashed and forgotten."""
    data = {k: v for k, v in data.items() if k in PARTICIPANT_FIELDS}
    data["code"] = (data.get("code") or "").strip() or new_code()
    for key in ("income_end", "end_reason", "status_90"):
        data[key] = data.get(key) or ""
    _check(intervention, data)
    hashed = None
    if identity_number:
        try:
            hashed = identity.identity_hash(identity_number)
        except identity.InvalidIdentityNumber as error:
            raise ServiceError({"identity_number": str(error)}) from None
        if matching_participants(intervention=intervention, number=identity_number):
            raise ServiceError({"identity_number": _("Personen är redan registrerad som deltagare i insatsen.")})
    participant = Participant(intervention=intervention, consent_recorded_by=recorded_by, **data)
    if hashed is not None:
        participant.identity_hash, participant.identity_key_id = hashed.digest, hashed.key_id
    participant.save()
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **data: Any) -> Participant:
    values = {f: getattr(participant, f) for f in PARTICIPANT_FIELDS}
    values.update({k: v for k, v in data.items() if k in PARTICIPANT_FIELDS})
    for key in ("income_end", "end_reason", "status_90"):
        values[key] = values.get(key) or ""
    values["code"] = (values.get("code") or "").strip() or participant.code
    _check(participant.intervention, values, instance=participant)
    for key, value in values.items():
        setattr(participant, key, value)
    participant.save()
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant, actor: Any) -> None:
    """Delete on the person's request: the row, its audit history (it holds their code and changes), and one
    neutral audit entry saying a participant of this intervention was deleted — no code, no values, no id.

    Aggregates are computed from the rows, so they are consistent at once (no stored total to adjust)."""
    content_type = ContentType.objects.get_for_model(Participant)
    intervention = participant.intervention
    LogEntry.objects.filter(content_type=content_type, object_pk=str(participant.pk)).delete()
    with disable_auditlog():
        participant.delete()
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Intervention),
        object_pk=str(intervention.pk),
        object_id=intervention.pk,
        object_repr=str(intervention)[:200],
        action=LogEntry.Action.UPDATE,
        changes={"deltagare": [_("en deltagare"), _("borttagen på begäran")]},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def anonymous_add(
    *,
    intervention: Intervention,
    start_year: int,
    gender: str,
    age_band: str,
    income_start: str,
    end_year: int | None = None,
    income_end: str = "",
    count: int = 1,
) -> AnonymousParticipation:
    """Count anonymous participations (no consent, or protected identity): one more in the matching count."""
    if count < 1:
        raise ServiceError({"count": _("Antalet måste vara minst 1.")})
    if end_year is not None and end_year < start_year:
        raise ServiceError({"end_year": _("Slutåret kan inte vara före startåret.")})
    if (end_year is None) != (not income_end):
        raise ServiceError({"income_end": _("Ange både slutår och försörjning vid avslut, eller inget av dem.")})
    row, _created = AnonymousParticipation.objects.select_for_update().get_or_create(
        intervention=intervention,
        start_year=start_year,
        end_year=end_year,
        gender=gender,
        age_band=age_band,
        income_start=income_start,
        income_end=income_end or "",
    )
    row.count += count
    row.save(update_fields=["count"])
    return row


@transaction.atomic
def assignment_set(*, intervention: Intervention, user: Any, role: str) -> InterventionAssignment | None:
    """Give a member of the association a role for an intervention ("" removes it)."""
    from samverkan.tenancy.models import Membership

    if not Membership.objects.filter(user=user, association=intervention.association).exists():
        raise ServiceError({"user": _("Personen är inte medlem i förbundet.")})
    if not role:
        InterventionAssignment.objects.filter(intervention=intervention, user=user).delete()
        return None
    if role not in AssignmentRole.values:
        raise ServiceError({"role": _("Okänd roll.")})
    assignment, _created = InterventionAssignment.objects.update_or_create(
        intervention=intervention, user=user, defaults={"role": role}
    )
    return assignment
