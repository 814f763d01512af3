"""Shared set-up for the participant tests: an intervention in each association and the per-intervention roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.common.factories import MembershipFactory, UserFactory
from samverkan.interventions import participant_services as services
from samverkan.interventions.models import AssignmentRole, Intervention, InterventionAssignment
from samverkan.tenancy.models import Role

PNR = "19900101-0017"


def verified_client(user: Any) -> Client:
    """A session that passed the second factor (a confirmed TOTP app, django-otp's session mark)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Autentiseringsapp", confirmed=True
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_intervention(association: Any, **kwargs: Any) -> Intervention:
    defaults = {"name": "Steg 1", "code": "steg1", "start": datetime.date(2021, 1, 1)}
    defaults.update(kwargs)
    return Intervention.objects.create(association=association, **defaults)


def participant_data(**kwargs: Any) -> dict[str, Any]:
    data = {
        "consent_date": datetime.date(2024, 2, 1),
        "consent_purpose": "Uppföljning av insatsen",
        "gender": "kvinna",
        "age_band": "25-29",
        "education": "gymnasial",
        "start": datetime.date(2024, 2, 1),
        "income_start": "sjukpenning",
    }
    data.update(kwargs)
    return data


@dataclass
class World:
    actors: Any
    intervention: Intervention
    other_intervention: Intervention  # association B's
    second_intervention: Intervention  # A's, where the coordinator has no role
    coordinator: Any  # deltagaransvarig of `intervention`
    manager: Any  # insatsansvarig of `intervention`


@pytest.fixture
def world(actors: Any) -> World:
    intervention = make_intervention(actors.association)
    second = make_intervention(actors.association, name="Steg 2", code="steg2")
    other = make_intervention(actors.other_association, name="Betas insats", code="beta1")
    coordinator = UserFactory(email="deltagaransvarig@alfa.se")
    manager = UserFactory(email="insatsansvarig@alfa.se")
    MembershipFactory(user=coordinator, association=actors.association, role=Role.MEMBER)
    MembershipFactory(user=manager, association=actors.association, role=Role.MEMBER)
    InterventionAssignment.objects.create(intervention=intervention, user=coordinator, role=AssignmentRole.PARTICIPANTS)
    InterventionAssignment.objects.create(intervention=intervention, user=manager, role=AssignmentRole.INTERVENTION)
    return World(actors, intervention, other, second, coordinator, manager)


def register(world: World, **kwargs: Any) -> Any:
    return services.participant_register(
        intervention=kwargs.pop("intervention", world.intervention),
        recorded_by=world.coordinator,
        **participant_data(**kwargs),
    )
