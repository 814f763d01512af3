"""Demo interventions for Norra Västmanland: five years moving from mostly projects to mostly permanent operations.

Eleven interventions from 2022 to 2026, financed by the association's pooled funds, the member
agencies and ESF, with staff time from the agencies, and head counts for the structural ones.
Idempotent: an intervention whose code exists is left as it is (its rows too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django_scopes import scope

from samverkan.measure.models import Campaign
from samverkan.tenancy.models import Agency, Association

from .models import FinancierKind, Financing, Form, InKind, InKindUnit, Intervention, Orientation, VolumeCount

YEARS = range(2022, 2027)

# Short names of the members of Norra Västmanland, as in tenancy/demo.py.
FK, AF, REGION = "Försäkringskassan", "Arbetsförmedlingen", "Region Västmanland"
SALA, FAGERSTA, NORBERG = "Sala kommun", "Fagersta kommun", "Norbergs kommun"
SKINNSKATTEBERG, HALLSTAHAMMAR, SURAHAMMAR = "Skinnskattebergs kommun", "Hallstahammars kommun", "Surahammars kommun"


@dataclass
class Plan:
    code: str
    name: str
    target_group: str
    description: str
    orientation: str
    start: date
    end: date | None
    permanent_since: date | None
    agencies: tuple[str, ...]
    # per year: [(financier, budget, outcome)], financier "pooled", an agency name, or "ESF"
    money: dict[int, list[tuple[str, int, int]]] = field(default_factory=dict)
    # per year: [(agency, unit, quantity, description)]
    time: dict[int, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    heads: dict[int, int] = field(default_factory=dict)
    linked: bool = False


def _pooled(per_year: dict[int, int], spent: float = 0.95) -> dict[int, list[tuple[str, int, int]]]:
    return {y: [("pooled", amount, round(amount * spent, -3))] for y, amount in per_year.items()}


def _plans() -> list[Plan]:
    hours = InKindUnit.HOURS
    fte = InKindUnit.FTE
    plans = [
        Plan(
            "steg",
            "Steg till arbete",
            "Personer 20–64 år långt från arbetsmarknaden",
            "Tvåårigt projekt med arbetsträning och stöd av arbetsspecialist.",
            Orientation.INDIVIDUAL,
            date(2022, 1, 1),
            date(2023, 12, 31),
            None,
            (AF, SALA, FK),
            money={
                2022: [("pooled", 1_800_000, 1_710_000), (AF, 300_000, 300_000)],
                2023: [("pooled", 1_800_000, 1_650_000), (AF, 300_000, 280_000)],
            },
            time={2022: [(FK, fte, "0.5", "Handläggare")], 2023: [(FK, fte, "0.5", "Handläggare")]},
        ),
        Plan(
            "npf-unga",
            "NPF-projektet Unga vuxna",
            "Unga vuxna 18–29 år med neuropsykiatriska funktionsnedsättningar",
            "Tvåårigt projekt med samordnat stöd från psykiatri, kommun och Arbetsförmedlingen.",
            Orientation.INDIVIDUAL,
            date(2022, 3, 1),
            date(2024, 2, 29),
            None,
            (REGION, AF, FAGERSTA),
            money={
                2022: [("pooled", 1_400_000, 1_300_000), ("ESF", 1_100_000, 1_050_000)],
                2023: [("pooled", 1_400_000, 1_380_000), ("ESF", 1_100_000, 1_100_000)],
                2024: [("pooled", 250_000, 240_000)],
            },
            time={2022: [(REGION, hours, "800", "Psykolog och arbetsterapeut")]},
        ),
        Plan(
            "esf-vagen",
            "Vägen vidare (ESF)",
            "Personer med försörjningsstöd som står långt från arbete",
            "ESF-finansierat projekt med coachning och studiemotiverande insatser.",
            Orientation.INDIVIDUAL,
            date(2023, 1, 1),
            date(2025, 6, 30),
            None,
            (NORBERG, SKINNSKATTEBERG, AF),
            money={
                2023: [("ESF", 2_400_000, 2_200_000), ("pooled", 600_000, 600_000)],
                2024: [("ESF", 2_400_000, 2_350_000), ("pooled", 600_000, 560_000)],
                2025: [("ESF", 1_200_000, 1_100_000), ("pooled", 300_000, 290_000)],
            },
            time={
                2023: [(NORBERG, hours, "600", "Socialsekreterare")],
                2024: [(NORBERG, hours, "600", "Socialsekreterare")],
            },
        ),
        Plan(
            "aktivitetshuset",
            "Aktivitetshuset Fagersta",
            "Personer med aktivitetsersättning eller sjukersättning",
            "Började som projekt och drivs sedan 2024 som gemensam verksamhet med medel från medlemmarnas "
            "ordinarie budgetar.",
            Orientation.INDIVIDUAL,
            date(2022, 1, 1),
            None,
            date(2024, 1, 1),
            (FAGERSTA, FK, REGION, AF),
            money={
                2022: [("pooled", 1_500_000, 1_480_000)],
                2023: [("pooled", 1_500_000, 1_500_000)],
                2024: [("pooled", 900_000, 900_000), (FAGERSTA, 800_000, 820_000), (REGION, 400_000, 400_000)],
                2025: [("pooled", 800_000, 790_000), (FAGERSTA, 900_000, 900_000), (REGION, 500_000, 480_000)],
                2026: [("pooled", 700_000, 650_000), (FAGERSTA, 1_000_000, 1_000_000), (REGION, 500_000, 500_000)],
            },
            time={
                y: [(FK, fte, "0.4", "Handläggare på plats"), (AF, fte, "0.5", "Arbetsförmedlare")]
                for y in range(2024, 2027)
            },
            linked=True,
        ),
        Plan(
            "team-sala",
            "Samverkansteam Sala",
            "Personer som behöver stöd från flera myndigheter samtidigt",
            "Gemensamt team med handläggare från fyra myndigheter; permanent verksamhet sedan 2025.",
            Orientation.INDIVIDUAL,
            date(2023, 1, 1),
            None,
            date(2025, 1, 1),
            (SALA, FK, AF, REGION),
            money={
                2023: [("pooled", 1_200_000, 1_100_000)],
                2024: [("pooled", 1_200_000, 1_190_000)],
                2025: [("pooled", 700_000, 700_000), (SALA, 1_100_000, 1_050_000), (FK, 300_000, 300_000)],
                2026: [("pooled", 600_000, 560_000), (SALA, 1_200_000, 1_200_000), (FK, 300_000, 300_000)],
            },
            time={
                y: [(AF, fte, "1", "Arbetsförmedlare"), (REGION, hours, "400", "Sjuksköterska")]
                for y in range(2023, 2027)
            },
            linked=True,
        ),
        Plan(
            "coacher",
            "Finsam-coacher",
            "Personer i alla sex kommuner som behöver en väg tillbaka till arbete eller studier",
            "Coacher som arbetar över kommungränserna; permanent verksamhet sedan starten.",
            Orientation.INDIVIDUAL,
            date(2022, 1, 1),
            None,
            date(2022, 1, 1),
            (HALLSTAHAMMAR, SURAHAMMAR, SALA, FAGERSTA, NORBERG, SKINNSKATTEBERG),
            money=_pooled({2022: 900_000, 2023: 950_000, 2024: 1_000_000, 2025: 1_050_000, 2026: 1_100_000}, 0.97),
        ),
        Plan(
            "uvas",
            "Unga utanför (UVAS)",
            "Unga 16–24 år som varken arbetar eller studerar",
            "Projekt från 2024, permanent verksamhet i kommunernas regi från 2026.",
            Orientation.INDIVIDUAL,
            date(2024, 1, 1),
            None,
            date(2026, 1, 1),
            (HALLSTAHAMMAR, SURAHAMMAR, AF),
            money={
                2024: [("pooled", 1_000_000, 950_000)],
                2025: [("pooled", 1_100_000, 1_080_000)],
                2026: [(HALLSTAHAMMAR, 800_000, 800_000), (SURAHAMMAR, 500_000, 480_000), ("pooled", 300_000, 300_000)],
            },
        ),
        Plan(
            "halsa",
            "Hälsoinsatsen",
            "Personer med långvarig psykisk ohälsa",
            "Projekt med hälsopedagog och fysisk aktivitet.",
            Orientation.INDIVIDUAL,
            date(2025, 1, 1),
            date(2026, 12, 31),
            None,
            (REGION, SALA),
            money={2025: [("pooled", 600_000, 540_000)], 2026: [("pooled", 650_000, 600_000)]},
            time={2025: [(REGION, hours, "300", "Hälsopedagog")], 2026: [(REGION, hours, "300", "Hälsopedagog")]},
        ),
        Plan(
            "kompetens",
            "Kompetensutveckling i samverkan",
            "Personal hos medlemmarna",
            "Utbildningsdagar om varandras uppdrag och regelverk.",
            Orientation.STRUCTURAL,
            date(2022, 1, 1),
            date(2023, 12, 31),
            None,
            (FK, AF, REGION, SALA, FAGERSTA),
            money=_pooled({2022: 400_000, 2023: 350_000}),
            heads={2022: 140, 2023: 115},
        ),
        Plan(
            "samordnad-rehab",
            "Samordnad rehabilitering",
            "Handläggare och chefer hos medlemmarna",
            "Gemensam rutin och rehabiliteringsråd; permanent struktur sedan juli 2024.",
            Orientation.STRUCTURAL,
            date(2023, 1, 1),
            None,
            date(2024, 7, 1),
            (FK, REGION, AF, SALA, FAGERSTA, NORBERG),
            money={
                2023: [("pooled", 300_000, 280_000)],
                2024: [("pooled", 250_000, 250_000), (REGION, 150_000, 150_000)],
                2025: [("pooled", 200_000, 190_000), (REGION, 200_000, 200_000), (FK, 100_000, 100_000)],
                2026: [("pooled", 200_000, 180_000), (REGION, 200_000, 200_000), (FK, 100_000, 100_000)],
            },
            time={y: [(FK, hours, "200", "Samordnare")] for y in range(2024, 2027)},
            heads={2023: 45, 2024: 80, 2025: 120, 2026: 135},
            linked=True,
        ),
        Plan(
            "chefsnatverk",
            "Chefsnätverket",
            "Chefer i samverkan (beredningsgrupp och styrgrupper)",
            "Nätverk för chefer hos medlemmarna; permanent sedan 2023.",
            Orientation.STRUCTURAL,
            date(2022, 1, 1),
            None,
            date(2023, 1, 1),
            (FK, AF, REGION, SALA, FAGERSTA, NORBERG, SKINNSKATTEBERG, HALLSTAHAMMAR, SURAHAMMAR),
            money=_pooled({2022: 150_000, 2023: 150_000, 2024: 160_000, 2025: 160_000, 2026: 170_000}),
            heads={2022: 24, 2023: 28, 2024: 30, 2025: 31, 2026: 33},
        ),
    ]
    return plans


def _create(association: Association, plan: Plan, agencies: dict[str, Agency], campaigns: list[Campaign]) -> None:
    intervention = Intervention.objects.create(
        association=association,
        code=plan.code,
        name=plan.name,
        description=plan.description,
        target_group=plan.target_group,
        orientation=plan.orientation,
        form=Form.PERMANENT if plan.permanent_since else Form.PROJECT,
        permanent_since=plan.permanent_since,
        start=plan.start,
        end=plan.end,
    )
    intervention.agencies.set([agencies[name] for name in plan.agencies if name in agencies])
    if plan.linked:
        intervention.campaigns.set(campaigns)
    rows = []
    for year, financiers in plan.money.items():
        for financier, budget, amount in financiers:
            kind = (
                FinancierKind.POOLED
                if financier == "pooled"
                else FinancierKind.AGENCY
                if financier in agencies
                else FinancierKind.EXTERNAL
            )
            rows.append(
                Financing(
                    intervention=intervention,
                    year=year,
                    financier_kind=kind,
                    agency=agencies.get(financier) if kind == FinancierKind.AGENCY else None,
                    external_name=financier if kind == FinancierKind.EXTERNAL else "",
                    budget=Decimal(budget),
                    amount=Decimal(amount),
                )
            )
    Financing.objects.bulk_create(rows)
    InKind.objects.bulk_create(
        InKind(
            intervention=intervention,
            year=year,
            agency=agencies[agency],
            unit=unit,
            quantity=Decimal(quantity),
            description=description,
        )
        for year, items in plan.time.items()
        for agency, unit, quantity, description in items
        if agency in agencies
    )
    VolumeCount.objects.bulk_create(
        VolumeCount(intervention=intervention, year=year, head_count=n) for year, n in plan.heads.items()
    )


def load_interventions_demo(*, associations: list[Association], stdout: Any = None) -> None:
    association = next((a for a in associations if a.slug == "norra-vastmanland"), None)
    if association is None:
        return
    with scope(association=association), transaction.atomic():
        agencies = {a.name: a for a in association.agencies.all()}
        campaigns = list(Campaign.objects.for_association(association).order_by("-opens_on")[:2])
        existing = set(Intervention.objects.for_association(association).values_list("code", flat=True))
        created = 0
        for plan in _plans():
            if plan.code in existing:
                continue
            _create(association, plan, agencies, campaigns)
            created += 1
    if stdout is not None:
        summary = f"{created} insatser skapade" if created else "insatserna finns redan, lämnas orörda"
        stdout.write(f"  {association.name}: {summary}")
