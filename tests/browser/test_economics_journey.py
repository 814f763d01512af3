"""Samhällsekonomi in the browser: the integration page and the scenario's PDF report (desktop and phone),
axe-clean; the report's pages are looked at as the HTML WeasyPrint renders."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from samverkan.tenancy.demo import DEMO_PASSWORD

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "norra-vastmanland"


@pytest.fixture
def demo() -> None:
    from samverkan.measure.tests.factories import core_instrument

    core_instrument()  # transactional tests flush the data migration's core instruments
    call_command("load_demo", stdout=io.StringIO())


def test_the_integration_page_has_its_chart_table_and_caveat_on_desktop_and_phone(
    live_server: Any, page: Any, phone: Any, demo: None
) -> None:
    base = live_server.url
    for window, name in ((page, "desktop"), (phone, "phone")):
        log_in(window, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
        window.goto(f"{base}/f/{SLUG}/samhallsekonomi/integration-och-avkastning/")
        chart = window.get_by_role("img", name="Integrationsnivå mot avkastning, en punkt per insats")
        assert chart.is_visible()
        rows = window.locator("#integration-table tbody tr")
        assert rows.count() == 1 and "Samverkansteam Sala" in rows.first.inner_text()
        assert "ingen skattning av ett orsakssamband" in window.locator("main").inner_text()
        width = 1280 if name == "desktop" else 390
        assert window.evaluate("document.documentElement.scrollWidth") <= width
        assert serious_violations(window) == []
        screenshot(window, f"economics-integration-{name}")


def test_the_report_of_a_demo_scenario_downloads_as_a_pdf(
    live_server: Any, browser: Any, page: Any, demo: None
) -> None:
    from samverkan.economics.models import Scenario
    from samverkan.economics.report import kpi_table, report_html

    scenario = Scenario.objects.get(intervention__code="team-sala")
    base = live_server.url
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
    response = page.request.get(f"{base}/f/{SLUG}/samhallsekonomi/scenarier/{scenario.pk}/rapport.pdf")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    # No PDF rasteriser is installed (pdftoppm): the pages are looked at as the HTML WeasyPrint lays out,
    # at A4's width, in a window of its own (the report's inline CSS is not the site's and has no CSP).
    html = report_html(scenario, kpi_table=kpi_table())
    for name, width in (("a4", 794), ("phone", 390)):
        window = browser.new_page(viewport={"width": width, "height": 1123})
        window.set_content(html)
        assert "Antaganden och förbehåll" in window.locator("body").inner_text()
        screenshot(window, f"economics-report-{name}")
        window.close()


def test_an_admin_builds_a_scenario_reads_its_result_and_downloads_the_pdf(
    live_server: Any, page: Any, demo: None
) -> None:
    base = live_server.url
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)
    page.goto(f"{base}/f/{SLUG}/samhallsekonomi/")
    assert page.get_by_role("heading", name="Samhällsekonomi", level=1).is_visible()
    assert serious_violations(page) == []
    screenshot(page, "economics-journey-list")

    with page.expect_navigation():
        page.get_by_role("link", name="Nytt scenario").click()
    page.get_by_label("Scenariots namn").fill("Webbläsarens kalkyl")
    page.get_by_label("Prisår").first.fill("2023")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till investering").click()
    page.select_option("#id_inv-0-actor", "samordningsforbund")
    page.fill("#id_inv-0-year", "1")
    page.fill("#id_inv-0-amount", "1500000")
    page.fill("#id_inv-0-price_year", "2023")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till tomt utfall").click()
    assert page.locator("#id_inv-0-amount").input_value() == "1500000"  # kept across the round trip
    page.fill("#id_out-0-name", "Försörjningsstöd som upphör")
    page.select_option("#id_out-0-kind", "transfer")
    page.select_option("#id_out-0-payer", "kommun")
    page.select_option("#id_out-0-receiver", "individen")
    page.fill("#id_out-0-amount_per_person_year", "120000")
    page.locator("#id_out-0-amount_per_person_year").locator("xpath=..").locator(
        "xpath=following-sibling::details"
    ).first.locator("summary").click()
    page.select_option("#id_out-0-amount_per_person_year__dist", "triangular")
    page.fill("#id_out-0-amount_per_person_year__low", "90000")
    page.fill("#id_out-0-amount_per_person_year__high", "140000")
    page.fill("#id_out-0-persons", "10")
    page.fill("#id_out-0-price_year", "2023")
    assert serious_violations(page) == []
    screenshot(page, "economics-journey-builder")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara scenariot").first.click()

    main = page.locator("main")
    assert "Webbläsarens kalkyl" in main.inner_text()
    text = main.inner_text()
    for expected in ("Kommunen", "Individen", "Totalt", "Vem investerar, vem vinner", "Monte Carlo"):
        assert expected in text, expected
    charts = page.locator("main svg[role=img]")
    assert charts.count() >= 2  # the cumulative result and the tornado, each beside its table
    assert page.locator("main table").count() >= 5
    assert serious_violations(page) == []
    screenshot(page, "economics-journey-result")

    with page.expect_navigation():
        page.get_by_role("button", name="Rapport (PDF)").click()
    link = page.get_by_role("link", name="Hämta webblasarens-kalkyl-rapport.pdf")
    with page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
