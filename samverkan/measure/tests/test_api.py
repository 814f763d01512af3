"""The measure API: token scoped to one association, results suppressed as in every other output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from samverkan.measure.tests.factories import PUBLISHED_CELL_FIELDS, open_campaign, ring_answers, submit
from samverkan.tenancy.services import api_token_create

pytestmark = pytest.mark.django_db

RESULTS_PATH = "/api/measure/campaigns/{campaign_id}/results"


@pytest.fixture
def campaign(actors: Any) -> Any:
    """Staff 20 (shown), board 3 (below the minimum), managers 8 (hidden as the complement)."""
    campaign = open_campaign(actors.association, name="Hösten", groups=("board", "managers", "staff"))
    for i in range(20):
        submit(campaign, "staff", ring_answers(3 + i % 3))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1, target=1))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(5))
    return campaign


@pytest.fixture
def tokens(actors: Any) -> tuple[str, str]:
    _, alfa = api_token_create(association=actors.association, name="Alfa")
    _, beta = api_token_create(association=actors.other_association, name="Beta")
    return alfa, beta


def _api(token: str | None) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"} if token else {})


def test_no_or_wrong_token_is_401(campaign: Any) -> None:
    for client in (_api(None), _api("sv_inte-en-riktig-nyckel")):
        for path in ("/api/measure/campaigns", f"/api/measure/campaigns/{campaign.pk}/results"):
            response = client.get(path)
            assert response.status_code == 401
            assert response.json()["detail"] == "Saknar giltig API-nyckel."


def test_campaign_list_holds_only_the_tokens_association(actors: Any, campaign: Any, tokens: tuple[str, str]) -> None:
    alfa, beta = tokens
    small = open_campaign(actors.association, name="Liten")
    for _ in range(3):
        submit(small, "staff", ring_answers(2))
    theirs = open_campaign(actors.other_association, name="Betas höst")

    listed = _api(alfa).get("/api/measure/campaigns")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    by_name = {c["name"]: c for c in listed.json()["items"]}
    assert set(by_name) == {"Hösten", "Liten"}
    hosten = by_name["Hösten"]
    assert {"id", "name", "status", "opens_on", "closes_on", "responses"} <= set(hosten)
    assert hosten["id"] == campaign.pk and hosten["status"] == "open" and hosten["responses"] == 31
    assert hosten["opens_on"] == campaign.opens_on.isoformat()
    assert by_name["Liten"]["responses"] is None  # 3 answers: below the minimum, not even the count

    assert [c["id"] for c in _api(beta).get("/api/measure/campaigns").json()["items"]] == [theirs.pk]


def test_campaign_list_comes_a_page_at_a_time(actors: Any, campaign: Any, tokens: tuple[str, str]) -> None:
    alfa, _beta = tokens
    for n in range(3):
        open_campaign(actors.association, name=f"Omgång {n}")
    first = _api(alfa).get("/api/measure/campaigns?limit=2").json()
    second = _api(alfa).get("/api/measure/campaigns?limit=2&offset=2").json()
    assert first["count"] == second["count"] == 4
    assert len(first["items"]) == 2 and len(second["items"]) == 2
    assert {c["id"] for c in first["items"]}.isdisjoint({c["id"] for c in second["items"]})
    for bad in ("limit=0", "limit=101", "limit=abc", "offset=-1"):
        response = _api(alfa).get(f"/api/measure/campaigns?{bad}")
        assert response.status_code == 400, bad
        assert response.json()["detail"]


def test_results_are_suppressed_like_every_other_output(campaign: Any, tokens: tuple[str, str]) -> None:
    alfa, _ = tokens
    response = _api(alfa).get(f"/api/measure/campaigns/{campaign.pk}/results")
    assert response.status_code == 200
    payload = response.json()
    assert payload["campaign"]["name"] == "Hösten" and payload["responses"] == 31
    groups = {g["group"]: g for g in payload["groups"]}
    assert groups["board"] == {"group": "board", "group_label": "Styrelseledamot", "suppressed": True, "n": None}
    assert groups["managers"]["suppressed"] and groups["managers"]["n"] is None
    assert groups["staff"]["n"] == 20
    assert len(payload["levels"]) == 4
    keys = PUBLISHED_CELL_FIELDS
    for level in payload["levels"]:
        cells = {c["group"]: c for c in level["groups"]}
        for cell in cells.values():
            assert keys <= set(cell)
        for hidden in ("board", "managers"):
            assert cells[hidden]["suppressed"]
            assert all(cells[hidden][k] is None for k in keys - {"suppressed"})
        assert cells["staff"]["n"] == 20 and cells["staff"]["mean"] == pytest.approx(3.95)
        assert cells["all"]["n"] == 31
    assert all(g["n"] != 3 for g in payload["groups"])


def test_results_of_another_association_or_a_missing_campaign_are_404(campaign: Any, tokens: tuple[str, str]) -> None:
    alfa, beta = tokens
    not_theirs = _api(beta).get(f"/api/measure/campaigns/{campaign.pk}/results")
    assert not_theirs.status_code == 404
    assert not_theirs.json() == {"detail": "Mätomgången finns inte."}
    assert _api(alfa).get(f"/api/measure/campaigns/{campaign.pk + 1000}/results").status_code == 404
    bad = _api(alfa).get("/api/measure/campaigns/abc/results")
    assert bad.status_code == 400 and bad.json()["detail"] == "Ogiltig begäran: campaign_id måste vara ett heltal."


def test_openapi_describes_the_results(campaign: Any) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert RESULTS_PATH in schema["paths"] and "/api/measure/campaigns" in schema["paths"]
    operation = schema["paths"][RESULTS_PATH]["get"]
    assert "200" in operation["responses"] and operation.get("security")
    components = json.dumps(schema["components"])
    for field in ("share_ring_1", "share_ring_3", "disagreement", "momentum", "target_mean", "suppressed", "ci_low"):
        assert f'"{field}"' in components
