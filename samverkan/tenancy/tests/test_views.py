from __future__ import annotations

import re

import pytest
from django.urls import reverse

from samverkan.common.factories import MembershipFactory
from samverkan.tenancy.models import ApiToken, Role


def test_start_page_shows_key_figures_and_capabilities(actors) -> None:
    response = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Samordningsförbundet Alfa" in content
    assert "Testby kommun" in content
    for label in ("Mät", "Workshop", "Samhällsekonomi", "Samverkanskarta"):
        assert label in content
    # Nothing of the other association leaks onto the page.
    assert "Beta" not in content


def test_capability_not_built_yet_shows_coming_note(actors) -> None:
    response = actors.client_for(actors.member).get(reverse("tenancy:coming", args=["alfa", "rapporter"]))
    assert response.status_code == 200
    assert "kommer" in response.content.decode()


def test_built_or_unknown_capability_has_no_coming_page(actors) -> None:
    client = actors.client_for(actors.member)
    assert client.get(reverse("tenancy:coming", args=["alfa", "matning"])).status_code == 404
    assert client.get(reverse("tenancy:coming", args=["alfa", "nope"])).status_code == 404


def test_home_redirects_a_single_membership_to_its_start_page(actors) -> None:
    response = actors.client_for(actors.member).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("tenancy:start", args=["alfa"])


def test_user_in_two_associations_can_switch_and_sees_only_the_current_one(actors) -> None:
    MembershipFactory(user=actors.admin, association=actors.other_association, role=Role.MEMBER)
    client = actors.client_for(actors.admin)
    response = client.get(reverse("tenancy:switch"), {"forbund": "beta"})
    assert response["Location"] == reverse("tenancy:start", args=["beta"])
    page = client.get(response["Location"]).content.decode()
    assert "Samordningsförbundet Beta" in page
    assert "Testby kommun" not in page  # Alfa's agencies
    # The last one used is remembered.
    assert client.get("/")["Location"] == reverse("tenancy:start", args=["beta"])


def test_switch_to_an_association_you_are_not_in_is_404(actors) -> None:
    response = actors.client_for(actors.member).get(reverse("tenancy:switch"), {"forbund": "beta"})
    assert response.status_code == 404


def test_anonymous_home_goes_to_login(client, db) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_admin_creates_a_token_shown_once_and_stored_hashed(actors) -> None:
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:settings", args=["alfa"]), {"name": "Utvärderaren"})
    content = response.content.decode()
    token = ApiToken.objects.get(name="Utvärderaren")
    plain = content.split('class="token">')[1].split("<")[0]
    assert plain.startswith("sv_")
    assert token.token_hash != plain and plain not in token.token_hash
    assert token.association == actors.association


def test_token_form_error_is_in_swedish_and_keeps_nothing_half_done(actors) -> None:
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:settings", args=["alfa"]), {"name": ""})
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_admin_cannot_revoke_another_associations_token(actors) -> None:
    from samverkan.tenancy.services import api_token_create

    token, _plain = api_token_create(association=actors.other_association, name="Beta")
    client = actors.client_for(actors.admin)
    response = client.post(reverse("tenancy:token_revoke", args=["alfa", token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


@pytest.mark.parametrize("path", ["/", "/konto/logga-in/"])
def test_pages_send_security_headers(client, db, path: str) -> None:
    response = client.get(path, follow=True)
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_admin_opts_in_to_the_benchmark_and_min_size_never_goes_below_three(actors) -> None:
    client = actors.client_for(actors.admin)
    url = reverse("tenancy:settings", args=["alfa"])
    client.post(url, {"form": "sharing", "benchmark_opt_in": "on", "min_group_size": "6"})
    actors.association.refresh_from_db()
    assert actors.association.benchmark_opt_in is True
    assert actors.association.min_group_size == 6
    response = client.post(url, {"form": "sharing", "benchmark_opt_in": "on", "min_group_size": "2"})
    assert response.status_code == 200
    assert "3" in response.content.decode()
    actors.association.refresh_from_db()
    assert actors.association.min_group_size == 6


def test_start_page_without_campaigns_shows_measures_get_started_panel_and_its_figures(actors) -> None:
    # Mät's panel and figures reach the start page through the capability registry, not through tenancy.
    html = actors.client_for(actors.admin).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    assert "Kom igång" in html
    assert reverse("measure:campaign_create", args=["alfa"]) in html
    figures = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    labels = [label for label, _value in figures]
    # The core's own figures frame those of each installed capability, Mät's first (in capability order).
    assert labels[0] == "Medlemmar" and labels[-1] == "Användare"
    assert labels[1:3] == ["Mätomgångar", "Svar"]
    assert dict(figures)["Mätomgångar"] == "0"
    assert "0 öppna just nu" in html
    # A member sees the invitation to start, not the admin's button.
    member_html = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    assert "Kom igång" in member_html
    assert reverse("measure:campaign_create", args=["alfa"]) not in member_html
