"""The participants' demo is deterministic and idempotent; the portfolio counts every participant in its years."""

from __future__ import annotations

import datetime
import io

import pytest

from samverkan.common.factories import AssociationFactory
from samverkan.interventions import participant_services as services
from samverkan.interventions.demo_participants import load_participants_demo
from samverkan.interventions.models import AnonymousParticipation, Participant
from samverkan.interventions.portfolio_counts import participant_totals
from samverkan.interventions.tests.participant_fixtures import make_intervention, register

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(
            Participant.objects.values_list("code", "start", "end", "income_start", "income_end", "status_90"), key=str
        ),
        sorted(AnonymousParticipation.objects.values_list("start_year", "end_year", "income_start", "count"), key=str),
    )


def test_demo_participants_are_deterministic_and_idempotent() -> None:
    association = AssociationFactory(slug="norra-vastmanland", name="Norra Västmanland")
    make_intervention(association, name="Steg till arbete", code="steg", start=datetime.date(2022, 1, 1))
    make_intervention(association, name="Team", code="team", start=datetime.date(2023, 3, 1))
    out = io.StringIO()
    load_participants_demo(associations=[association], stdout=out)
    first = _snapshot()
    assert len(first[0]) > 150 and sum(n for *_r, n in first[1]) > 10
    assert "deltagare skapade" in out.getvalue()
    load_participants_demo(associations=[association], stdout=out)
    assert _snapshot() == first
    assert "finns redan" in out.getvalue()
    # Deterministic: from scratch again, the same rows.
    Participant.objects.all().delete()
    AnonymousParticipation.objects.all().delete()
    load_participants_demo(associations=[association])
    assert _snapshot() == first
    # Outcomes worth reading: people move from benefits into work or studies.
    moved = Participant.objects.filter(income_end__in=["lon", "studiemedel"]).exclude(
        income_start__in=["lon", "studiemedel"]
    )
    assert moved.count() > 30


def test_portfolio_counts_registered_and_anonymous_participants_in_every_year_they_overlap(world) -> None:
    register(
        world, start=datetime.date(2023, 5, 1), end=datetime.date(2024, 2, 1), income_end="lon", end_reason="arbete"
    )
    services.anonymous_add(
        intervention=world.intervention,
        start_year=2024,
        end_year=2024,
        gender="man",
        age_band="30-39",
        income_start="a_kassa",
        income_end="lon",
        count=3,
    )
    totals = participant_totals(world.actors.association)
    assert totals[(world.intervention.pk, 2023)] == 1
    assert totals[(world.intervention.pk, 2024)] == 4
    assert (world.intervention.pk, 2025) not in totals
