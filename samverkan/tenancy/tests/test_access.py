"""Every association view: the anonymous visitor is sent to login, another tenant gets 404.

The URL patterns are walked, not listed by hand, so a view added later is
covered without anyone remembering to add it here.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from samverkan.tenancy.models import Role

DUMMY = {"int": "1", "slug": "x", "str": "x", "uuid": str(uuid.uuid4()), "path": "x"}


def _association_patterns(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            found += _association_patterns(pattern, route)
        elif isinstance(pattern, URLPattern) and "<slug:slug>" in route:
            found.append(route)
    return found


def _fill(route: str, slug: str) -> str:
    url = route.replace("<slug:slug>", slug)
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        converter = url[start + 1 : end].split(":")[0]
        url = url[:start] + DUMMY.get(converter, "x") + url[end + 1 :]
    return "/" + url


ROUTES = _association_patterns()


def test_the_walk_finds_the_association_views() -> None:
    assert len(ROUTES) >= 4


@pytest.mark.parametrize("route", ROUTES)
def test_anonymous_visitor_is_sent_to_login(client, actors, route: str) -> None:
    url = _fill(route, actors.association.slug)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405), (url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/konto/logga-in/")


@pytest.mark.parametrize("route", ROUTES)
def test_user_of_another_association_gets_404(actors, route: str) -> None:
    client = actors.client_for(actors.outsider)
    url = _fill(route, actors.association.slug)
    assert client.get(url).status_code in (404, 405)
    assert client.post(url).status_code == 404


@pytest.mark.parametrize(
    ("url_name", "needed"),
    [
        ("tenancy:start", Role.MEMBER),
        ("tenancy:settings", Role.ADMIN),
        ("measure:campaign_list", Role.MEMBER),
    ],
)
def test_role_matrix(actors, url_name: str, needed: str) -> None:
    from django.urls import reverse

    from samverkan.tenancy.models import ROLE_RANK

    url = reverse(url_name, args=[actors.association.slug])
    for user, role in ((actors.member, Role.MEMBER), (actors.analyst, Role.ANALYST), (actors.admin, Role.ADMIN)):
        status = actors.client_for(user).get(url).status_code
        expected = 200 if ROLE_RANK[role] >= ROLE_RANK[Role(needed)] else 403
        assert status == expected, (url_name, role, status)
