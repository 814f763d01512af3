"""Vem ringer jag? on a phone: search with a typo, open a service, send a de-identified meeting request;
then the contact answers through the mailed link, and the admin reads the log and the stale list. axe-clean."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from samverkan.tenancy.demo import DEMO_PASSWORD, load_tenancy_demo

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "norra-vastmanland"


def _demo() -> None:
    from samverkan.network.demo_directory import load_directory_demo

    load_directory_demo(associations=load_tenancy_demo())


def test_on_a_phone_a_member_finds_whom_to_call_and_asks_for_a_meeting(
    live_server, phone, browser, console_errors
) -> None:
    console_errors.allow("status of 400")  # the refused description is answered 400, as every bad input
    _demo()
    base = live_server.url
    log_in(phone, base, "medlem@demo.samverkan.se", DEMO_PASSWORD)
    phone.goto(f"{base}/f/{SLUG}/vem-ringer-jag/")
    assert serious_violations(phone) == []
    screenshot(phone, "directory-search-phone")

    phone.get_by_label("Vad behöver personen?").fill("arbetstäning")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Sök", exact=True).click()
    results = phone.locator("article.dir-card")
    assert results.count() >= 3
    assert "Arbetsträning" in results.first.inner_text() or "arbetsträning" in results.first.inner_text()
    call = results.first.locator("a[href^='tel:']").first
    assert call.is_visible()
    assert call.bounding_box()["height"] >= 44  # a thumb can hit it
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
    screenshot(phone, "directory-results-phone")

    with phone.expect_navigation():
        phone.get_by_role("link", name="Arbetsmarknadsenheten, arbetsträning").click()
    assert phone.get_by_role("heading", name="Arbetsmarknadsenheten, arbetsträning").is_visible()
    assert serious_violations(phone) == []
    screenshot(phone, "directory-detail-phone")

    with phone.expect_navigation():
        phone.get_by_role("link", name="Begär samverkansmöte").click()
    assert serious_violations(phone) == []
    screenshot(phone, "directory-meeting-phone")
    phone.get_by_label("Du skriver från").select_option(label="Försäkringskassan")
    description = phone.get_by_label("Vad mötet gäller")
    description.fill("Kvinna 850101-1234 vill prova arbetsträning.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka begäran").click()
    assert "personnummer" in phone.locator(".error-summary").inner_text()
    assert description.input_value() == "Kvinna 850101-1234 vill prova arbetsträning."  # kept as typed
    assert serious_violations(phone) == []
    screenshot(phone, "directory-meeting-refused-phone")
    description.fill("Kvinna i 30-årsåldern, lång sjukskrivning, vill prova arbetsträning.")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka begäran").click()
    assert "Begäran är skickad" in phone.locator(".messages").inner_text()
    assert len(mail.outbox) == 1
    assert "lång sjukskrivning" in mail.outbox[0].body

    # The contact opens the mailed link on their own phone: no login, the secret after "#" is posted once.
    link = re.search(r"https?://\S+#\S+", mail.outbox[0].body).group(0)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="sv-SE")
    contact = context.new_page()
    contact.goto(link)
    contact.wait_for_url(re.compile(r"/vem-ringer-jag/svara/$"))
    assert "#" not in contact.url
    assert "lång sjukskrivning" in contact.locator("main").inner_text()
    contact.get_by_label("Ja, vi kan ses").check()
    contact.get_by_label("Ditt svar").fill("Vi kan ses torsdag kl 10 på Verkstadsgatan.")
    assert serious_violations(contact) == []
    screenshot(contact, "directory-answer-phone")
    with contact.expect_navigation():
        contact.get_by_role("button", name="Skicka svaret").click()
    assert "Tack för svaret" in contact.locator("h1").inner_text()
    context.close()

    # The member reads the answer in their own log (and got it by mail).
    assert "Vi kan ses torsdag kl 10" in mail.outbox[-1].body
    phone.goto(f"{base}/f/{SLUG}/vem-ringer-jag/moten/")
    assert "Vi kan ses torsdag kl 10" in phone.locator("main").inner_text()
    assert serious_violations(phone) == []
    screenshot(phone, "directory-meetings-log-phone")


def test_the_admin_reads_meeting_requests_and_the_stale_list_on_desktop_and_phone(live_server, page, phone) -> None:
    _demo()
    base = live_server.url
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
    page.goto(f"{base}/f/{SLUG}/vem-ringer-jag/?q=skulder&behov=&myndighet=&kommun=")
    assert page.locator("article.dir-card").count() >= 2
    assert serious_violations(page) == []
    screenshot(page, "directory-results-desktop")
    with page.expect_navigation():
        page.get_by_role("link", name="Budget- och skuldrådgivning", exact=True).click()
    assert serious_violations(page) == []
    screenshot(page, "directory-detail-desktop")
    with page.expect_navigation():
        page.get_by_role("link", name="Begär samverkansmöte").click()
    assert serious_violations(page) == []
    screenshot(page, "directory-meeting-desktop")
    page.goto(f"{base}/f/{SLUG}/vem-ringer-jag/obekraftade/")
    assert page.locator("tbody tr").count() >= 5
    assert serious_violations(page) == []
    screenshot(page, "directory-stale-desktop")
    log_in(phone, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
    phone.goto(f"{base}/f/{SLUG}/vem-ringer-jag/obekraftade/")
    assert serious_violations(phone) == []
    screenshot(phone, "directory-stale-phone")
    page.goto(f"{base}/f/{SLUG}/vem-ringer-jag/moten/")
    assert serious_violations(page) == []
    page.goto(f"{base}/f/{SLUG}/vem-ringer-jag/ny/")
    assert serious_violations(page) == []
    screenshot(page, "directory-form-desktop")
