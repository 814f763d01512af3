"""Demo campaigns and answers for the three demo associations.

Deterministic (a fixed seed per association, fixed autumn windows) and
idempotent: an association that already has campaigns is left as it is.
Norra Västmanland gets two rounds a year apart (autumn 2025 and 2026) that move
towards ring 3 at the team level and not at all at the society level, plus an
open participant survey around today so its anonymous link works; the other
two get one round each at other ring levels, so the benchmark shows a spread.
All three share their aggregates for the benchmark (Östra Östergötland by name).
A level is compared only when at least five other associations take part, so
four anonymous peer associations (no users, one closed round each, never
named) are added too: each demo association then sees six others.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from samverkan.tenancy.models import Agency, Association

from . import services
from .models import Campaign, Instrument

FREE_TEXTS = [
    "Att vi känner varandra över gränserna och vet vem vi ska ringa.",
    "Gemensamma ärendedragningar där individen är med från början.",
    "Att chefer ger mandat så att vi kan lösa saker direkt i mötet.",
    "Mindre projekt, mer ordinarie verksamhet som vi driver tillsammans.",
    "Samverkan blir av först när allt annat är gjort – det behöver ändras.",
    "Att Arbetsförmedlingen och kommunen sitter i samma lokal två dagar i veckan.",
    "Vi behöver en gemensam bild av vilka deltagare som faller mellan stolarna.",
    "Tydligare uppföljning av vad insatserna leder till för individen.",
    "Styrelsen borde fråga efter resultat för individen, inte bara antal.",
    "Jag saknar kunskap om vad regionen kan erbjuda.",
    "Att vi slutar skicka runt personer mellan myndigheterna.",
    "Det fungerar bra i teamet men inte hela vägen upp i organisationerna.",
    "Gemensam kompetensutveckling har gjort stor skillnad för oss.",
    "Korta projektperioder gör att kunskapen försvinner när projektet slutar.",
    "En gemensam plan för varje deltagare som alla parter står bakom.",
    "Vi behöver träffas oftare, inte bara när det brinner.",
    "Att försäkringsmedicinska frågor tas upp tidigt i ärendet.",
    "Mer förebyggande arbete för unga som inte studerar eller arbetar.",
    "Bra med samlokalisering, men sekretessen gör det ibland svårt.",
    "Att deltagaren själv får säga vad som är viktigt.",
    "Ledningen pratar om samverkan men budgeten säger något annat.",
    "Handläggarna vet nu vem de ska vända sig till i kommunen.",
    "Vi har blivit bättre på att dela information med samtycke.",
    "Uppföljningen borde vara gemensam i stället för fyra olika system.",
    "Integrerad samverkan är när jag inte behöver tänka på vems uppdrag det är.",
]


@dataclass(frozen=True)
class Profile:
    """Mean ring placement per level (1–5) for one round."""

    personal: float
    team: float
    organisation: float
    society: float


GROUP_SHIFT = {"board": -0.2, "managers": 0.1, "staff": 0.2, "referrers": -0.1, "participants": 0.0}


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def _core_answers(rnd: random.Random, profile: Profile, group: str) -> dict[str, str]:
    shift = GROUP_SHIFT.get(group, 0.0)
    answers: dict[str, str] = {}
    for level in ("personal", "team", "organisation", "society"):
        mean = getattr(profile, level) + shift
        value = _clamp(rnd.gauss(mean, 0.85))
        answers[f"ring_{level}"] = "9" if rnd.random() < 0.04 else str(value)
        answers[f"ring_{level}_target"] = str(min(5, value + rnd.choice((0, 1, 1, 1, 2))))
    # Hallmark statements follow one latent level per respondent, so the indices hang together.
    latent = rnd.gauss(profile.team + shift - 0.2, 0.7)
    for prefix in ("strat", "indiv", "fordj"):
        for number in range(1, 5):
            answers[f"{prefix}_{number}"] = "9" if rnd.random() < 0.03 else str(_clamp(latent + rnd.gauss(0, 0.55)))
    if rnd.random() < 0.35:
        answers["open_meaning"] = rnd.choice(FREE_TEXTS)
    return answers


def _participant_answers(rnd: random.Random) -> dict[str, str]:
    level = rnd.gauss(3.8, 0.7)
    answers = {f"delt_{n}": str(_clamp(level + rnd.gauss(0, 0.6))) for n in range(1, 7)}
    if rnd.random() < 0.4:
        answers["delt_open"] = rnd.choice(
            [
                "Jag blev lyssnad på och slapp berätta allt flera gånger.",
                "Bra att alla träffades på samma ställe.",
                "Det tog lång tid innan något hände.",
                "Min handläggare hjälpte mig att ta kontakt med regionen.",
                "Jag vet nu vart jag ska vända mig.",
            ]
        )
    return answers


def _instrument(name: str) -> Instrument:
    return Instrument.objects.get(association=None, name=name, version=1)


def _season(day: date) -> str:
    return f"{'hösten' if day.month >= 7 else 'våren'} {day.year}"


def _fill(
    rnd: random.Random,
    campaign: Campaign,
    sizes: dict[str, int],
    make: Callable[[str], dict[str, str]],
    agencies: list[Agency],
) -> int:
    """Submit the answers one by one through the ordinary service, each dated inside the window."""
    days = max((min(campaign.closes_on, timezone.localdate()) - campaign.opens_on).days, 0)
    count = 0
    for group, size in sizes.items():
        for _ in range(size):
            services.response_submit(
                campaign=campaign,
                respondent_group=group,
                raw_answers=make(group),
                submission_key=f"demo:{campaign.pk}:{count}",
                agency=rnd.choice(agencies) if agencies and group != "participants" else None,
                today=campaign.opens_on + timedelta(days=rnd.randint(0, days)),
            )
            count += 1
    return count


def _closed_round(
    rnd: random.Random,
    association: Association,
    *,
    opens_on: date,
    closes_on: date,
    profile: Profile,
    sizes: dict[str, int],
    previous: Campaign | None = None,
) -> Campaign:
    campaign = services.campaign_create(
        association=association,
        name=f"Mätning {_season(opens_on)}",
        instrument=_instrument("Integrerad samverkan"),
        respondent_groups=list(sizes),
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous,
    )
    agencies = list(association.agencies.all())
    _fill(rnd, campaign, sizes, lambda group: _core_answers(rnd, profile, group), agencies)
    services.campaign_close(campaign=campaign, today=closes_on)
    return campaign


@transaction.atomic
def _norra_vastmanland(association: Association, rnd: random.Random, today: date) -> str:
    first = _closed_round(
        rnd,
        association,
        opens_on=date(2025, 9, 8),
        closes_on=date(2025, 10, 10),
        profile=Profile(personal=3.0, team=2.4, organisation=2.5, society=2.2),
        # Few referrers answered the first time: their group is hidden (and one more, to protect it).
        sizes={"board": 8, "managers": 22, "staff": 86, "referrers": 4},
    )
    second = _closed_round(
        rnd,
        association,
        opens_on=date(2026, 9, 7),
        closes_on=date(2026, 10, 9),
        profile=Profile(personal=3.3, team=3.35, organisation=2.7, society=2.2),
        sizes={"board": 9, "managers": 24, "staff": 74, "referrers": 14},
        previous=first,
    )
    participants = services.campaign_create(
        association=association,
        name=f"Deltagarenkät {today.year}",
        instrument=_instrument("Deltagarenkät"),
        respondent_groups=["participants"],
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=30),
    )
    _fill(rnd, participants, {"participants": 15}, lambda group: _participant_answers(rnd), [])
    services.responses_publish(campaign=participants)  # one batch of fifteen, as reading the results would
    rounds = [f"{c.name} ({c.responses.count()} svar)" for c in (first, second)]
    return ", ".join([*rounds, f"{participants.name} (öppen)"])


@transaction.atomic
def _one_round(
    association: Association, rnd: random.Random, opens_on: date, closes_on: date, profile: Profile, size: int
) -> str:
    campaign = _closed_round(
        rnd,
        association,
        opens_on=opens_on,
        closes_on=closes_on,
        profile=profile,
        sizes={"board": 7, "managers": size // 4, "staff": size - 7 - size // 4},
    )
    return f"{campaign.name} ({campaign.responses.count()} svar)"


# Anonymous peers so the benchmark has enough associations to be shown (see benchmark.py).
PEERS = [
    ("demo-jamforelse-1", "Jämförelseförbund 1 (demo)", Profile(personal=3.2, team=3.0, organisation=2.6, society=2.3)),
    ("demo-jamforelse-2", "Jämförelseförbund 2 (demo)", Profile(personal=2.6, team=2.4, organisation=2.1, society=1.9)),
    ("demo-jamforelse-3", "Jämförelseförbund 3 (demo)", Profile(personal=3.9, team=3.5, organisation=3.0, society=2.8)),
    ("demo-jamforelse-4", "Jämförelseförbund 4 (demo)", Profile(personal=3.0, team=3.3, organisation=2.9, society=2.4)),
]


@transaction.atomic
def _peer(slug: str, name: str, profile: Profile) -> str:
    peer, _ = Association.objects.update_or_create(
        slug=slug,
        defaults={"name": name, "county": "Demo", "benchmark_opt_in": True, "benchmark_named": False},
    )
    if Campaign.objects.for_association(peer).exists():
        return "har redan kampanjer, lämnas orörd"
    campaign = _closed_round(
        random.Random(f"samverkan-demo-{slug}"),
        peer,
        opens_on=date(2026, 9, 14),
        closes_on=date(2026, 10, 16),
        profile=profile,
        sizes={"board": 6, "managers": 9, "staff": 21},
    )
    return f"{campaign.name} ({campaign.responses.count()} svar)"


def load_measure_demo(*, associations: list[Association], stdout: Any = None) -> None:
    today = timezone.localdate()
    by_slug = {a.slug: a for a in associations}
    plans = {
        "norra-vastmanland": lambda a, rnd: _norra_vastmanland(a, rnd, today),
        "ostra-ostergotland": lambda a, rnd: _one_round(
            a,
            rnd,
            date(2026, 9, 14),
            date(2026, 10, 16),
            Profile(personal=3.6, team=3.7, organisation=3.1, society=2.6),
            72,
        ),
        "botkyrka-huddinge-salem": lambda a, rnd: _one_round(
            a,
            rnd,
            date(2026, 9, 21),
            date(2026, 10, 23),
            Profile(personal=2.8, team=2.6, organisation=2.3, society=2.0),
            64,
        ),
    }
    for slug, plan in plans.items():
        association = by_slug.get(slug)
        if association is None:
            continue
        # Everyone shares aggregates for the benchmark; only Östra Östergötland chose to be named.
        Association.objects.filter(pk=association.pk).update(
            benchmark_opt_in=True, benchmark_named=slug == "ostra-ostergotland"
        )
        if Campaign.objects.for_association(association).exists():
            summary = "har redan kampanjer, lämnas orörd"
        else:
            summary = plan(association, random.Random(f"samverkan-demo-{slug}"))
        if stdout is not None:
            stdout.write(f"  {association.name}: {summary}")
    for slug, name, profile in PEERS:
        summary = _peer(slug, name, profile)
        if stdout is not None:
            stdout.write(f"  {name} (anonym i jämförelsen): {summary}")
