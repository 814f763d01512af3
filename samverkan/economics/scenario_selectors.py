"""Reads of scenarios, always for one association."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from samverkan.tenancy.models import Association

from .models import Scenario


def scenario_list(association: Association) -> QuerySet[Scenario]:
    return Scenario.objects.for_association(association).select_related("intervention").order_by("name", "pk")


def scenario_count(association: Association) -> int:
    return Scenario.objects.for_association(association).count()


def scenario_for_association_or_404(association: Association, scenario_id: int) -> Scenario:
    """The association's scenario with this id; another association's id is a 404, as if it did not exist."""
    scenario = Scenario.objects.for_association(association).select_related("intervention").filter(pk=scenario_id)
    found = scenario.first()
    if found is None:
        raise Http404
    return found


def kpi_table_or_none() -> dict[int, float] | None:
    """The KPI table of the price part (eprices), when it is installed; a scenario may carry its own KPI."""
    try:
        from .selectors_prices import kpi_table
    except ImportError:
        return None
    return kpi_table()


@dataclass(frozen=True)
class ScenarioSummary:
    scenario: Scenario
    npv: float | None  # the total's net present value over the horizon; None when it does not calculate
    return_ratio: float | None


def scenario_summaries(association: Association) -> list[ScenarioSummary]:
    """Each scenario with its total result at the most likely values (no Monte Carlo: the list stays quick)."""
    from . import calc

    kpi = kpi_table_or_none()
    summaries = []
    for scenario in scenario_list(association):
        try:
            total = calc.evaluate(calc.parse_scenario(scenario.data, kpi_table=kpi))["actors"][calc.TOTAL]
        except calc.ScenarioError:
            summaries.append(ScenarioSummary(scenario, None, None))
            continue
        summaries.append(ScenarioSummary(scenario, total["npv"], total["return_ratio"]))
    return summaries
