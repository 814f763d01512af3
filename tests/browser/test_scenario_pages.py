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
        assert device.get_by_role("link", name="Steg till arbete").is_visible()
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
