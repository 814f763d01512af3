"""Second factor journey: an admin turns on tvåstegsverifiering with the secret the page shows (the test is the
authenticator app), keeps the recovery codes, logs out and in again with a code; axe on every page."""

from __future__ import annotations

import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for this secret (as typed by hand: groups with spaces)."""
    generator = TOTP(b32decode(secret.replace(" ", "")), step=30, digits=6)
    generator.time = time.time() + 30 * steps_ahead
    return f"{generator.token():06d}"


def test_enrol_with_the_shown_secret_then_log_in_with_a_code(live_server, page, console_errors) -> None:
    console_errors.allow("status of 400")  # the wrong code below is answered 400, as every refused form is
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa")
    admin = UserFactory(email="admin@alfa.se", name="Alma Admin")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)

    log_in(page, base, "admin@alfa.se", TEST_PASSWORD)
    page.goto(f"{base}/f/alfa/")
    # The account page is behind the user's name in the header.
    with page.expect_navigation():
        page.locator(".header-tools a.user-name").click()
    assert page.locator("main h1").inner_text() == "Tvåstegsverifiering"
    assert serious_violations(page) == []
    screenshot(page, "second-factor-off")

    with page.expect_navigation():
        page.get_by_role("button", name="Aktivera tvåstegsverifiering").click()
    assert page.locator("main h1").inner_text() == "Aktivera tvåstegsverifiering"
    assert page.locator("figure.qr svg").count() == 1
    secret = page.locator("#secret code").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "second-factor-activate")

    page.fill("#id_code", _app_code(secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Aktivera", exact=True).click()
    assert page.locator("main h1").inner_text() == "Dina reservkoder"
    recovery = page.locator(".recovery-codes code").all_inner_texts()
    assert len(recovery) == 10
    assert page.get_by_role("button", name="Skriv ut").is_visible()  # the script ran under the CSP
    assert serious_violations(page) == []
    screenshot(page, "second-factor-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()

    # Out, and in again: the password, then the code page before anything else.
    with page.expect_navigation():
        page.locator(".header-tools").get_by_role("button", name="Logga ut").click()
    log_in(page, base, "admin@alfa.se", TEST_PASSWORD)
    assert "/konto/tvastegsverifiering/kod/" in page.url
    assert serious_violations(page) == []
    screenshot(page, "second-factor-verify")
    page.goto(f"{base}/f/alfa/")
    assert "/konto/tvastegsverifiering/kod/?next=%2Ff%2Falfa%2F" in page.url

    right = _app_code(secret, steps_ahead=1)  # the enrolment used this period's code; an app's next one
    page.fill("#id_code", "000000" if right != "000000" else "111111")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Fortsätt").click()
    assert "Koden stämmer inte" in page.locator(".error-summary").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "second-factor-verify-wrong")

    page.wait_for_timeout(1200)  # the wait django-otp imposes after one wrong code
    page.fill("#id_code", right)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Fortsätt").click()
    assert page.url == f"{base}/f/alfa/"
    assert page.locator("main h1").inner_text() == "Samordningsförbundet Alfa"

    # The account page now says it is on, with ten codes left.
    page.goto(f"{base}/konto/tvastegsverifiering/")
    assert "Du har 10 oanvända reservkoder" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "second-factor-on")


def test_log_in_with_a_recovery_code_on_a_phone(live_server, phone) -> None:
    from samverkan.accounts.tests.second_factor_helpers import enrolled

    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa")
    user = UserFactory(email="deltagare@alfa.se", name="Dana Deltagaransvarig")
    MembershipFactory(user=user, association=association, role=Role.MEMBER)
    _device, recovery = enrolled(user)

    log_in(phone, base, "deltagare@alfa.se", TEST_PASSWORD)
    screenshot(phone, "second-factor-verify-phone")
    phone.fill("#id_code", recovery[3].lower())
    with phone.expect_navigation():
        phone.locator("main").get_by_role("button", name="Fortsätt").click()
    assert "Du har 9 reservkoder kvar" in phone.locator(".messages").inner_text()
    assert serious_violations(phone) == []
