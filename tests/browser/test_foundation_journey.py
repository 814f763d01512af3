"""Foundation journey: log in, pick and switch association, switch language and back; axe on login and start."""

from __future__ import annotations

import pytest

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _heading(page) -> str:
    return page.locator("main h1").inner_text().strip()


def test_admin_of_two_associations_switches_association_and_language(live_server, page) -> None:
    base = live_server.url
    first = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa", county="Västmanlands län")
    second = AssociationFactory(name="Samordningsförbundet Beta", slug="beta", county="Östergötlands län")
    admin = UserFactory(email="admin@alfa.se", name="Alma Admin")
    MembershipFactory(user=admin, association=first, role=Role.ADMIN)
    MembershipFactory(user=admin, association=second, role=Role.ADMIN)

    # The login page: Swedish, styled, and nothing serious for axe.
    page.goto(f"{base}/konto/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    css = page.request.get(f"{base}/static/css/samverkan.css")
    assert css.status == 200 and "text/css" in css.headers["content-type"]
    assert page.evaluate("[...document.styleSheets].some((s) => s.href && s.href.endsWith('samverkan.css'))")
    assert page.evaluate("getComputedStyle(document.querySelector('.skip-link')).position") == "absolute"
    assert serious_violations(page) == []
    screenshot(page, "login")

    # Two associations and none chosen yet: the start page lists them, first by name first.
    log_in(page, base, "admin@alfa.se", TEST_PASSWORD)
    assert page.url == f"{base}/"
    cards = page.locator("main .card-list a")
    assert cards.all_inner_texts() == ["Samordningsförbundet Alfa", "Samordningsförbundet Beta"]
    cards.first.click()
    page.wait_for_url(f"{base}/f/alfa/")
    assert _heading(page) == "Samordningsförbundet Alfa"
    assert page.locator("#switch-association").input_value() == "alfa"
    assert serious_violations(page) == []
    screenshot(page, "start")

    # The association switcher in the header.
    page.select_option("#switch-association", "beta")
    with page.expect_navigation():
        page.locator("form.switcher").get_by_role("button", name="Byt").click()
    assert page.url == f"{base}/f/beta/"
    assert _heading(page) == "Samordningsförbundet Beta"
    assert page.locator("#switch-association").input_value() == "beta"
    # The last association is remembered: the site's root now goes straight to it.
    page.goto(f"{base}/")
    assert page.url == f"{base}/f/beta/"

    # English and back: the page stays where it is and says which language it is in.
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.url == f"{base}/f/beta/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert _heading(page) == "Samordningsförbundet Beta"
    with page.expect_navigation():
        page.locator("form.language button[name='language'][value='sv']").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Översikt").count() == 1


def test_wrong_password_keeps_the_email_and_says_why_in_swedish(live_server, page) -> None:
    UserFactory(email="person@kommun.se")
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "person@kommun.se")
    page.fill("#id_password", "fel-lösenord")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Logga in").click()
    assert "Fel e-postadress eller lösenord" in page.locator("main").inner_text()
    assert page.input_value("#id_username") == "person@kommun.se"
    assert page.url.endswith("/konto/logga-in/")
