"""How many took part in each intervention per year, for the portfolio.

Today: the head counts of structural interventions (`VolumeCount`, volyminsats). The participants part
of the app adds its registered participants here (a participant counts in every year their
participation overlaps), so the portfolio never needs to know where a number comes from.
"""

from __future__ import annotations

from collections import defaultdict

from samverkan.tenancy.models import Association

from .models import VolumeCount


def participant_totals(association: Association) -> dict[tuple[int, int], int]:
    """{(intervention_id, year): number of people} for the association; pairs with nobody are left out."""
    totals: dict[tuple[int, int], int] = defaultdict(int)
    rows = VolumeCount.objects.filter(intervention__association=association).values_list(
        "intervention_id", "year", "head_count"
    )
    for intervention_id, year, head_count in rows:
        if head_count:
            totals[(intervention_id, year)] += head_count
    return dict(totals)
