"""Measure journey: admin creates a campaign, a respondent answers on a phone, admin closes it and reads results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.measure.models import Campaign, CampaignLink, Response
from samverkan.measure.tests.factories import core_instrument, ring_answers, submit
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RINGS = ("ring_personal", "ring_team", "ring_organisation", "ring_society")


def test_campaign_from_creation_to_the_three_ring_picture(live_server, page, phone) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Journey", slug="journey")
    admin = UserFactory(email="admin@journey.se")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    instrument = core_instrument()  # transactional tests flush the data migration's core instruments
    log_in(page, base, "admin@journey.se", TEST_PASSWORD)

    # 1. The admin creates a campaign through the form; the core survey is preselected.
    page.goto(f"{base}/f/journey/mat/ny/")
    assert page.locator("#id_instrument option:checked").inner_text().startswith("Integrerad samverkan")
    page.fill("#id_name", "Mätning i webbläsaren")
    page.select_option("#id_instrument", str(instrument.pk))
    page.get_by_label("Insatspersonal").check()
    page.get_by_label("Styrelseledamot").check()
    today = timezone.localdate()
    page.fill("#id_opens_on", today.isoformat())
    page.fill("#id_closes_on", (today + timedelta(days=14)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Skapa mätomgång").click()
    campaign = Campaign.objects.get(association=association, name="Mätning i webbläsaren")
    assert campaign.instrument == instrument
    assert sorted(campaign.respondent_groups) == ["board", "staff"]
    assert page.url == f"{base}/f/journey/mat/{campaign.pk}/"

    # The campaign page shows one anonymous link per group; take the one for Insatspersonal.
    staff_item = page.locator(".link-item").filter(has_text="Insatspersonal")
    answer_url = staff_item.locator("a.link-url").get_attribute("href")
    token = CampaignLink.objects.get(campaign=campaign, respondent_group="staff").token
    assert answer_url is not None and answer_url.endswith(f"/svara/{token}/")
    qr = staff_item.locator("img")
    qr.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())

    # 2. A respondent opens the link on a phone (a separate browser context: no session, no cookies).
    phone.goto(answer_url)
    assert phone.locator("html").get_attribute("lang") == "sv"
    assert phone.locator("main h1").inner_text() == "Integrerad samverkan"
    assert serious_violations(phone) == []
    phone.locator("textarea[name='open_meaning']").fill("Att vi löser saker tillsammans.")

    def last_autosave(response) -> bool:
        body = response.request.post_data or ""
        return response.request.method == "POST" and "action=autosave" in body and "ring_society_target=5" in body

    # The radios are visually hidden: tap the scale option's label, as a person would. Answers are saved as a
    # draft while one answers (htmx, 600 ms after the last change); wait for the save of the last tap, so that
    # no autosave is still pending when the form is sent (see the report: a late autosave brings the draft back).
    with phone.expect_response(last_autosave):
        for name in RINGS:
            for code, value in ((name, "4"), (f"{name}_target", "5")):
                phone.locator(f"label.scale-option:has(input[name='{code}'][value='{value}'])").tap()
                assert phone.locator(f"input[name='{code}'][value='{value}']").is_checked()
    phone.locator("#autosave-status").get_by_text("Dina svar är sparade som utkast.").wait_for()
    screenshot(phone, "answer-form-phone")
    submission_key = phone.locator("input[name='submission_key']").input_value()
    csrf = phone.locator("form.questionnaire input[name='csrfmiddlewaretoken']").input_value()

    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka in svaren").click()
    assert phone.url == f"{base}/svara-tack/"
    assert phone.locator("main h1").inner_text() == "Tack för ditt svar!"
    assert Response.objects.filter(campaign=campaign).count() == 1

    # Reloading the thanks page, and the very same form sent again (same one-time key), store nothing new.
    phone.reload()
    resent = {"csrfmiddlewaretoken": csrf, "submission_key": submission_key, "action": "submit"}
    resent.update(dict.fromkeys(RINGS, "4") | {f"{code}_target": "5" for code in RINGS})
    again = phone.request.post(answer_url, form=resent, headers={"Referer": answer_url})
    assert again.ok and again.url == f"{base}/svara-tack/"
    assert Response.objects.filter(campaign=campaign).count() == 1
    # The draft went with the submission: the same phone opening the link again gets an empty form.
    phone.goto(answer_url)
    assert phone.locator("input[type='radio']:checked").count() == 0
    assert phone.locator("input[name='submission_key']").input_value() != submission_key

    # Five more respondents, so that the group passes the minimum group size (5).
    for value in (3, 4, 4, 5, 3):
        submit(campaign, "staff", ring_answers(value))
    assert Response.objects.filter(campaign=campaign).count() == 6

    # 3. The admin closes the campaign and reads the results.
    # Closing asks first: the campaign page links to a confirmation page whose button closes.
    page.reload()
    with page.expect_navigation():
        page.get_by_role("link", name="Stäng mätomgången").click()
    assert page.locator("main h1").inner_text() == "Stäng mätomgången?"
    campaign.refresh_from_db()
    assert campaign.status == "open"
    with page.expect_navigation():
        page.get_by_role("button", name="Stäng mätomgången").click()
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    assert page.get_by_role("link", name="Stäng mätomgången").count() == 0
    assert page.get_by_role("link", name="Öppna igen").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Visa resultat").click()
    assert page.url == f"{base}/f/journey/mat/{campaign.pk}/resultat/"
    picture = page.locator("svg.ring-picture")
    assert picture.count() == 1
    assert picture.locator("circle.marker").count() == 4
    table = page.get_by_role("table", name="Alla svar per nivå")
    assert table.count() == 1
    assert table.locator("tbody tr").count() == 4
    assert serious_violations(page) == []
    screenshot(page, "results")

    # A closed campaign takes no more answers.
    phone.goto(answer_url)
    assert phone.locator("main h1").inner_text() == "Enkäten är stängd"
