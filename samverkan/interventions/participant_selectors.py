"""Reads for participants: the outcome tables of an intervention and year, counts, and one person's extract."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from .models import AnonymousParticipation, Intervention, Participant
from .outcomes import OutcomeTables, Record, Vocabulary, outcome_tables
from .participant_services import PARTICIPANT_FIELDS
from .vocabulary import INCOME_GROUP_OF, WORK_OR_STUDIES, IncomeGroup, IncomeSource

VOCABULARY = Vocabulary(
    sources=list(IncomeSource.values),
    group_of=INCOME_GROUP_OF,
    groups=list(IncomeGroup.values),
    work=WORK_OR_STUDIES,
)


def min_group_size(intervention: Intervention) -> int:
    return max(int(intervention.association.min_group_size), int(settings.SAMVERKAN_MIN_GROUP_SIZE))


def outcome_records(intervention: Intervention, year: int) -> list[Record]:
    """The participations of the intervention that ended in `year`, registered and anonymous."""
    records = [
        Record(
            start=p["income_start"],
            end=p["income_end"],
            status_90=p["status_90"] or None,
            days=(p["end"] - p["start"]).days if p["end"] else None,
        )
        for p in Participant.objects.filter(intervention=intervention, end__year=year).values(
            "income_start", "income_end", "status_90", "start", "end"
        )
    ]
    records += [
        Record(start=a["income_start"], end=a["income_end"], count=a["count"])
        for a in AnonymousParticipation.objects.filter(intervention=intervention, end_year=year, count__gt=0).values(
            "income_start", "income_end", "count"
        )
    ]
    return records


def outcome_page(intervention: Intervention, year: int) -> OutcomeTables:
    """Every figure of the outcome page under one suppression (outcomes.py); the only way figures leave."""
    return outcome_tables(outcome_records(intervention, year), VOCABULARY, min_size=min_group_size(intervention))


def outcome_years(intervention: Intervention) -> list[int]:
    years = set(
        Participant.objects.filter(intervention=intervention, end__isnull=False).values_list("end__year", flat=True)
    )
    years |= set(
        AnonymousParticipation.objects.filter(intervention=intervention, end_year__isnull=False).values_list(
            "end_year", flat=True
        )
    )
    return sorted(years, reverse=True)


def participations_in_year(intervention: Intervention, year: int) -> int:
    """Registered and anonymous participations active some time during `year` (for the portfolio; unsuppressed:
    the caller applies the minimum group size)."""
    registered = Participant.objects.filter(
        Q(end__isnull=True) | Q(end__year__gte=year), intervention=intervention, start__year__lte=year
    ).count()
    anonymous = (
        AnonymousParticipation.objects.filter(
            Q(end_year__isnull=True) | Q(end_year__gte=year), intervention=intervention, start_year__lte=year
        ).aggregate(n=Sum("count"))["n"]
        or 0
    )
    return registered + int(anonymous)


def participant_extract(participant: Participant) -> list[tuple[str, str]]:
    """Everything stored about one participant, as (label, value) rows, for a register request (registerutdrag).

    The identity hash is named but not shown: it is no information about the person, only a fingerprint."""
    rows: list[tuple[str, str]] = []
    for name in PARTICIPANT_FIELDS:
        field = Participant._meta.get_field(name)
        display = getattr(participant, f"get_{name}_display", None)
        value: Any = display() if display and getattr(participant, name) else getattr(participant, name)
        rows.append((str(getattr(field, "verbose_name", name)), "" if value in (None, "") else str(value)))
    rows.insert(0, (str(Intervention._meta.verbose_name), participant.intervention.name))
    recorder = participant.consent_recorded_by
    rows.append(
        (
            str(Participant._meta.get_field("consent_recorded_by").verbose_name),
            recorder.get_full_name()
            if recorder and hasattr(recorder, "get_full_name")
            else (str(recorder) if recorder else ""),
        )
    )
    rows.append(
        (
            _("personnummer"),
            _("Sparas inte. Bara en nyckelkodad kontrollsumma finns, för att upptäcka dubbelregistrering.")
            if participant.identity_hash
            else _("Sparas inte."),
        )
    )
    return rows
