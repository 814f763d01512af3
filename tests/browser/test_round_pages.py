"""Staff pages for rounds (issue 8): the form with errors, a rejected invitation list, the delete confirmation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.measure.models import Campaign
from samverkan.measure.tests.factories import core_instrument, open_campaign, ring_answers, submit
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_pages_show_errors_keep_links_and_confirm_deletion(live_server, page, console_errors) -> None:
    base = live_server.url
    # Forms sent with errors answer 400 on purpose (the browser logs that as a failed load).
    for path in ("/mat/ny/)", "/inbjudningar/)", "/andra/)"):
        console_errors.allow(path)
    association = AssociationFactory(name="Samordningsförbundet Sida", slug="sida")
    MembershipFactory(user=UserFactory(email="admin@sida.se"), association=association, role=Role.ADMIN)
    core_instrument()
    log_in(page, base, "admin@sida.se", TEST_PASSWORD)

    # The campaign form with errors: the summary lists each one and links to its field.
    page.goto(f"{base}/f/sida/mat/ny/")
    page.fill("#id_name", "Mätning\u0001 hösten")
    page.fill("#id_opens_on", (timezone.localdate() - timedelta(days=3)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa mätomgång").click()
    summary = page.locator(".error-summary")
    assert summary.locator("a").count() >= 3
    assert summary.get_by_role("link", name="Respondentgrupper").count() == 1
    summary.get_by_role("link", name="Namn").first.click()
    assert page.evaluate("document.activeElement.id") == "id_name"
    assert page.locator("#id_confirm_past_start").count() == 1
    assert serious_violations(page) == []
    screenshot(page, "round-form-errors")

    # A rejected invitation list keeps the open links and QR codes on the page.
    campaign = open_campaign(association, name="Våren")
    for value in (2, 3, 4, 5, 3, 4):
        submit(campaign, "staff", ring_answers(value))
    page.goto(f"{base}/f/sida/mat/{campaign.pk}/", wait_until="networkidle")
    page.fill("#id_emails", "ok@kommun.se\ninte-en-adress")
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka inbjudningar").click()
    page.wait_for_load_state("networkidle")  # the QR images: no request may outlive the test's database
    assert page.locator(".link-item").count() == 2
    assert page.locator(".link-item img").first.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert "inte-en-adress" in page.locator(".error-summary").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "round-invitations-rejected")

    # Editing: a group with answers cannot be removed; the form says so and keeps what was typed.
    with page.expect_navigation():
        page.get_by_role("link", name="Ändra").click()
    page.fill("#id_name", "Våren 2027")
    page.get_by_label("Insatspersonal").uncheck()
    with page.expect_navigation():
        page.get_by_role("button", name="Spara ändringarna").click()
    assert "Insatspersonal kan inte tas bort: gruppen har redan svar." in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_name") == "Våren 2027"
    assert serious_violations(page) == []
    screenshot(page, "round-edit-errors")

    # Closing asks first; a closed round can be opened again with a new closing date.
    page.goto(f"{base}/f/sida/mat/{campaign.pk}/", wait_until="networkidle")
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng mätomgången").click()
    assert serious_violations(page) == []
    screenshot(page, "round-close-confirmation")
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng mätomgången").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Öppna igen").click()
    page.fill("#id_closes_on", (timezone.localdate() + timedelta(days=10)).isoformat())
    assert serious_violations(page) == []
    screenshot(page, "round-reopen")
    with page.expect_navigation():
        page.get_by_role("button", name="Öppna igen").click()
    page.wait_for_load_state("networkidle")  # the QR images, before the next click
    campaign.refresh_from_db()
    assert campaign.status == "open"

    # Deleting asks first and says how much goes with it.
    with page.expect_navigation():
        page.get_by_role("link", name="Radera").click()
    assert "6 svar" in page.locator("main").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "round-delete-confirmation")
    with page.expect_navigation():
        page.get_by_role("button", name="Radera ”Våren”").click()
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    assert page.url == f"{base}/f/sida/mat/"
    page.wait_for_load_state("networkidle")
