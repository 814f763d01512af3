"""Demo participants for Norra Västmanland: several hundred, some only counted anonymously, over the demo interventions.

Deterministic (a seeded generator per intervention) and idempotent: codes are fixed per intervention
(`D-<code>-<n>`), so loading again creates nothing; the anonymous counts are written only for an
intervention that has none. Outcomes are drawn so the transition table is worth reading: many start
on sickness benefits or income support, and the permanent operations move more people into work or
studies than the early projects did. The demo's member (medlem@demo) is deltagaransvarig of two
interventions and the analyst insatsansvarig of them (the member must enrol a TOTP app to see rows).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django_scopes import scope

from samverkan.tenancy.models import Association

from .models import (
    AnonymousParticipation,
    AssignmentRole,
    Intervention,
    InterventionAssignment,
    Orientation,
    Participant,
)
from .vocabulary import AgeBand, Education, EndReason, Gender, IncomeSource

TODAY = datetime.date(2026, 11, 15)  # fixed, so the demo is the same whenever it is loaded

START_SOURCES = [
    (IncomeSource.SJUKPENNING, 22),
    (IncomeSource.AKTIVITETSERSATTNING, 14),
    (IncomeSource.SJUKERSATTNING, 5),
    (IncomeSource.FORSORJNINGSSTOD, 24),
    (IncomeSource.A_KASSA, 6),
    (IncomeSource.AKTIVITETSSTOD, 14),
    (IncomeSource.ETABLERINGSERSATTNING, 4),
    (IncomeSource.INGEN_ERSATTNING, 9),
    (IncomeSource.OKAND, 2),
]
END_REASON_OF = {
    IncomeSource.LON: EndReason.ARBETE,
    IncomeSource.STUDIEMEDEL: EndReason.STUDIER,
    IncomeSource.A_KASSA: EndReason.ARBETSSOKANDE,
    IncomeSource.AKTIVITETSSTOD: EndReason.ARBETSSOKANDE,
}


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    values, weights = zip(*weighted, strict=True)
    return str(rng.choices(values, weights=weights)[0])


def _end_source(rng: random.Random, start: str, permanent: bool) -> str:
    success = 0.42 if permanent else 0.28
    roll = rng.random()
    if roll < success:
        return IncomeSource.LON if rng.random() < 0.7 else IncomeSource.STUDIEMEDEL
    if roll < success + 0.15:
        return IncomeSource.AKTIVITETSSTOD if start != IncomeSource.AKTIVITETSSTOD else IncomeSource.A_KASSA
    if roll < success + 0.22 and start == IncomeSource.SJUKPENNING:
        return IncomeSource.SJUKERSATTNING
    return start


def _participants_for(intervention: Intervention, rng: random.Random, n: int) -> tuple[list[Participant], dict]:
    last = min(intervention.end or TODAY, TODAY)
    span = max((last - intervention.start).days - 30, 30)
    rows: list[Participant] = []
    anonymous: dict[tuple, int] = {}
    for i in range(n):
        start = intervention.start + datetime.timedelta(days=rng.randrange(span))
        days = rng.randint(45, 700)
        end: datetime.date | None = start + datetime.timedelta(days=days)
        if end is not None and end > last:
            end = None if intervention.end is None or intervention.end > TODAY else last
        permanent = intervention.form_in_year(start.year) == "permanent"
        income_start = _pick(rng, START_SOURCES)
        income_end = _end_source(rng, income_start, permanent) if end else ""
        gender = _pick(rng, [(Gender.KVINNA, 52), (Gender.MAN, 45), (Gender.ANNAT, 1), (Gender.UPPGIFT_SAKNAS, 2)])
        age = _pick(rng, [(a, w) for a, w in zip(AgeBand.values, (8, 22, 20, 22, 16, 12), strict=True)])
        if rng.random() < 0.12:  # no consent or protected identity: counted, not registered
            key = (start.year, end.year if end else None, gender, age, income_start, income_end)
            anonymous[key] = anonymous.get(key, 0) + 1
            continue
        status_90 = ""
        if end and end + datetime.timedelta(days=90) <= TODAY and rng.random() < 0.75:
            status_90 = income_end if rng.random() < 0.8 else _end_source(rng, income_start, permanent)
        rows.append(
            Participant(
                intervention=intervention,
                code=f"D-{intervention.code}-{i + 1:03}",
                consent_date=start,
                consent_purpose="Registrering och uppföljning av deltagande i insatsen",
                gender=gender,
                age_band=age,
                start=start,
                end=end,
                education=_pick(rng, [(e, w) for e, w in zip(Education.values, (30, 45, 15, 10), strict=True)]),
                income_start=income_start,
                income_end=income_end,
                end_reason=(
                    END_REASON_OF.get(
                        income_end,
                        rng.choice([EndReason.ANNAN_INSATS, EndReason.SJUKDOM, EndReason.AVBROTT, EndReason.FLYTT]),
                    )
                    if end
                    else ""
                ),
                status_90=status_90,
            )
        )
    return rows, anonymous


def load_participants_demo(*, associations: list[Association], stdout: Any = None) -> None:
    association = next((a for a in associations if a.slug == "norra-vastmanland"), None)
    if association is None:
        return
    created = 0
    with scope(association=association), transaction.atomic():
        interventions = list(
            Intervention.objects.filter(association=association, orientation=Orientation.INDIVIDUAL).order_by("code")
        )
        for intervention in interventions:
            rng = random.Random(f"samverkan-demo-{intervention.code}")
            rows, anonymous = _participants_for(intervention, rng, rng.randint(90, 170))
            existing = set(Participant.objects.filter(intervention=intervention).values_list("code", flat=True))
            new = [p for p in rows if p.code not in existing]
            Participant.objects.bulk_create(new)
            created += len(new)
            if not AnonymousParticipation.objects.filter(intervention=intervention).exists():
                AnonymousParticipation.objects.bulk_create(
                    AnonymousParticipation(
                        intervention=intervention,
                        start_year=sy,
                        end_year=ey,
                        gender=g,
                        age_band=a,
                        income_start=s,
                        income_end=e,
                        count=n,
                    )
                    for (sy, ey, g, a, s, e), n in sorted(anonymous.items(), key=str)
                )
        User = get_user_model()
        member = User.objects.filter(email="medlem@demo.samverkan.se").first()
        analyst = User.objects.filter(email="analytiker@demo.samverkan.se").first()
        for intervention in interventions[:2]:
            for user, role in ((member, AssignmentRole.PARTICIPANTS), (analyst, AssignmentRole.INTERVENTION)):
                if user is not None:
                    InterventionAssignment.objects.get_or_create(
                        intervention=intervention, user=user, defaults={"role": role}
                    )
    if stdout is not None:
        summary = f"{created} deltagare skapade" if created else "deltagarna finns redan, lämnas orörda"
        stdout.write(f"  {association.name}: {summary}")
