"""Integration and return: the interventions that have both measurement rounds and a scenario (issue 12).

For each intervention of the association that is linked to measurement rounds (Intervention.campaigns)
and evaluated by a scenario (Scenario.intervention), two numbers:

- the **integration level**: the mean ring score (1–5 scale, "today") of the intervention's staff and
  participants, pooled over the four levels, read from the rounds' published results through Mät's
  one choke point (`measure.results.campaign_results`), so a hidden respondent group contributes
  nothing and no figure exists that the results page would not show. Of a series of rounds only the
  latest linked one counts (a round another linked round follows is left out), so one person's answers
  in two rounds are not counted twice. Below the minimum group size there is no value;
- the **return ratio** of all actors together (gain / cost, `calc.evaluate`) of the intervention's most
  recently changed scenario.

This is the association's own data: a picture of co-variation between a handful of interventions, not a
causal estimate. The page says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from samverkan.interventions.models import Intervention
from samverkan.measure.models import Campaign, RespondentGroup
from samverkan.measure.results import CampaignResults, campaign_results
from samverkan.measure.stats import effective_min_group_size, ring_of_score
from samverkan.tenancy.models import Association

from . import calc
from .actors import TOTAL
from .integration_chart import Entry, Scatter, scatter
from .models import Scenario

GROUPS = (RespondentGroup.STAFF, RespondentGroup.PARTICIPANTS)


@dataclass(frozen=True)
class Integration:
    """The pooled ring score of staff and participants over the rounds that count, or why there is none."""

    mean: float | None
    respondents: int  # staff and participants of the rounds that count (visible groups only)
    answers: int  # answers other than "vet ej" behind the mean, over the four levels
    campaigns: list[Campaign]  # the rounds behind the mean (or, without one, the rounds that were read)
    reason: str = ""

    @property
    def ring(self) -> int | None:
        return ring_of_score(self.mean) if self.mean is not None else None


@dataclass(frozen=True)
class Row:
    number: int
    intervention: Intervention
    scenario: Scenario
    integration: Integration
    ratio: float | None
    ratio_reason: str = ""

    @property
    def plotted(self) -> bool:
        return self.integration.mean is not None and self.ratio is not None


@dataclass
class IntegrationReturn:
    rows: list[Row] = field(default_factory=list)
    missing_scenario: list[Intervention] = field(default_factory=list)  # rounds but no scenario
    missing_rounds: list[Intervention] = field(default_factory=list)  # a scenario but no rounds
    chart: Scatter | None = None

    @property
    def plotted(self) -> list[Row]:
        return [r for r in self.rows if r.plotted]


def _latest_of_each_series(campaigns: list[Campaign]) -> list[Campaign]:
    followed = {c.previous_id for c in campaigns if c.previous_id}
    return [c for c in campaigns if c.pk not in followed]


def intervention_integration(campaigns: list[Campaign], read: dict[int, CampaignResults] | None = None) -> Integration:
    """The integration level from these rounds' published (suppressed) results.

    `read` keeps the rounds' results already read (several interventions often share the same rounds)."""
    read = {} if read is None else read
    counted = _latest_of_each_series(campaigns)
    weighted = 0.0
    answers = 0
    respondents = 0
    min_size = 0
    used: list[Campaign] = []
    for campaign in counted:
        if campaign.pk not in read:
            read[campaign.pk] = campaign_results(campaign=campaign)
        results = read[campaign.pk]
        min_size = max(min_size, results.min_group_size)
        if results.total_suppressed:
            continue
        contributing: set[str] = set()
        for level in results.levels:
            for cell in level.rows:
                if cell.group in GROUPS and not cell.suppressed and cell.summary is not None and cell.n:
                    weighted += cell.summary.mean * cell.n
                    answers += cell.n
                    contributing.add(cell.group)
        # Respondents of the groups behind the mean only (a participant questionnaire without ring
        # questions adds no one).
        respondents += sum(g.n for g in results.groups if g.group in contributing and not g.suppressed)
        if contributing:
            used.append(campaign)
    min_size = min_size or effective_min_group_size(0)
    if not counted:
        return Integration(None, 0, 0, [], _("Inga mätomgångar är kopplade till insatsen."))
    if answers == 0 or respondents < min_size:
        return Integration(
            None,
            0,
            0,
            counted,
            _("För få svar från insatspersonal och deltagare (under %(min)s) för att visa en nivå.")
            % {"min": min_size},
        )
    return Integration(weighted / answers, respondents, answers, used)


def scenario_ratio(scenario: Scenario, kpi_table: dict[int, float] | None = None) -> tuple[float | None, str]:
    """The return ratio of all actors together, or None and a reason (no cost, or the scenario does not parse)."""
    try:
        parsed = calc.parse_scenario(scenario.data, kpi_table=kpi_table)
        result = calc.evaluate(parsed)
    except calc.ScenarioError as error:
        return None, _("Scenariot går inte att räkna: %(reason)s") % {"reason": error}
    ratio = result["actors"][TOTAL]["return_ratio"]
    if ratio is None:
        return None, _("Ingen kostnad i scenariot, så ingen avkastningskvot.")
    return float(ratio), ""


def integration_return(association: Association) -> IntegrationReturn:
    from .report import kpi_table

    interventions = list(
        Intervention.objects.for_association(association).prefetch_related("campaigns").order_by("name")
    )
    scenarios: dict[int, Scenario] = {}
    for scenario in (
        Scenario.objects.for_association(association)
        .filter(intervention__isnull=False)
        .order_by("intervention_id", "-updated_on", "-pk")
    ):
        scenarios.setdefault(scenario.intervention_id, scenario)  # type: ignore[arg-type]
    table = kpi_table()
    out = IntegrationReturn()
    read: dict[int, CampaignResults] = {}
    for intervention in interventions:
        campaigns = sorted(intervention.campaigns.all(), key=lambda c: (c.opens_on, c.pk))
        scenario = scenarios.get(intervention.pk)
        if campaigns and scenario is None:
            out.missing_scenario.append(intervention)
            continue
        if scenario is not None and not campaigns:
            out.missing_rounds.append(intervention)
            continue
        if scenario is None:
            continue
        ratio, reason = scenario_ratio(scenario, table)
        out.rows.append(
            Row(
                number=len(out.rows) + 1,
                intervention=intervention,
                scenario=scenario,
                integration=intervention_integration(campaigns, read),
                ratio=ratio,
                ratio_reason=reason,
            )
        )
    out.chart = scatter(
        [Entry(str(r.intervention.pk), r.intervention.name, r.integration.mean, r.ratio) for r in out.rows]
    )
    return out
