"""Samhällsekonomi in the browser: the scenario list, the builder (without JavaScript too) and the results
page with its charts and tables, on a desktop and a phone, axe-clean."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled

from samverkan.tenancy.demo import DEMO_PASSWORD

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _world() -> int:
    from django.contrib.auth import get_user_model

    from samverkan.economics import scenario_services
    from samverkan.economics.tests.test_scenarios import EXAMPLE
    from samverkan.measure.tests.factories import core_instrument
    from samverkan.tenancy.models import Association

    core_instrument()  # transactional tests flush the data migration's core instruments
    call_command("load_demo", stdout=io.StringIO())
    with scopes_disabled():
        association = Association.objects.get(slug="norra-vastmanland")
        admin = get_user_model().objects.get(email="admin@demo.samverkan.se")
        scenario = scenario_services.scenario_create(association=association, data=dict(EXAMPLE), created_by=admin)
        return scenario.pk


def test_scenario_pages_are_readable_on_desktop_and_phone_and_axe_clean(live_server, page, phone) -> None:
    pk = _world()
    base = live_server.url
    slug = "norra-vastmanland"
    for device, name in ((page, "desktop"), (phone, "phone")):
        log_in(device, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
        device.goto(f"{base}/f/{slug}/samhallsekonomi/")
        assert device.get_by_role("link", name="Steg till arbete", exact=True).is_visible()
        assert serious_violations(device) == []
        screenshot(device, f"economics-list-{name}")

        device.goto(f"{base}/f/{slug}/samhallsekonomi/scenarier/{pk}/")
        assert device.get_by_role("img", name="Ackumulerat nuvärde per aktör, år för år").is_visible()
        assert device.evaluate("document.documentElement.scrollWidth") <= device.viewport_size["width"]
        assert serious_violations(device) == []
        screenshot(device, f"economics-detail-{name}")

        device.goto(f"{base}/f/{slug}/samhallsekonomi/scenarier/{pk}/andra/")
        assert device.evaluate("document.documentElement.scrollWidth") <= device.viewport_size["width"]
        assert serious_violations(device) == []
        screenshot(device, f"economics-builder-{name}")


def test_a_scenario_is_built_and_saved_without_javascript(live_server, browser, console_errors) -> None:
    _world()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", java_script_enabled=False)
    console_errors.watch(context)
    page = context.new_page()
    base = live_server.url
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
    page.goto(f"{base}/f/norra-vastmanland/samhallsekonomi/scenarier/ny/")
    page.get_by_label("Scenariots namn").fill("Utan JavaScript")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till investering").click()
    assert page.get_by_label("Scenariots namn").input_value() == "Utan JavaScript"  # kept
    page.get_by_label("Vem investerar").select_option("samordningsforbund")
    page.locator("#id_inv-0-year").fill("1")
    page.locator("#id_inv-0-amount").fill("800000")
    page.get_by_label("Vad händer").select_option("forsorjningsstod_arbete")
    page.locator("#typfall_persons").fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till typfall").click()
    assert page.locator("#id_out-0-persons").input_value() == "3"
    # The rows without a price in the table get an amount typed by hand.
    for index in range(page.locator("fieldset.row-card input[id$='-amount_per_person_year']").count()):
        field = page.locator(f"#id_out-{index}-amount_per_person_year")
        if not field.input_value():
            field.fill("100000")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara scenariot").first.click()
    assert page.get_by_role("heading", name="Utan JavaScript").is_visible()
    assert page.get_by_role("heading", name="Per aktör").is_visible()
    screenshot(page, "economics-detail-nojs")
    context.close()
