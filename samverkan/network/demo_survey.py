"""Demo: the nine agencies of Samordningsförbundet Norra Västmanland in two network rounds.

The second round (2026) is denser and deeper than the first (2025); in each, one agency did not answer
(Norbergs kommun in 2025, Skinnskattebergs kommun in 2026). Idempotent: an association that already has
a network round is left alone. The answers are made up (seeded), labelled as an example on no page
because the whole demo is one.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import transaction
from django_scopes import scope

from samverkan.tenancy.models import Agency, Association

from .models import NetworkRound
from .services import network_answers_submit, network_round_close, network_round_create

SLUG = "norra-vastmanland"

# Pairs that work closely in the story of the demo: the state agencies together, the region with everyone,
# neighbouring municipalities (Fagersta–Norberg–Skinnskatteberg, Hallstahammar–Surahammar).
CLOSE_PAIRS = {
    frozenset(pair)
    for pair in (
        ("Försäkringskassan", "Arbetsförmedlingen"),
        ("Försäkringskassan", "Region Västmanland"),
        ("Arbetsförmedlingen", "Sala kommun"),
        ("Arbetsförmedlingen", "Fagersta kommun"),
        ("Region Västmanland", "Sala kommun"),
        ("Region Västmanland", "Fagersta kommun"),
        ("Fagersta kommun", "Norbergs kommun"),
        ("Fagersta kommun", "Skinnskattebergs kommun"),
        ("Norbergs kommun", "Skinnskattebergs kommun"),
        ("Hallstahammars kommun", "Surahammars kommun"),
    )
}


def _round_plan(year: int) -> dict[str, Any]:
    if year == 2025:
        return {
            "name": "Samverkanskarta 2025",
            "opens_on": date(2025, 3, 3),
            "closes_on": date(2025, 3, 28),
            "silent": "Norbergs kommun",
            "close_tie": 0.85,
            "other_tie": 0.25,
            "depth_shift": 0,
        }
    return {
        "name": "Samverkanskarta 2026",
        "opens_on": date(2026, 3, 2),
        "closes_on": date(2026, 3, 27),
        "silent": "Skinnskattebergs kommun",
        "close_tie": 0.95,
        "other_tie": 0.5,
        "depth_shift": 1,
    }


def _answers(source: Agency, targets: list[Agency], plan: dict[str, Any], rnd: random.Random) -> dict[str, str]:
    raw: dict[str, str] = {}
    for target in targets:
        close = frozenset((source.name, target.name)) in CLOSE_PAIRS
        trust: list[int | None]
        value: int | None
        tied = rnd.random() < (plan["close_tie"] if close else plan["other_tie"])
        if tied:
            base = rnd.choice((2, 3, 3, 4)) if close else rnd.choice((1, 1, 2))
            depth = min(5, base + (plan["depth_shift"] if rnd.random() < 0.6 else 0))
            frequency = min(5, max(1, depth + rnd.choice((-1, 0, 0, 1))))
            trust = [min(4, max(1, 2 + (depth >= 3) + rnd.choice((-1, 0, 0, 1)))) for _ in range(3)]
            value = min(4, max(1, 1 + depth // 2 + rnd.choice((0, 0, 1))))
            knows = depth >= 3 or rnd.random() < 0.5
        else:
            depth, frequency = 0, rnd.choice((0, 0, 1))
            trust = [rnd.choice((2, 3)) if rnd.random() < 0.4 else None for _ in range(3)]
            value = None
            knows = rnd.random() < 0.15
        raw[f"{target.pk}-frequency"] = str(frequency)
        raw[f"{target.pk}-depth"] = str(depth)
        for item, score in zip(("reliability", "mission", "openness"), trust, strict=True):
            raw[f"{target.pk}-{item}"] = "" if score is None else str(score)
        raw[f"{target.pk}-value"] = "" if value is None else str(value)
        raw[f"{target.pk}-knows"] = "ja" if knows else "nej"
    return raw


def _load_round(association: Association, plan: dict[str, Any], previous: NetworkRound | None) -> NetworkRound:
    network_round = network_round_create(
        association=association,
        name=plan["name"],
        opens_on=plan["opens_on"],
        closes_on=plan["closes_on"],
        previous=previous,
    )
    agencies = list(association.agencies.order_by("kind", "name"))
    rnd = random.Random(f"samverkan-network-demo-{plan['name']}")
    answered_on = plan["opens_on"].replace(day=plan["opens_on"].day + 7)
    for source in agencies:
        if source.name == plan["silent"]:
            continue
        targets = [a for a in agencies if a.pk != source.pk]
        network_answers_submit(
            network_round=network_round,
            agency=source,
            raw_answers=_answers(source, targets, plan, rnd),
            submission_key=f"demo-{network_round.pk}-{source.pk}-{rnd.random()}",
            today=answered_on,
        )
    network_round_close(network_round=network_round, today=plan["closes_on"])
    return network_round


def load_network_survey_demo(*, associations: list[Association], stdout: Any = None) -> None:
    association = next((a for a in associations if a.slug == SLUG), None)
    if association is None:
        return
    with scope(association=association), transaction.atomic():
        if NetworkRound.objects.for_association(association).exists():
            summary = "har redan omgångar i samverkanskartan, lämnas orörd"
        else:
            first = _load_round(association, _round_plan(2025), None)
            _load_round(association, _round_plan(2026), first)
            summary = "två omgångar i samverkanskartan (2025, 2026)"
    if stdout is not None:
        stdout.write(f"  {association.name}: {summary}")
