"""The price table and the KPI page in the browser: desktop and phone, axe-clean, copy and edit a shared example."""

from __future__ import annotations

from decimal import Decimal

import pytest

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.economics import services_prices
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup() -> tuple[str, str]:
    services_prices.shipped_prices_load()  # transactional tests flush the data migration's rows
    association = AssociationFactory(name="Samordningsförbundet Alfa", slug="alfa")
    admin = UserFactory(email="admin@alfa.se", name="Alma Admin", is_staff=True)
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    services_prices.unit_cost_create(
        association=association,
        item="Försörjningsstöd per hushåll och månad",
        actor="kommun",
        amount=Decimal("11250"),
        unit="per_month",
        price_year=2023,
        source_text="Socialtjänsten i Alfa, utfall 2023",
        kind="transfer",
        payer="kommun",
        receiver="individen",
        notes="Säkerhet: god, eget utfall.",
    )
    return association.slug, admin.email


def test_the_price_table_reads_on_desktop_and_phone_and_a_shared_example_can_be_copied(
    live_server, page, phone
) -> None:
    slug, email = _setup()
    base = live_server.url
    log_in(page, base, email, TEST_PASSWORD)
    page.goto(f"{base}/f/{slug}/samhallsekonomi/priser/?prisar=2023")
    main = page.locator("main")
    assert "Försörjningsstöd per hushåll och månad" in main.inner_text()
    assert main.get_by_text("Exempel", exact=True).count() >= 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert serious_violations(page) == []
    screenshot(page, "economics-prices")

    page.get_by_label("Visa beloppen i prisår").select_option("2010")
    with page.expect_navigation():
        page.get_by_role("button", name="Räkna om").click()
    assert "I 2010 års priser" in main.inner_text()

    with page.expect_navigation():
        page.get_by_role("button", name="Kopiera till egna: Läkarbesök i primärvården", exact=True).click()
    assert page.get_by_role("heading", name="Ändra à-pris").is_visible()
    page.get_by_label("Belopp (kr)").fill("2 093")
    page.get_by_label("Prisår").fill("2024")
    assert serious_violations(page) == []
    screenshot(page, "economics-price-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara ändringarna").click()
    assert "2\xa0093 kr" in main.inner_text()

    page.goto(f"{base}/f/{slug}/samhallsekonomi/kpi/")
    assert page.get_by_role("table", name="KPI, årsmedeltal (1980=100)").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "economics-kpi")

    log_in(phone, base, email, TEST_PASSWORD)
    phone.goto(f"{base}/f/{slug}/samhallsekonomi/priser/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
    screenshot(phone, "economics-prices-phone")
    phone.goto(f"{base}/f/{slug}/samhallsekonomi/kpi/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "economics-kpi-phone")
