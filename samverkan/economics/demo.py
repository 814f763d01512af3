"""Demo scenarios for Norra Västmanland: a time-limited project and a permanent coordination team (issue 12).

Both are built from the interventions demo's register, not typed in:

- **investments** from the intervention's financing (the outcome per year and financier: the
  association's pooled funds, a member agency, or ESF, counted as the state's money);
- **persons** from the participants' transitions (registered and anonymously counted): those who
  started on income support (försörjningsstöd) or on health-related benefits (ohälsa) and ended in
  work or studies;
- **amounts** from the platform's shipped example unit costs (economics/price_data.py), each with its
  source and price year and labelled *Exempel* in the scenario, as ranges (triangular) around them;
- the KPI of the years used, from the shipped SCB table, so the scenario calculates on its own.

The financing is entered in 2023 prices (the newest year of the shipped KPI): the register's amounts are
nominal and the KPI of later years is not shipped; the scenario's description says so.
Idempotent: a scenario of the same name that exists is left as it is.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction
from django_scopes import scope

from samverkan.interventions.models import (
    AnonymousParticipation,
    FinancierKind,
    Financing,
    Intervention,
    Participant,
)
from samverkan.interventions.vocabulary import INCOME_GROUP_OF, IncomeGroup, IncomeSource
from samverkan.tenancy.models import Agency, Association

from .models import Scenario, UnitCost
from .price_data import KPI_ANNUAL_AVERAGES

PRICE_YEAR = 2023
WORK_OR_STUDIES = {IncomeSource.LON, IncomeSource.STUDIEMEDEL}

# The shipped unit costs the demo uses, by their item name in price_data.SHIPPED_UNIT_COSTS.
INCOME_SUPPORT = "Ersättning till försörjning per helårsekvivalent (Uppsala län, snitt 2022)"
SICKNESS = "Sjukersättning, garantinivå från 30 år, per år"
EXCLUSION = "Utanförskap från 20 års ålder till pension, kostnad för samhället per person"
DOCTOR = "Läkarbesök i primärvården"
WORKING_YEARS = 45  # the lifetime cost of exclusion spread over the years from 20 to 65

# The two demo interventions (codes of interventions/demo.py) and how long their scenarios look ahead.
PLANS = (
    ("steg", "Steg till arbete – samhällsekonomisk kalkyl (exempel)", 5),
    ("team-sala", "Samverkansteam Sala – samhällsekonomisk kalkyl (exempel)", 6),
)


def _triangular(mode: float, low_factor: float, high_factor: float, *, digits: int = -2) -> dict[str, Any]:
    return {
        "distribution": "triangular",
        "low": round(mode * low_factor, digits),
        "mode": round(mode, digits),
        "high": round(mode * high_factor, digits),
    }


def _persons(n: int) -> dict[str, Any] | int:
    """The register's count as the most likely value; some of them might not have stayed (low 70 %)."""
    if n <= 1:
        return n
    return {"distribution": "triangular", "low": max(round(n * 0.7), 0), "mode": n, "high": n}


def _example_source(cost: UnitCost, note: str = "") -> str:
    text = f"Exempel: {cost.source_text} ({cost.price_year})"
    return f"{text}. {note}" if note else text


def _actor_of(financing: Financing, agencies: dict[int, Agency]) -> str:
    if financing.financier_kind == FinancierKind.POOLED:
        return "samordningsforbund"
    if financing.financier_kind == FinancierKind.EXTERNAL:
        return "staten"  # ESF: the Swedish ESF Council pays out the EU's and the state's money
    name = agencies[financing.agency_id].name if financing.agency_id in agencies else ""
    if name == "Försäkringskassan":
        return "forsakringskassan"
    if name == "Arbetsförmedlingen":
        return "arbetsformedlingen"
    if name.startswith("Region"):
        return "region"
    return "kommun"


def _transitions(intervention: Intervention) -> Counter[str]:
    """How many started on each income group and ended in work or studies (registered and anonymous)."""
    counts: Counter[str] = Counter()
    rows = Participant.objects.filter(intervention=intervention, income_end__in=WORK_OR_STUDIES)
    for start in rows.values_list("income_start", flat=True):
        counts[INCOME_GROUP_OF.get(start, IncomeGroup.OVRIGT)] += 1
    anonymous = AnonymousParticipation.objects.filter(intervention=intervention, income_end__in=WORK_OR_STUDIES)
    for start, n in anonymous.values_list("income_start", "count"):
        counts[INCOME_GROUP_OF.get(start, IncomeGroup.OVRIGT)] += n
    counts["all"] = sum(counts.values())
    return counts


def _participants(intervention: Intervention) -> int:
    registered = Participant.objects.filter(intervention=intervention).count()
    anonymous = sum(AnonymousParticipation.objects.filter(intervention=intervention).values_list("count", flat=True))
    return registered + anonymous


def scenario_data(intervention: Intervention, name: str, horizon: int, costs: dict[str, UnitCost]) -> dict[str, Any]:
    """The scenario object for one demo intervention, from its register rows and the shipped unit costs."""
    agencies = {a.pk: a for a in intervention.association.agencies.all()}
    financing = list(Financing.objects.filter(intervention=intervention).order_by("year", "pk"))
    first_year = min((f.year for f in financing), default=intervention.start.year)
    per_year: dict[tuple[int, str], int] = {}
    for row in financing:
        key = (row.year - first_year + 1, _actor_of(row, agencies))
        per_year[key] = per_year.get(key, 0) + int(row.amount)
    investments = [
        {
            "actor": actor,
            "year": year,
            "amount": amount,
            "price_year": PRICE_YEAR,
            "description": f"Finansiering {first_year + year - 1} enligt insatsens register",
            "source": "Insatsens finansiering (utfall) i Samverkans register",
        }
        for (year, actor), amount in sorted(per_year.items())
        if year <= horizon
    ]
    moved = _transitions(intervention)
    support, sickness, exclusion, doctor = (costs[k] for k in (INCOME_SUPPORT, SICKNESS, EXCLUSION, DOCTOR))
    effects_from = 2  # people leave during the intervention: effects are counted from its second year
    outcomes: list[dict[str, Any]] = []
    if moved[IncomeGroup.EKONOMISKT_BISTAND]:
        outcomes.append(
            {
                "name": "Försörjningsstöd som inte längre betalas ut",
                "kind": "transfer",
                "payer": "kommun",
                "receiver": "individen",
                "amount_per_person_year": _triangular(float(support.amount), 0.7, 1.1),
                "price_year": support.price_year,
                "persons": _persons(moved[IncomeGroup.EKONOMISKT_BISTAND]),
                "start_year": effects_from,
                "source": _example_source(support, "Betalaren satt till kommunen (försörjningsstöd)."),
                "ref": {"unit_cost": support.pk, "example": True},
            }
        )
    if moved[IncomeGroup.OHALSA]:
        outcomes.append(
            {
                "name": "Sjuk- eller aktivitetsersättning som inte längre betalas ut",
                "kind": "transfer",
                "payer": "forsakringskassan",
                "receiver": "individen",
                "amount_per_person_year": _triangular(float(sickness.amount), 0.8, 1.2),
                "price_year": sickness.price_year,
                "persons": _persons(moved[IncomeGroup.OHALSA]),
                "start_year": effects_from,
                "source": _example_source(sickness),
                "ref": {"unit_cost": sickness.pk, "example": True},
            }
        )
        outcomes.append(
            {
                "name": "Färre läkarbesök i primärvården (3 per år, 1–5)",
                "kind": "real",
                "actor": "region",
                "amount_per_person_year": {
                    "distribution": "triangular",
                    "low": float(doctor.amount),
                    "mode": float(doctor.amount) * 3,
                    "high": float(doctor.amount) * 5,
                },
                "price_year": doctor.price_year,
                "persons": _persons(moved[IncomeGroup.OHALSA]),
                "start_year": effects_from,
                "source": _example_source(doctor, "Antalet besök per år är ett antagande."),
                "ref": {"unit_cost": doctor.pk, "example": True},
            }
        )
    if moved["all"]:
        lifetime = float(exclusion.amount)
        outcomes.append(
            {
                "name": "Minskat utanförskap: produktion och välfärdskostnader",
                "kind": "real",
                "actor": "samhallet",
                "amount_per_person_year": {
                    "distribution": "triangular",
                    "low": round(10_000_000 / WORKING_YEARS, -2),
                    "mode": round(lifetime / WORKING_YEARS, -2),
                    "high": round(15_000_000 / WORKING_YEARS, -2),
                },
                "price_year": exclusion.price_year,
                "persons": _persons(moved["all"]),
                "start_year": effects_from,
                "source": _example_source(
                    exclusion,
                    f"Livstidsbeloppet 10–15 miljoner kronor delat på {WORKING_YEARS} år; källans belopp "
                    "rymmer också transfereringar, så det är ett högt räknat exempel.",
                ),
                "ref": {"unit_cost": exclusion.pk, "example": True},
            }
        )
    years = sorted({PRICE_YEAR, *(int(o["price_year"]) for o in outcomes)})
    return {
        "name": name,
        "description": (
            f"Exempel byggt ur registret för {intervention.name}: investeringar ur insatsens finansiering "
            f"{first_year}–{first_year + max((y for y, _ in per_year), default=1) - 1} (räknad i {PRICE_YEAR} års "
            "priser, den senaste KPI som finns i tabellen), personer ur deltagarnas övergångar till arbete "
            "eller studier, belopp ur plattformens exempel på à-priser. Personaltid från myndigheterna ingår "
            "inte. Lönen för den som får arbete ingår i posten för minskat utanförskap (samhället i övrigt), "
            "så individens rad visar bara de ersättningar som upphör."
        ),
        "price_year": PRICE_YEAR,
        "discount_rate": 0.035,
        "horizon_years": horizon,
        "kpi": {str(y): float(KPI_ANNUAL_AVERAGES[y]) for y in years if y in KPI_ANNUAL_AVERAGES},
        "participants": _participants(intervention),
        "investments": investments,
        "outcomes": outcomes,
        "deadweight": {"distribution": "triangular", "low": 0.1, "mode": 0.2, "high": 0.4},
        "decay": {"distribution": "triangular", "low": 0.05, "mode": 0.1, "high": 0.25},
        "draws": 10000,
        "seed": 1,
    }


def load_economics_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .scenario_services import scenario_create

    association = next((a for a in associations if a.slug == "norra-vastmanland"), None)
    if association is None:
        return
    wanted = [INCOME_SUPPORT, SICKNESS, EXCLUSION, DOCTOR]
    if UnitCost.shared.filter(item__in=wanted).count() < len(wanted):
        from .services_prices import shipped_prices_load

        shipped_prices_load()  # the shipped rows are migration data: a flushed database lacks them
    costs = {c.item: c for c in UnitCost.shared.filter(item__in=wanted)}
    created = 0
    with scope(association=association), transaction.atomic():
        interventions = {i.code: i for i in Intervention.objects.filter(association=association)}
        existing = set(Scenario.objects.filter(association=association).values_list("name", flat=True))
        for code, name, horizon in PLANS:
            intervention = interventions.get(code)
            if intervention is None or name in existing:
                continue
            scenario_create(
                association=association,
                data=scenario_data(intervention, name, horizon, costs),
                created_by=None,
                intervention=intervention,
                notes="Alla belopp märkta Exempel är typvärden från källorna, inte förbundets egna siffror.",
            )
            created += 1
    if stdout is not None:
        summary = f"{created} scenarier skapade" if created else "scenarierna finns redan, lämnas orörda"
        stdout.write(f"  {association.name}: {summary}")
