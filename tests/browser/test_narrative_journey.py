"""The ramberättelse in a real browser: started from the draft, edited, a persona and a statement added, the
statement made a questionnaire item; the demo's page with a result and a suppressed one; two versions
compared. axe-core clean on the narrative page and the comparison."""

from __future__ import annotations

import pytest

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.measure.tests.factories import participant_instrument
from samverkan.tenancy.models import Role
from samverkan.workshops.models import IStatement

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_narrative_is_started_edited_versioned_and_a_statement_becomes_an_item(live_server, page) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Sida", slug="sida")
    admin = UserFactory(email="admin@sida.se", name="Sara Sida")
    MembershipFactory(user=admin, association=association, role=Role.ADMIN)
    participant_instrument()
    log_in(page, base, "admin@sida.se", TEST_PASSWORD)

    page.goto(f"{base}/f/sida/workshop/berattelse/")
    assert page.get_by_role("heading", name="Ingen ramberättelse ännu").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Starta från utkastet").click()
    # The draft lists the workshop's themes; rewrite it.
    assert "### Individen i centrum" in page.input_value("#id_text")
    page.fill("#id_title", "Vår ramberättelse")
    page.fill("#id_text", "## Vad vi menar\n\nMitt stöd planeras med människor som arbetar tillsammans.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara som ny version").click()
    assert page.get_by_role("heading", name="Vad vi menar").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Lägg till persona").click()
    page.fill("#id_name", "Maria, 34")
    page.fill("#id_situation", "Sjukskriven i två år, kontakt med fyra myndigheter.")
    page.fill("#id_needs", "En plan som alla står bakom, och en person att ringa.")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara").click()
    assert page.get_by_role("heading", name="Maria, 34").is_visible()

    page.fill("#id_text", "Jag behöver bara berätta min historia en gång.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lägg till påstående").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Gör till fråga i deltagarenkäten").click()
    row = page.locator("table.statements tbody tr").first
    assert "fråga egen_1" in row.inner_text().lower()
    assert "Ingen mätomgång med svar ännu" in row.inner_text()
    statement = IStatement.objects.get(narrative__association=association)
    assert statement.item is not None and statement.item.instrument.association == association
    assert serious_violations(page) == []

    # Five changes, five versions; the newest against the one before.
    with page.expect_navigation():
        page.get_by_role("link", name="Alla versioner och jämförelser").click()
    assert page.locator("table.versions tbody tr").count() == 5
    with page.expect_navigation():
        page.get_by_role("button", name="Jämför valda versioner").click()
    assert page.locator(".diff-changed, .diff-added").count() >= 1
    assert serious_violations(page) == []


def test_demo_narrative_page_and_comparison_look_right(live_server, page) -> None:
    from samverkan.tenancy.demo import DEMO_PASSWORD, load_tenancy_demo
    from samverkan.workshops.demo_narrative import load_narrative_demo

    base = live_server.url
    participant_instrument()
    associations = load_tenancy_demo()
    load_narrative_demo(associations=associations)
    log_in(page, base, "admin@demo.samverkan.se", DEMO_PASSWORD)

    page.goto(f"{base}/f/norra-vastmanland/workshop/berattelse/")
    assert page.get_by_role("heading", name="Maria, 34").is_visible()
    rows = page.locator("table.statements tbody tr")
    assert rows.count() == 5
    texts = [rows.nth(i).inner_text() for i in range(5)]
    assert "av 5" in texts[0] and "n = 16" in texts[0]
    assert "För få svar (färre än 5)" in texts[4] and "av 5" not in texts[4]
    assert serious_violations(page) == []
    screenshot(page, "narrative-page")
    # Keyboard: the first action in the statements table is reachable and shows its focus.
    page.locator("table.statements button").first.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"

    # The draft (version 1) against the association's own text (version 2).
    page.goto(f"{base}/f/norra-vastmanland/workshop/berattelse/versioner/")
    page.locator("table.versions tbody tr").last.locator("input[name=a]").check()
    page.locator("table.versions tbody tr").nth(-2).locator("input[name=b]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Jämför valda versioner").click()
    assert "Från version 1" in page.locator(".lead").inner_text()
    assert page.locator(".diff del").count() >= 1 and page.locator(".diff ins").count() >= 1
    # Not colour only: the removed text is struck through, the added underlined, and each line carries a sign.
    assert "line-through" in page.locator(".diff del").first.evaluate("(e) => getComputedStyle(e).textDecorationLine")
    assert "underline" in page.locator(".diff ins").first.evaluate("(e) => getComputedStyle(e).textDecorationLine")
    assert page.locator(".diff-removed .diff-mark").first.inner_text() == "−"
    assert serious_violations(page) == []
    screenshot(page, "narrative-compare")
