"""Tenant scoping fails closed (django-scopes): a query that forgets its association raises.

The autouse fixture in conftest.py disables scopes for a test's own setup; these tests clear that to
see what production code sees, and requests through the test client start unscoped anyway
(common/middleware.py TenantScopeMiddleware).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import ScopeError, scope, scopes_disabled
from django_scopes.state import state

from samverkan.common.factories import AssociationFactory
from samverkan.economics.models import Scenario, UnitCost
from samverkan.interventions.models import (
    AnonymousParticipation,
    Intervention,
    InterventionAssignment,
    Participant,
    ParticipantImport,
    PendingParticipantFile,
)
from samverkan.jobs.models import Job
from samverkan.measure import services
from samverkan.measure.benchmark import level_benchmarks
from samverkan.measure.models import (
    Answer,
    Campaign,
    CampaignLink,
    Draft,
    HallmarkScore,
    Invitation,
    PendingResponse,
    Receipt,
    Response,
    ResultSnapshot,
)
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit
from samverkan.network.models import (
    ContactRoute,
    Location,
    MeetingRequest,
    NetworkAnswer,
    NetworkInvitation,
    NetworkRound,
    Schedule,
    Service,
    ServiceAtLocation,
)
from samverkan.tenancy.models import ApiToken, Membership, MembershipInvitation
from samverkan.tenancy.services import api_token_create
from samverkan.workshops.models import Answer as WorkshopAnswer
from samverkan.workshops.models import IStatement, Narrative, NarrativeVersion, Persona, Prompt, Workshop

SCOPED_MODELS = [
    ApiToken,
    Membership,
    MembershipInvitation,
    Campaign,
    CampaignLink,
    Invitation,
    Response,
    Answer,
    HallmarkScore,
    Receipt,
    PendingResponse,
    Draft,
    ResultSnapshot,
    Job,
    # The interventions app's models (through their intervention for the participant part).
    Intervention,
    Participant,
    AnonymousParticipation,
    InterventionAssignment,
    ParticipantImport,
    PendingParticipantFile,
    Workshop,
    Prompt,
    WorkshopAnswer,
    Narrative,
    Persona,
    IStatement,
    NarrativeVersion,
    Scenario,
    # Its own rows only; the shared ones (association null) through UnitCost.shared (economics/models/prices.py).
    UnitCost,
    # The collaboration map's network survey (through its round for invitations and answers).
    NetworkRound,
    NetworkInvitation,
    NetworkAnswer,
    # The network directory (its children through their service).
    Service,
    ContactRoute,
    Location,
    ServiceAtLocation,
    Schedule,
    MeetingRequest,
]


@contextmanager
def _as_in_production() -> Iterator[None]:
    """No scope at all, as a request or a command starts."""
    token = state.set(None)
    try:
        yield
    finally:
        state.reset(token)


def test_every_model_with_an_association_is_scoped() -> None:
    """A new tenant model (an `association` field, or a `campaign` one) must be added to SCOPED_MODELS."""
    tenant_models = {
        model
        for model in apps.get_models()
        if model.__module__.startswith("samverkan.")
        and any(field.name in ("association", "campaign", "response") for field in model._meta.fields)
        and model.__name__ != "Instrument"  # the shared catalogue: core instruments belong to nobody
    }
    assert tenant_models <= set(SCOPED_MODELS)


@pytest.mark.django_db
@pytest.mark.parametrize("model", SCOPED_MODELS, ids=lambda model: model.__name__)
def test_a_query_that_forgets_its_tenant_raises(model: Any) -> None:
    with _as_in_production():
        with pytest.raises(ScopeError):
            list(model.objects.all())
        with pytest.raises(ScopeError):
            model.objects.filter(pk=1).exists()


def test_a_view_sees_only_its_own_association(actors: Any) -> None:
    ours = open_campaign(actors.association, name="Vår")
    theirs = open_campaign(actors.other_association, name="Deras")
    submit(ours, "staff", ring_answers(3))
    submit(theirs, "staff", ring_answers(4))
    with _as_in_production(), scope(association=actors.association):
        assert list(Campaign.objects.all()) == [ours]
        assert list(Campaign.objects.for_association(actors.association)) == [ours]  # the old way still works
        assert not Campaign.objects.filter(pk=theirs.pk).exists()
        assert {r.campaign_id for r in Response.objects.all()} == {ours.pk}
        assert {a.response.campaign_id for a in Answer.objects.select_related("response")} == {ours.pk}
        assert set(CampaignLink.objects.values_list("campaign_id", flat=True)) == {ours.pk}
        assert {m.association_id for m in Membership.objects.all()} == {actors.association.pk}
    # A scope inside the tests' disabled one still enforces: that is what makes view tests meaningful.
    with scopes_disabled(), scope(association=actors.other_association):
        assert list(Campaign.objects.all()) == [theirs]


def test_a_page_of_one_association_never_lists_another_s_rounds(actors: Any) -> None:
    open_campaign(actors.association, name="Alfas runda")
    open_campaign(actors.other_association, name="Betas runda")
    html = actors.client_for(actors.admin).get(reverse("measure:campaign_list", args=["alfa"])).content.decode()
    assert "Alfas runda" in html and "Betas runda" not in html


def test_the_benchmark_still_reads_across_associations(actors: Any) -> None:
    today = timezone.localdate()

    def closed_round(association: Any, value: int) -> Campaign:
        campaign = open_campaign(association)
        for _ in range(6):
            submit(campaign, "staff", ring_answers(value))
        services.campaign_close(campaign=campaign, today=today)
        return campaign

    own = actors.association
    own.benchmark_opt_in = True
    own.save()
    for value in (1, 2, 3, 4, 5):
        closed_round(AssociationFactory(benchmark_opt_in=True), value)
    campaign = closed_round(own, 3)
    with _as_in_production(), scope(association=own):  # as the results page calls it
        benchmarks = level_benchmarks(association=own, campaign=campaign)
    assert benchmarks is not None
    assert sorted(p.mean for p in next(b for b in benchmarks if b.level == "team").peers) == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_answering_through_a_public_link_still_works(actors: Any) -> None:
    campaign = open_campaign(actors.association, groups=("staff",))
    token = CampaignLink.objects.get(campaign=campaign).token
    client = Client()
    assert client.get(reverse("measure:answer_link", args=[token])).status_code == 200
    response = client.post(reverse("measure:answer_link", args=[token]), ring_answers(3))
    assert response.status_code == 302
    assert (
        Receipt.objects.filter(campaign=campaign).exists()
        or PendingResponse.objects.filter(campaign=campaign).exists()
        or Response.objects.filter(campaign=campaign).exists()
    )


def test_api_token_auth_still_finds_its_association_and_only_its_rounds(actors: Any) -> None:
    open_campaign(actors.association, name="Alfas")
    open_campaign(actors.other_association, name="Betas")
    _, token = api_token_create(association=actors.association, name="Alfa")
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/measure/campaigns")
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["items"]] == ["Alfas"]


def test_a_streamed_responses_export_reads_its_rows_in_the_association_scope(actors: Any) -> None:
    """The responses CSV streams: its rows are read after the view returned, outside the view's scope."""
    campaign = open_campaign(actors.association, groups=("staff",))
    for _ in range(6):
        submit(campaign, "staff", ring_answers(3))
    response = actors.client_for(actors.analyst).get(
        reverse("measure:export", args=["alfa", campaign.pk, "svar", "csv"])
    )
    assert response.status_code == 200 and response.streaming
    with _as_in_production():  # as the WSGI server reads the stream: no scope of its own
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 7
