"""Error pages and the Content-Security-Policy in a real browser: Swedish, styled, no console error."""

from __future__ import annotations

import pytest

from samverkan.common import error_pages as errors
from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_load_without_a_content_security_policy_violation(live_server, page, console_errors) -> None:
    # htmx used to add an inline <style> on every page, which the CSP refused (a console error each time).
    association = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa")
    MembershipFactory(user=UserFactory(email="admin@alfa.se"), association=association, role=Role.ADMIN)
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.wait_for_load_state("load")
    log_in(page, live_server.url, "admin@alfa.se", TEST_PASSWORD)
    page.goto(f"{live_server.url}/f/alfa/")
    page.wait_for_load_state("load")
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert console_errors.messages == []


def test_swedish_404_page_in_the_site_look_with_a_way_back(live_server, page, console_errors) -> None:
    console_errors.allow("status of 404")  # the browser notes the page's own status
    response = page.goto(f"{live_server.url}/finns-inte/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("main h1").inner_text() == "Sidan finns inte"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).borderBottomStyle") == "solid"
    assert serious_violations(page) == []
    screenshot(page, "error-404")
    with page.expect_navigation():
        page.get_by_role("link", name="Till startsidan").click()
    assert "/konto/logga-in/" in page.url


def test_swedish_503_page_in_the_site_look(live_server, page, console_errors) -> None:
    # The body the outage handler answers (samverkan/common/error_pages.py), served at a path of the live
    # server, so that its stylesheet loads from the same origin as in production.
    console_errors.allow("status of 503")
    outage = errors.database_unavailable()
    headers = dict(outage.items())
    page.route(
        f"{live_server.url}/nere/",
        lambda route: route.fulfill(status=503, headers=headers, body=outage.content),
    )
    response = page.goto(f"{live_server.url}/nere/")
    assert response.status == 503
    assert page.locator("main h1").inner_text() == "Tjänsten är tillfälligt otillgänglig"
    assert page.evaluate("getComputedStyle(document.querySelector('a.button')).backgroundColor") == "rgb(29, 78, 137)"
    assert serious_violations(page) == []
    screenshot(page, "error-503")


def test_api_documentation_and_admin_login_load_without_console_errors(live_server, page, console_errors) -> None:
    for path in ("/api/docs", "/admin/login/"):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert console_errors.messages == []
