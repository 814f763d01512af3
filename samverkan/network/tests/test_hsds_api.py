"""The directory's HSDS API: answers valid against the official schemas and OpenAPI's Page, one association only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from samverkan.network.hsds import organization_id
from samverkan.network.hsds_schema import validate_record
from samverkan.network.tests.hsds_fixtures import build_directory, official_spec
from samverkan.tenancy.services import api_token_create

pytestmark = [pytest.mark.django_db, pytest.mark.urls("samverkan.network.tests.api_urls")]


@pytest.fixture
def directory(actors: Any) -> dict[str, Any]:
    return build_directory(actors.association)


@pytest.fixture
def tokens(actors: Any) -> tuple[str, str]:
    _, alfa = api_token_create(association=actors.association, name="Alfa")
    _, beta = api_token_create(association=actors.other_association, name="Beta")
    return alfa, beta


def _api(token: str | None) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def _valid_page(body: dict[str, Any], entity: str) -> None:
    spec = official_spec()
    Draft202012Validator(spec.page_schema()).validate(body)
    assert set(body) == {*spec.page_schema()["properties"], "contents"}
    for record in body["contents"]:
        assert validate_record(spec, entity, record, file="api") == [], record


def test_anonymous_or_wrong_token_is_401(directory: Any) -> None:
    sid = directory["rehab"].uuid
    for client in (_api(None), _api("sv_inte-en-riktig-nyckel")):
        for path in ("/api/network/services", f"/api/network/services/{sid}", "/api/network/organizations"):
            response = client.get(path)
            assert response.status_code == 401, path
            assert response.json()["detail"] == "Saknar giltig API-nyckel."


def test_the_service_list_is_an_hsds_page_of_the_tokens_association(
    actors: Any, directory: Any, tokens: tuple[str, str]
) -> None:
    alfa, beta = tokens
    body = _api(alfa).get("/api/network/services").json()
    _valid_page(body, "service")
    assert body["total_items"] == 2 and body["empty"] is False and body["first_page"] and body["last_page"]
    assert [s["name"] for s in body["contents"]] == ["Ekonomiskt bistånd", "Samordnad rehabilitering"]
    paged = _api(alfa).get("/api/network/services?per_page=1&page=2").json()
    _valid_page(paged, "service")
    assert (paged["total_pages"], paged["page_number"], paged["size"], paged["first_page"]) == (2, 2, 1, False)
    beyond = _api(alfa).get("/api/network/services?per_page=1&page=9").json()
    assert beyond["empty"] is True and beyond["contents"] == []
    theirs = _api(beta).get("/api/network/services").json()
    assert theirs["total_items"] == 0 and theirs["empty"] is True


def test_services_filter_by_organization_and_search(directory: Any, tokens: tuple[str, str]) -> None:
    alfa, _beta = tokens
    fk = organization_id(directory["rehab"].agency)
    body = _api(alfa).get(f"/api/network/services?organization_id={fk}").json()
    assert [s["name"] for s in body["contents"]] == ["Samordnad rehabilitering"]
    body = _api(alfa).get("/api/network/services?search=bistånd").json()
    assert [s["name"] for s in body["contents"]] == ["Ekonomiskt bistånd"]


def test_a_full_service_validates_and_has_no_person_without_consent(directory: Any, tokens: tuple[str, str]) -> None:
    alfa, _beta = tokens
    response = _api(alfa).get(f"/api/network/services/{directory['rehab'].uuid}")
    assert response.status_code == 200
    body = response.json()
    assert validate_record(official_spec(), "service", body, file="api") == []
    assert body["organization"]["name"] == "Försäkringskassan"
    assert {c["name"] for c in body["contacts"]} == {"Mottagningen", "Åsa Öberg"}
    assert "Hemlig" not in response.content.decode()
    (at,) = body["service_at_locations"]
    assert at["location"]["addresses"][0]["address_1"] == "Storgatan 1"
    assert at["schedules"][0]["byday"] == "TH"


def test_another_associations_ids_are_404(actors: Any, directory: Any, tokens: tuple[str, str]) -> None:
    _alfa, beta = tokens
    response = _api(beta).get(f"/api/network/services/{directory['rehab'].uuid}")
    assert response.status_code == 404
    assert response.json()["detail"] == "Tjänsten finns inte."
    fk = organization_id(directory["rehab"].agency)  # an agency of Alfa, not a member of Beta
    assert _api(beta).get(f"/api/network/organizations/{fk}").status_code == 404


def test_organizations_are_the_members_with_their_services(
    actors: Any, directory: Any, tokens: tuple[str, str]
) -> None:
    alfa, _beta = tokens
    body = _api(alfa).get("/api/network/organizations").json()
    _valid_page(body, "organization")
    assert body["total_items"] == 4
    fk = organization_id(directory["rehab"].agency)
    detail = _api(alfa).get(f"/api/network/organizations/{fk}").json()
    assert validate_record(official_spec(), "organization", detail, file="api") == []
    assert [s["name"] for s in detail["services"]] == ["Samordnad rehabilitering"]
    for service in detail["services"]:
        assert validate_record(official_spec(), "service", service, file="api") == []


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/api/network/services?page=0", "page måste vara minst 1"),
        ("/api/network/services?per_page=101", "per_page får vara högst 100"),
        ("/api/network/services?page=abc", "page måste vara ett heltal"),
        ("/api/network/services?organization_id=nej", "organization_id är inget UUID"),
        ("/api/network/services/inte-ett-id", "id är inget UUID"),
        ("/api/network/organizations/123", "id är inget UUID"),
    ],
)
def test_bad_parameters_are_400_with_a_reason(directory: Any, tokens: tuple[str, str], path: str, reason: str) -> None:
    alfa, _beta = tokens
    response = _api(alfa).get(path)
    assert response.status_code == 400, response.content
    assert reason in response.json()["detail"]


def test_the_openapi_description_lists_the_hsds_paths() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/network/services",
        "/api/network/services/{service_id}",
        "/api/network/organizations",
        "/api/network/organizations/{organization_id}",
    ):
        assert path in paths, path
    names = {p["name"] for p in paths["/api/network/services"]["get"]["parameters"]}
    assert {"page", "per_page", "search", "organization_id"} <= names


def test_service_at_locations_are_pages_and_full_records(directory: Any, tokens: tuple[str, str]) -> None:
    alfa, beta = tokens
    body = _api(alfa).get("/api/network/service_at_locations").json()
    _valid_page(body, "service_at_location")
    (item,) = body["contents"]
    assert item["service_id"] == str(directory["rehab"].uuid)
    only = _api(alfa).get(f"/api/network/service_at_locations?location_id={directory['bare'].uuid}").json()
    assert only["total_items"] == 0
    link = directory["link"].uuid
    detail = _api(alfa).get(f"/api/network/service_at_locations/{link}").json()
    assert validate_record(official_spec(), "service_at_location", detail, file="api") == []
    assert detail["location"]["name"] == "Kontoret på Storgatan"
    assert detail["service"]["name"] == "Samordnad rehabilitering"
    assert [s["byday"] for s in detail["schedules"]] == ["TH"]
    assert _api(beta).get(f"/api/network/service_at_locations/{link}").status_code == 404


def test_the_meta_endpoint_names_the_hsds_version(tokens: tuple[str, str]) -> None:
    alfa, _beta = tokens
    body = _api(alfa).get("/api/network/").json()
    assert body["version"] == "3.0.0"
    assert body["openapi_url"].endswith("/api/openapi.json")


def test_only_the_json_format_is_offered(tokens: tuple[str, str]) -> None:
    alfa, _beta = tokens
    response = _api(alfa).get("/api/network/services?format=ndjson")
    assert response.status_code == 400
    assert "format kan bara vara json" in response.json()["detail"]
