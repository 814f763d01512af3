"""Insatser in the browser: the list, an intervention's page and the portfolio (arrow chart, tables), axe-clean."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from samverkan.tenancy.demo import DEMO_PASSWORD

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portfolio_list_and_detail_pages_are_readable_and_axe_clean(live_server, page) -> None:
    import io

    from samverkan.measure.tests.factories import core_instrument

    core_instrument()  # transactional tests flush the data migration's core instruments
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)

    page.goto(f"{base}/f/norra-vastmanland/insatser/portfolj/")
    chart = page.get_by_role("img", name="Andel i permanent verksamhet per år")
    assert chart.is_visible()
    table = page.locator("#shares-table")
    assert table.locator("tbody tr").count() == 5  # 2022–2026: the chart's numbers as text
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280  # wide tables scroll in their box
    assert serious_violations(page) == []
    screenshot(page, "interventions-portfolio")

    page.get_by_label("År för tabellerna").select_option("2022")
    with page.expect_navigation():
        page.get_by_role("button", name="Visa").click()
    assert "Vem finansierar vad 2022" in page.locator("main").inner_text()

    page.goto(f"{base}/f/norra-vastmanland/insatser/")
    assert page.locator("tbody tr").count() >= 10
    assert serious_violations(page) == []
    screenshot(page, "interventions-list")

    with page.expect_navigation():
        page.get_by_role("link", name="Aktivitetshuset Fagersta").click()
    assert page.get_by_role("heading", name="Finansiering och resurser per år").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "interventions-detail")

    with page.expect_navigation():
        page.get_by_role("link", name="Ändra").click()
    assert serious_violations(page) == []
    screenshot(page, "interventions-form")
