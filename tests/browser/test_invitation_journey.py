"""A personal invitation in a real browser: the secret after "#" is never sent in an address."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from samverkan.common.factories import AssociationFactory
from samverkan.measure import services
from samverkan.measure.models import PendingResponse
from samverkan.measure.tests.factories import open_campaign

from .conftest import screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_personal_link_opens_the_questionnaire_without_its_secret_ever_in_a_requested_address(
    live_server, phone, console_errors
) -> None:
    base = live_server.url
    campaign = open_campaign(AssociationFactory(name="Samordningsförbundet Länk", slug="lank"), groups=("board",))
    services.invitations_create(
        campaign=campaign,
        emails=["anna@kommun.se"],
        respondent_group="board",
        answer_base_url=f"{base}/svara/inbjudan/",
    )
    link = re.search(r"(http://\S+#\S+)", mail.outbox[-1].body).group(1)
    secret = link.partition("#")[2]
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))

    phone.goto(link)
    phone.locator("form.questionnaire").wait_for()  # the script posted the code; the form is shown
    assert "#" not in phone.url and secret not in phone.url
    assert phone.locator("main h1").inner_text() == campaign.instrument.name
    assert serious_violations(phone) == []
    screenshot(phone, "invitation-form-phone")
    phone.locator("label.scale-option:has(input[name='ring_team'][value='4'])").first.tap()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Skicka in svaren").click()
    assert phone.locator("main h1").inner_text() == "Tack för ditt svar!"
    assert PendingResponse.objects.filter(campaign=campaign).count() == 1

    # The same link again: used, said in Swedish (a 410 on purpose).
    console_errors.allow("status of 410 (Gone)")
    phone.goto(link)
    phone.get_by_text("Länken är redan använd").wait_for()
    assert requested and all(secret not in url for url in requested)
