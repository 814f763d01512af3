"""Admin creates a campaign, a respondent answers on a phone, the admin closes it and sees the picture."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.measure.models import Campaign, CampaignLink, Response
from samverkan.measure.tests.factories import ring_answers, submit
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_campaign_from_creation_to_the_three_ring_picture(live_server, page, phone) -> None:
    association = AssociationFactory(name="Samordningsförbundet Journey", slug="journey")
    admin = UserFactory(email="admin@journey.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    from samverkan.measure.tests.factories import core_instrument

    instrument = core_instrument()
    base = live_server.url
    log_in(page, base, "admin@journey.se", TEST_PASSWORD)

    # 1. The admin creates a campaign through the form.
    page.goto(f"{base}/f/journey/mat/ny/")
    page.fill("#id_name", "Mätning i webbläsaren")
    page.select_option("#id_instrument", str(instrument.pk))
    page.get_by_label("Insatspersonal").check()
    today = timezone.localdate()
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Skapa mätomgång").click()
    page.wait_for_load_state()
    campaign = Campaign.objects.get(name="Mätning i webbläsaren")
    assert page.url.endswith(f"/f/journey/mat/{campaign.pk}/")
    link = CampaignLink.objects.get(campaign=campaign, respondent_group="staff")
    answer_url = page.locator(".link-url").first.get_attribute("href")
    qr = page.locator(".link-item img").first
    qr.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert answer_url is not None and link.token in answer_url

    # 2. A respondent opens the anonymous link on a phone and answers.
    phone.goto(answer_url)
    assert phone.locator("html").get_attribute("lang") == "sv"
    assert serious_violations(phone) == []
    for name in ("ring_personal", "ring_team", "ring_organisation", "ring_society"):
        phone.locator(f"label.scale-option:has(input[name='{name}'][value='4'])").click()
        phone.locator(f"label.scale-option:has(input[name='{name}_target'][value='5'])").click()
    phone.locator("textarea[name='open_meaning']").fill("Att vi löser saker tillsammans.")
    screenshot(phone, "answer-form-phone")
    phone.get_by_role("button", name="Skicka in svaren").click()
    phone.wait_for_load_state()
    assert "Tack för ditt svar" in phone.content()
    assert Response.objects.filter(campaign=campaign).count() == 1
    # Going back and sending the same form again stores nothing new.
    phone.go_back()
    phone.wait_for_load_state()
    phone.reload()
    assert Response.objects.filter(campaign=campaign).count() == 1

    # Enough answers to pass the minimum group size.
    for value in (3, 4, 4, 5, 3):
        submit(campaign, "staff", ring_answers(value))

    # 3. The admin closes the campaign and sees the picture.
    page.goto(f"{base}/f/journey/mat/{campaign.pk}/")
    page.get_by_role("button", name="Stäng mätomgången").click()
    page.wait_for_load_state()
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    page.get_by_role("link", name="Visa resultat").first.click()
    page.wait_for_load_state()
    picture = page.locator("svg.ring-picture")
    assert picture.count() == 1
    assert picture.locator(".marker").count() == 4
    assert page.get_by_role("table", name="Alla svar per nivå").count() == 1
    assert "Arbetslaget" in page.locator(".level-sentences").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "results")
