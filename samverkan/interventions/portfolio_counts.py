"""How many took part in each intervention per year, for the portfolio.

Today: the head counts of structural interventions (`VolumeCount`, volyminsats). The participants part
of the app adds its registered participants here (a participant counts in every year their
participation overlaps), so the portfolio never needs to know where a number comes from.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from samverkan.tenancy.models import Association

from .models import AnonymousParticipation, Participant, VolumeCount


def participant_totals(association: Association) -> dict[tuple[int, int], int]:
    """{(intervention_id, year): number of people} for the association; pairs with nobody are left out."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    rows = VolumeCount.objects.filter(intervention__association=association).values_list(
        "intervention_id", "year", "head_count"
    )
    for intervention_id, year, head_count in rows:
        if head_count:
            totals[(intervention_id, year)] += head_count
    # Registered participants and anonymous counts: one in every year the participation overlaps (an ongoing
    # one up to this year). Only years go through Python, never a participant's other data.
    this_year = datetime.date.today().year
    for intervention_id, start, end in Participant.objects.filter(intervention__association=association).values_list(
        "intervention_id", "start", "end"
    ):
        for year in range(start.year, (end.year if end else max(this_year, start.year)) + 1):
            totals[(intervention_id, year)] += 1
    for intervention_id, start_year, end_year, count in AnonymousParticipation.objects.filter(
        intervention__association=association, count__gt=0
    ).values_list("intervention_id", "start_year", "end_year", "count"):
        for year in range(start_year, (end_year or max(this_year, start_year)) + 1):
            totals[(intervention_id, year)] += count
    return dict(totals)
