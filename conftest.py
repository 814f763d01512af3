"""The shared test base: named actors for every view test.

- `actors.admin`, `actors.analyst`, `actors.member`: users of association A
- `actors.outsider`: an admin of association B, who must never see A
- the anonymous visitor is the plain `client`
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from samverkan.common.factories import AgencyFactory, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import AgencyKind, Association, Role


@dataclass
class Actors:
    association: Association
    other_association: Association
    admin: Any
    analyst: Any
    member: Any
    outsider: Any

    def client_for(self, user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SAMVERKAN_RESULTS_MAX_AGE = 0  # tests read results right after answering
    # Jobs run inside the request, so tests read the mail they send at once; the tests of the queue itself
    # (measure/tests/test_tasks.py) run them through the real database backend and its worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Rolled-back tests can hand out the same primary key twice; forget the per-process item cache.
    from samverkan.measure import selectors

    selectors._FROZEN_ITEMS.clear()
    from samverkan.measure import answer_views

    answer_views._EMPTY_QUESTIONS.clear()
    answer_views._EMPTY_PAGES.clear()


@pytest.fixture(autouse=True)
def _scopes_disabled_in_test_bodies() -> Iterator[None]:
    """Tenant scoping (django-scopes) as pretix tests it: off for a test's own ORM setup and checks,
    on for every request through the test client.

    A test body builds rows of both associations and reads them back directly, so it runs inside
    `scopes_disabled()`. A request through `Client` (or the browser tests' live server) starts from no
    scope at all, exactly as in production (TenantScopeMiddleware clears it): the view must activate its
    own scope (association_view, the API's auth, …) or its first query on a tenant model raises
    `ScopeError`.
    """
    with scopes_disabled():
        yield


@pytest.fixture
def actors(db: Any) -> Actors:
    association = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa")
    association.agencies.set(
        [
            AgencyFactory(name="Försäkringskassan", kind=AgencyKind.FK),
            AgencyFactory(name="Arbetsförmedlingen", kind=AgencyKind.AF),
            AgencyFactory(name="Region Test", kind=AgencyKind.REGION),
            AgencyFactory(name="Testby kommun", kind=AgencyKind.MUNICIPALITY),
        ]
    )
    other = AssociationFactory(name="Samordningsförbundet Beta", slug="beta")
    admin = UserFactory(email="admin@alfa.se", name="Alma Admin")
    analyst = UserFactory(email="analyst@alfa.se")
    member = UserFactory(email="member@alfa.se")
    outsider = UserFactory(email="outsider@beta.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    MembershipFactory(user=analyst, association=association, role=Role.ANALYST)
    MembershipFactory(user=member, association=association, role=Role.MEMBER)
    MembershipFactory(user=outsider, association=other, role=Role.ADMIN)
    return Actors(association, other, admin, analyst, member, outsider)
