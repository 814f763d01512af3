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
        ("interventions:intervention_list", Role.MEMBER),
        ("interventions:portfolio", Role.MEMBER),
        ("interventions:intervention_create", Role.ANALYST),
        ("interventions:audit_log", Role.ADMIN),
        ("workshops:workshop_list", Role.MEMBER),
        ("workshops:workshop_create", Role.ADMIN),
        ("economics:scenario_list", Role.MEMBER),
        ("economics:scenario_create", Role.ANALYST),
        ("economics:scenario_upload", Role.ANALYST),
        ("economics:price_list", Role.MEMBER),
        ("economics:price_create", Role.ADMIN),
        ("economics:price_export", Role.MEMBER),
        ("economics:kpi", Role.MEMBER),
        ("network:home", Role.MEMBER),
        ("network:round_create", Role.ADMIN),
        ("network:directory", Role.MEMBER),
        ("network:service_create", Role.ADMIN),
        ("network:directory_stale", Role.ADMIN),
        ("network:meeting_requests", Role.MEMBER),
        ("network:locations", Role.ADMIN),
        ("economics:integration_return", Role.MEMBER),
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


# Association A's real objects, for the routes' ids: B under B's own slug must not reach them, and every role
# of A gets what the route's declared role allows.


@pytest.fixture
def objects_of_a(actors):
    from samverkan.jobs.models import Job, JobStatus
    from samverkan.measure import services as measure_services
    from samverkan.measure.tests.factories import core_instrument, open_campaign
    from samverkan.tenancy import services as tenancy_services
    from samverkan.tenancy.models import Membership

    campaign = open_campaign(actors.association, groups=("staff", "board"))
    instrument = measure_services.instrument_copy(
        association=actors.association, source=core_instrument(), name="Alfas enkät"
    )
    token, _plain = tenancy_services.api_token_create(association=actors.association, name="Alfas nyckel")
    invitation = tenancy_services.invitation_create(
        association=actors.association, email="ny@alfa.se", role=Role.MEMBER, accept_url=lambda t: f"/x#{t}"
    )
    membership = Membership.objects.get(user=actors.member, association=actors.association)
    # A finished long job with a file (samverkan/jobs), visible to every member: its page and its download.
    job = Job.objects.create(
        association=actors.association,
        kind="test.walk",
        key="a",
        title="Alfas jobb",
        role=Role.MEMBER,
        status=JobStatus.DONE,
        result=b"a;b\r\n",
        result_name="alfa.csv",
        result_type="text/csv",
    )
    objects = {}
    from django.apps import apps as django_apps

    if django_apps.is_installed("samverkan.interventions"):
        # The interventions app's ids (its participant pages need a per-intervention role, see below).
        import datetime

        from samverkan.interventions.models import Intervention, Participant

        intervention = Intervention.objects.create(
            association=actors.association, name="Alfas insats", code="alfa1", start=datetime.date(2022, 1, 1)
        )
        participant = Participant.objects.create(
            intervention=intervention,
            code="D-ALFA0001",
            consent_date=datetime.date(2022, 2, 1),
            consent_purpose="Uppföljning",
            gender="kvinna",
            age_band="25-29",
            start=datetime.date(2022, 2, 1),
            education="gymnasial",
            income_start="sjukpenning",
        )
        objects = {
            "intervention": intervention.pk,
            "intervention_id": str(intervention.pk),
            "participant_id": str(participant.pk),
        }
    from samverkan.workshops import services as workshop_services
    from samverkan.workshops.tests.factories import live_workshop, open_prompt

    workshop = live_workshop(actors.association)
    prompt = open_prompt(workshop)
    answer = workshop_services.answer_send(prompt=prompt, participant="alfa-phone", text="Alfas svar")
    from samverkan.workshops.models import Theme, ThemeAnswer

    theme = Theme.objects.create(prompt=prompt, label="Alfas tema")
    ThemeAnswer.objects.create(answer=answer, theme=theme)
    objects = objects | {
        "theme_id": str(theme.pk),
        "workshop_id": str(workshop.pk),
        "prompt_id": str(prompt.pk),
        "answer_id": str(answer.pk),
        "campaign": campaign.pk,
        "instrument": instrument.pk,
        "token_id": str(token.pk),
        "invitation_id": str(getattr(invitation, "pk", invitation)),
        "membership_id": str(membership.pk),
        "job_id": str(job.pk),
    }
    from django.apps import apps

    if apps.is_installed("samverkan.workshops"):
        # The narrative's persona, statement and version ids (workshops/narrative_urls.py).
        from samverkan.workshops import narrative as narrative_services

        narrative = narrative_services.narrative_start(
            association=actors.association, author=actors.admin, themes=[], prompt=""
        )
        persona = narrative_services.persona_add(
            narrative=narrative, author=actors.admin, name="Maria", situation="S", needs="N"
        )
        statement = narrative_services.statement_add(narrative=narrative, author=actors.admin, text="Jag vet.")
        objects.update(
            {
                "persona_id": str(persona.pk),
                "statement_id": str(statement.pk),
                "version_id": str(narrative.versions.get(number=1).pk),
            }
        )
    if apps.is_installed("samverkan.economics"):
        # A scenario of A (economics/urls.py: <scenario_id>).
        from samverkan.economics.models import Scenario

        scenario = Scenario.objects.create(association=actors.association, name="Alfas scenario", data={})
        objects["scenario_id"] = str(scenario.pk)
        # One of A's own unit costs (economics/price_urls.py: <unit_cost_id>).
        from samverkan.economics.models import UnitCost

        unit_cost = UnitCost.objects.create(
            association=actors.association,
            item="Alfas à-pris",
            actor="kommun",
            amount=1000,
            price_year=2023,
            source_text="Alfa",
        )
        objects["unit_cost_id"] = str(unit_cost.pk)
    if apps.is_installed("samverkan.network"):
        # A network round of A (samverkan/network), for the collaboration map's routes.
        from samverkan.network.tests.factories import open_round

        objects["round_id"] = str(open_round(actors.association, name="Alfas karta").pk)
        # The directory's service and place ids (network/directory_urls.py).
        from samverkan.network.tests.directory_factories import make_service

        service = make_service(actors.association, "Alfas tjänst")
        from samverkan.network.models import Location

        location = Location.objects.create(
            association=actors.association, agency=service.agency, name="Alfas plats", municipality="Testby"
        )
        objects.update({"service_id": str(service.pk), "location_id": str(location.pk)})
    return objects


def _planned_key() -> str:
    """A capability still shown as "kommer" (an installed one has no such page: 404)."""
    from samverkan.common.capabilities import all_capabilities

    return next((c.key for c in all_capabilities() if not c.ready), "workshop")


def _fill_real(route: str, slug: str, objects: dict) -> str:
    values = {
        "pk": str(
            objects["instrument"]
            if "/enkater/" in route
            else objects["intervention"]
            if "/insatser/" in route
            else objects["campaign"]
        ),
        "intervention_id": objects.get("intervention_id", "1"),
        "participant_id": objects.get("participant_id", "1"),
        "token_id": objects["token_id"],
        "invitation_id": objects["invitation_id"],
        "membership_id": objects["membership_id"],
        "job_id": objects["job_id"],
        "workshop_id": objects["workshop_id"],
        "prompt_id": objects["prompt_id"],
        "answer_id": objects["answer_id"],
        "theme_id": objects["theme_id"],
        "group": "staff",
        "kind": "resultat",
        "fmt": "csv",
        "key": _planned_key(),
        "persona_id": objects.get("persona_id", ""),
        "statement_id": objects.get("statement_id", ""),
        "version_id": objects.get("version_id", ""),
        "scenario_id": objects.get("scenario_id", ""),
        "unit_cost_id": objects.get("unit_cost_id", ""),
        "round_id": objects.get("round_id", ""),
        "service_id": objects.get("service_id", ""),
        "location_id": objects.get("location_id", ""),
    }
    url = route.replace("<slug:slug>", slug)
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        name = url[start + 1 : end].split(":")[-1]
        url = url[:start] + values[name] + url[end + 1 :]
    return "/" + url


OBJECT_ROUTES = [
    r
    for r in ROUTES
    if any(
        f":{name}>" in r
        for name in (
            "pk",
            "token_id",
            "invitation_id",
            "membership_id",
            "job_id",
            "intervention_id",
            "participant_id",
            "workshop_id",
            "prompt_id",
            "answer_id",
            "theme_id",
            "persona_id",
            "statement_id",
            "version_id",
            "scenario_id",
            "unit_cost_id",
            "round_id",
            "service_id",
            "location_id",
        )
    )
]


def test_the_walk_finds_routes_with_object_ids() -> None:
    assert len(OBJECT_ROUTES) >= 15


@pytest.mark.parametrize("route", OBJECT_ROUTES)
def test_user_of_another_association_gets_404_for_its_objects_under_their_own_slug(
    actors, objects_of_a, route: str
) -> None:
    """B's admin asks for A's campaign, instrument, token, invitation, membership or job ids under B's slug."""
    client = actors.client_for(actors.outsider)
    url = _fill_real(route, actors.other_association.slug, objects_of_a)
    assert client.get(url).status_code in (404, 405), url
    assert client.post(url).status_code == 404, url


@pytest.mark.parametrize("route", ROUTES)
def test_role_matrix_covers_every_route(actors, objects_of_a, route: str) -> None:
    """Each route declares its role (association_view); members, analysts and admins get exactly that."""
    from django.urls import resolve

    from samverkan.tenancy.models import ROLE_RANK

    url = _fill_real(route, actors.association.slug, objects_of_a)
    view = resolve(url).func
    if getattr(view, "participant_level", False):
        # Participant-level pages need a per-intervention role (deltagaransvarig), which no association role
        # gives, not even admin: every role gets 403 (interventions/tests/test_participants.py has the rest).
        for user in (actors.member, actors.analyst, actors.admin):
            assert actors.client_for(user).get(url).status_code == 403, (url, user)
            assert actors.client_for(user).post(url).status_code == 403, (url, user)
        return
    needed = Role(getattr(view, "required_role", Role.MEMBER))
    # A view of participant-level data (`participant_role` set) also wants a role in an intervention, which the
    # actors' member and analyst do not have: only the admin passes (the capability's own tests give the role).
    participant_only = bool(getattr(view, "participant_role", None))
    for user, role in ((actors.member, Role.MEMBER), (actors.analyst, Role.ANALYST), (actors.admin, Role.ADMIN)):
        client = actors.client_for(user)
        allowed = ROLE_RANK[role] >= ROLE_RANK[needed] and (not participant_only or role == Role.ADMIN)
        status = client.get(url).status_code
        if status == 405:  # a POST-only action: only the refusal is tried, so nothing is changed
            if not allowed:
                assert client.post(url).status_code == 403, (url, role)
            continue
        if allowed:
            assert status not in (403, 404) and status < 500, (url, role, status)
        else:
            assert status == 403, (url, role, status)
