"""Log in, switch association, switch to English and back; axe on the login and start pages."""

from __future__ import annotations

import pytest

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_logs_in_switches_association_and_language(live_server, page) -> None:
    first = AssociationFactory(name="Samordningsförbundet Första", slug="forsta")
    second = AssociationFactory(name="Samordningsförbundet Andra", slug="andra")
    admin = UserFactory(email="admin@forsta.se")
    MembershipFactory(user=admin, association=first, role=Role.ADMIN)
    MembershipFactory(user=admin, association=second, role=Role.ADMIN)

    page.goto(f"{live_server.url}/konto/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert serious_violations(page) == []
    screenshot(page, "login")

    log_in(page, live_server.url, "admin@forsta.se", TEST_PASSWORD)
    page.goto(f"{live_server.url}/f/andra/")
    assert page.locator("h1").inner_text() == "Samordningsförbundet Andra"
    assert serious_violations(page) == []
    screenshot(page, "start")

    page.select_option("#switch-association", "forsta")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_url("**/f/forsta/")
    assert page.locator("h1").inner_text() == "Samordningsförbundet Första"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Overview").count() == 1
    assert page.locator("h1").inner_text() == "Samordningsförbundet Första"

    page.get_by_role("button", name="Svenska").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.get_by_role("link", name="Översikt").count() == 1


def test_wrong_password_keeps_the_email_and_says_why_in_swedish(live_server, page) -> None:
    UserFactory(email="person@kommun.se")
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.fill("#id_username", "person@kommun.se")
    page.fill("#id_password", "fel-lösenord")
    page.locator("main").get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
    assert "Fel e-postadress eller lösenord" in page.content()
    assert page.input_value("#id_username") == "person@kommun.se"
