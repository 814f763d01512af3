"""Interventions in the API: the token's association only, 400 with a reason on bad input, 404 for others' ids."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from samverkan.tenancy.models import Agency
from samverkan.tenancy.services import api_token_create

from .factories import InterventionFactory, heads, money, permanent

pytestmark = pytest.mark.django_db


def _api(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def tokens(actors):
    _, alfa = api_token_create(association=actors.association, name="Alfa")
    _, beta = api_token_create(association=actors.other_association, name="Beta")
    return alfa, beta


def test_the_list_holds_only_the_tokens_association_and_filters_by_form(actors, tokens) -> None:
    alfa, _beta = tokens
    InterventionFactory(association=actors.association, name="Projektet")
    lasting = permanent(actors.association, date(2024, 1, 1), name="Verksamheten")
    lasting.agencies.set([Agency.objects.get(name="Region Test")])
    InterventionFactory(association=actors.other_association, name="Betas")
    body = _api(alfa).get("/api/interventions/interventions").json()
    assert body["count"] == 2 and [i["name"] for i in body["items"]] == ["Projektet", "Verksamheten"]
    only = _api(alfa).get("/api/interventions/interventions", {"form": "permanent"}).json()
    assert [i["name"] for i in only["items"]] == ["Verksamheten"]
    assert only["items"][0]["agencies"] == ["Region Test"] and only["items"][0]["permanent_since"] == "2024-01-01"


def test_the_detail_has_money_time_and_head_counts_per_year(actors, tokens) -> None:
    alfa, beta = tokens
    intervention = InterventionFactory(association=actors.association)
    money(intervention, 2023, 1000, budget=1200, financier_kind="external", external_name="ESF")
    heads(intervention, 2023, 12)
    response = _api(alfa).get(f"/api/interventions/interventions/{intervention.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["financing"] == [
        {"year": 2023, "financier_kind": "external", "financier": "ESF", "budget": 1200, "amount": 1000}
    ]
    assert body["volume_counts"] == [{"year": 2023, "head_count": 12}]
    other = _api(beta).get(f"/api/interventions/interventions/{intervention.pk}")
    assert other.status_code == 404 and other.json()["detail"] == "Insatsen finns inte."


@pytest.mark.parametrize(
    "query",
    [{"form": "pilot"}, {"orientation": "x"}, {"limit": "0"}, {"limit": "1000"}, {"offset": "-1"}, {"limit": "abc"}],
)
def test_bad_list_parameters_are_400_with_a_swedish_reason(tokens, query) -> None:
    response = _api(tokens[0]).get("/api/interventions/interventions", query)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Ogiltig begäran")


@pytest.mark.parametrize("value", ["0", "-3", "abc", str(2**63), "99999999999999999999999"])
def test_bad_ids_are_400_not_500(tokens, value) -> None:
    response = _api(tokens[0]).get(f"/api/interventions/interventions/{value}")
    assert response.status_code in (400, 404)
    assert response.status_code != 500


def test_no_token_is_401() -> None:
    assert Client().get("/api/interventions/interventions").status_code == 401
