"""The HTTP API's base: OpenAPI description, docs page, bearer tokens scoped to one association."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from samverkan.common.factories import AgencyFactory
from samverkan.tenancy.models import AgencyKind, ApiToken
from samverkan.tenancy.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def _bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def alfa_token(actors: Any) -> str:
    _token, plain = api_token_create(association=actors.association, name="Rapportverktyg", created_by=actors.admin)
    return plain


@pytest.fixture
def beta_agency(actors: Any) -> Any:
    agency = AgencyFactory(name="Betaby kommun", kind=AgencyKind.MUNICIPALITY)
    actors.other_association.agencies.add(agency)
    return agency


def test_openapi_description_is_served_as_json_titled_samverkan_api(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    document = json.loads(response.content)
    assert document["info"]["title"] == "Samverkan API"
    assert "/api/association" in document["paths"]
    # The bearer scheme is described, so generated clients know how to authenticate.
    schemes = document["components"]["securitySchemes"]
    assert any(scheme.get("scheme") == "bearer" for scheme in schemes.values())


def test_docs_page_answers_200(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content


def test_association_without_a_token_is_401_with_a_json_detail(client: Client, actors: Any) -> None:
    response = client.get("/api/association")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_association_with_a_wrong_token_is_401(client: Client, actors: Any, alfa_token: str) -> None:
    response = client.get("/api/association", **_bearer(alfa_token[:-1] + ("x" if alfa_token[-1] != "x" else "y")))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_association_with_alfas_token_shows_alfa_and_its_agencies_only(
    client: Client, actors: Any, alfa_token: str, beta_agency: Any
) -> None:
    response = client.get("/api/association", **_bearer(alfa_token))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Samordningsförbundet Alfa"
    assert body["slug"] == "alfa"
    assert sorted(agency["name"] for agency in body["agencies"]) == [
        "Arbetsförmedlingen",
        "Försäkringskassan",
        "Region Test",
        "Testby kommun",
    ]
    assert "Beta" not in response.content.decode()
    assert "Betaby" not in response.content.decode()


def test_betas_token_shows_beta_not_alfa(client: Client, actors: Any, beta_agency: Any) -> None:
    _token, plain = api_token_create(association=actors.other_association, name="Beta", created_by=actors.outsider)
    body = client.get("/api/association", **_bearer(plain)).json()
    assert body["slug"] == "beta"
    assert [agency["name"] for agency in body["agencies"]] == ["Betaby kommun"]


def test_a_revoked_token_is_401(client: Client, actors: Any) -> None:
    token, plain = api_token_create(association=actors.association, name="Gammal", created_by=actors.admin)
    assert client.get("/api/association", **_bearer(plain)).status_code == 200
    assert api_token_revoke(association=actors.association, token_id=token.pk)
    response = client.get("/api/association", **_bearer(plain))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_another_association_cannot_revoke_alfas_token(client: Client, actors: Any) -> None:
    token, plain = api_token_create(association=actors.association, name="Alfas", created_by=actors.admin)
    assert not api_token_revoke(association=actors.other_association, token_id=token.pk)
    assert client.get("/api/association", **_bearer(plain)).status_code == 200


def test_only_a_hash_of_the_token_is_stored(actors: Any) -> None:
    token, plain = api_token_create(association=actors.association, name="Hash", created_by=actors.admin)
    stored = ApiToken.objects.get(pk=token.pk)
    assert plain not in {stored.token_hash, stored.prefix, stored.name}
    assert len(stored.token_hash) == 64


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer"},
        {"HTTP_AUTHORIZATION": "Bearer "},
        {"HTTP_AUTHORIZATION": "Bearer  "},
        {"HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz"},
        {"HTTP_AUTHORIZATION": "bearer"},
        {"HTTP_AUTHORIZATION": "Token abc"},
        {"HTTP_AUTHORIZATION": "Bearer a b c"},
        {"HTTP_AUTHORIZATION": "Bearer " + "x" * 10_000},
        {"HTTP_AUTHORIZATION": "Bearer sv_\x00\x01"},
        {"HTTP_AUTHORIZATION": "Bearer ' OR 1=1 --"},
        {"HTTP_AUTHORIZATION": "Bearer åäö"},
        {"HTTP_AUTHORIZATION": ""},
    ],
    ids=lambda headers: repr(headers["HTTP_AUTHORIZATION"][:20]),
)
def test_malformed_authorization_is_401_never_500(client: Client, actors: Any, headers: dict[str, str]) -> None:
    response = client.get("/api/association", **headers)
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/association"),
        ("put", "/api/association"),
        ("delete", "/api/association"),
        ("get", "/api/association?page=-1&limit=abc"),
        ("get", "/api/association/../../etc/passwd"),
        ("get", "/api/finns-inte"),
        ("get", "/api/association/%00"),
    ],
)
def test_malformed_requests_with_a_valid_token_never_give_500(
    client: Client, actors: Any, alfa_token: str, method: str, path: str
) -> None:
    response = getattr(client, method)(path, **_bearer(alfa_token))
    assert response.status_code < 500


def test_a_json_body_that_does_not_parse_never_gives_500(client: Client, actors: Any, alfa_token: str) -> None:
    response = client.post("/api/association", data="{not json", content_type="application/json", **_bearer(alfa_token))
    assert response.status_code < 500


def test_normal_pages_carry_the_content_security_policy(client: Client) -> None:
    response = client.get("/konto/logga-in/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_api_answers_carry_the_content_security_policy(client: Client, actors: Any) -> None:
    assert "Content-Security-Policy" in client.get("/api/association")


def test_docs_page_runs_under_the_policy_without_inline_script(client: Client) -> None:
    """The CSP allows scripts only from our origin, so the docs page may have no inline script.

    django-ninja's own template (used because "ninja" is in INSTALLED_APPS, instead of
    the CDN variant) loads swagger-ui from /static/ and passes its settings in a
    `<script type="application/json">` block, which browsers never execute.
    """
    response = client.get("/api/docs")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts
    for attributes, body in scripts:
        source = re.search(r'\bsrc="([^"]+)"', attributes)
        if source:
            # Same origin, no CDN: the policy would block any other host.
            assert source.group(1).startswith("/static/"), source.group(1)
            assert finders.find(source.group(1).removeprefix("/static/")), source.group(1)
            assert not body.strip()
        else:
            assert 'type="application/json"' in attributes, attributes
    stylesheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html) + re.findall(
        r'<link[^>]*href="([^"]+)"[^>]*rel="stylesheet"', html
    )
    assert all(href.startswith("/static/") for href in stylesheets), stylesheets
    assert "<style" not in html
    # No inline event handlers either (onload=…), which script-src 'self' would also block.
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
