"""A network round answered on a phone: the notice first, a block per agency, keyboard usable, axe-core clean."""

from __future__ import annotations

import pytest

from samverkan.common.factories import AgencyFactory, AssociationFactory, MembershipFactory, UserFactory
from samverkan.network.models import NetworkAnswer
from samverkan.network.tests.factories import agencies_of, answer, invite, open_round
from samverkan.tenancy.models import AgencyKind, Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def association():
    association = AssociationFactory(name="Samordningsförbundet Karta", slug="karta")
    association.agencies.set(
        [
            AgencyFactory(name="Försäkringskassan", kind=AgencyKind.FK),
            AgencyFactory(name="Arbetsförmedlingen", kind=AgencyKind.AF),
            AgencyFactory(name="Region Karta", kind=AgencyKind.REGION),
            AgencyFactory(name="Kartby kommun", kind=AgencyKind.MUNICIPALITY),
        ]
    )
    return association


def test_a_representative_answers_a_network_round_on_a_phone(live_server, phone, console_errors, association) -> None:
    network_round = open_round(association, name="Karta 2026")
    af, fk, municipality, region = agencies_of(association)
    token = invite(network_round, fk)

    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    phone.goto(f"{live_server.url}/karta/svara/#{token}")  # the script posts the secret, then the notice
    notice = phone.get_by_role("heading", name="Innan du börjar: svaren är inte anonyma")
    notice.wait_for()
    assert "visas per myndighet för förbundet" in phone.locator("main").inner_text()
    assert phone.locator("input[type=radio]").count() == 0  # nothing is asked before the notice
    assert serious_violations(phone) == []
    screenshot(phone, "network-answer-start-phone")
    with phone.expect_navigation():
        phone.get_by_role("link", name="Jag förstår – börja svara").click()

    # One block per other agency, each question a fieldset with its legend.
    blocks = phone.locator("section.agency-block")
    assert blocks.count() == 3
    assert phone.get_by_role("group", name="Hur djup är samverkan med Arbetsförmedlingen?").count() == 1
    assert serious_violations(phone) == []
    screenshot(phone, "network-answer-form-phone")
    for target in (af, municipality, region):
        block = phone.locator(f"#agency-{target.pk}")
        block.locator(f"label.scale-option:has(input[name='{target.pk}-frequency'][value='3'])").tap()
        block.locator(f"label.depth-option:has(input[name='{target.pk}-depth'][value='2'])").tap()
        block.locator(f"label.scale-option:has(input[name='{target.pk}-reliability'][value='4'])").tap()
        block.locator(f"label.scale-option:has(input[name='{target.pk}-knows'][value='ja'])").tap()
    # The keyboard moves within a radio group with the arrow keys: region's depth from 2 to 3.
    phone.locator(f"input[name='{region.pk}-depth'][value='2']").focus()
    phone.keyboard.press("ArrowDown")
    assert phone.locator(f"input[name='{region.pk}-depth'][value='3']").is_checked()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka in svaret för Försäkringskassan").click()
    assert phone.locator("main h1").inner_text() == "Tack för ditt svar!"
    rows = NetworkAnswer.objects.filter(round=network_round, source=fk)
    assert rows.count() == 3 and rows.get(target=region).depth == 3 and rows.get(target=af).trust_reliability == 4

    # The same link again: used, said plainly (a 410 on purpose).
    console_errors.allow("status of 410 (Gone)")
    phone.goto(f"{live_server.url}/karta/svara/#{token}")
    phone.get_by_text("Länken är redan använd").wait_for()
    assert requested and all(token not in url for url in requested)  # the secret is in no requested address


def test_the_results_page_with_its_map_is_axe_clean_on_a_phone(live_server, phone, association) -> None:
    first = open_round(association, name="Karta 2025")
    af, fk, municipality, region = agencies_of(association)
    answer(first, fk, {af.name: 3, municipality.name: 1, region.name: 0})
    answer(first, af, {fk.name: 2, municipality.name: 0, region.name: 0})
    second = open_round(association, name="Karta 2026", previous=first)
    answer(second, fk, {af.name: 4, municipality.name: 2, region.name: 3})
    answer(second, af, {fk.name: 4, municipality.name: 1, region.name: 2})
    answer(second, region, {fk.name: 3, af.name: 1, municipality.name: 5})
    user = UserFactory(email="medlem@karta.se", password="lösenord-för-test-1")
    MembershipFactory(user=user, association=association, role=Role.MEMBER)
    log_in(phone, live_server.url, "medlem@karta.se", "lösenord-för-test-1")
    phone.goto(f"{live_server.url}/f/karta/karta/{second.pk}/?niva=2")
    phone.locator("svg.network-map").wait_for()
    assert phone.locator("svg.network-map .tie").count() == 7  # the answers of depth 2 and more
    assert serious_violations(phone) == []
    screenshot(phone, "network-results-phone")
    phone.goto(f"{live_server.url}/f/karta/karta/{second.pk}/jamfor/")
    assert phone.locator("svg.network-map").count() == 2
    assert serious_violations(phone) == []
    screenshot(phone, "network-compare-phone")
