"""Participant journey: a deltagaransvarig passes the second factor, registers a participant with consent and reads
the outcome table; an insatsansvarig sees the outcome table but no participant. axe-core clean on every page."""

from __future__ import annotations

import datetime

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.interventions import participant_services as services
from samverkan.interventions.models import AssignmentRole, Intervention, InterventionAssignment, Participant
from samverkan.interventions.tests.participant_fixtures import participant_data
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_deltagaransvarig_registers_a_participant_and_reads_the_outcome_table(
    live_server, page, console_errors
) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Resa", slug="resa")
    coordinator = UserFactory(email="deltagare@resa.se", name="Dana Deltagaransvarig")
    manager = UserFactory(email="insats@resa.se", name="Ivar Insatsansvarig")
    for user in (coordinator, manager):
        MembershipFactory(user=user, association=association, role=Role.MEMBER)
    intervention = Intervention.objects.create(
        association=association, name="Steg till arbete", code="steg", start=datetime.date(2023, 1, 1)
    )
    InterventionAssignment.objects.create(intervention=intervention, user=coordinator, role=AssignmentRole.PARTICIPANTS)
    InterventionAssignment.objects.create(intervention=intervention, user=manager, role=AssignmentRole.INTERVENTION)
    device = TOTPDevice.objects.create(user=coordinator, name="Autentiseringsapp", confirmed=True)
    sources = ["sjukpenning"] * 8 + ["forsorjningsstod"] * 7 + ["aktivitetsstod"] * 6
    ends = ["lon"] * 5 + ["sjukpenning"] * 3 + ["lon"] * 2 + ["forsorjningsstod"] * 5 + ["studiemedel"] * 6
    for i, (start, end) in enumerate(zip(sources, ends, strict=True)):
        services.participant_register(
            intervention=intervention,
            recorded_by=coordinator,
            **participant_data(
                code=f"D-RESA{i:04}",
                start=datetime.date(2024, 1, 10),
                end=datetime.date(2024, 3 + i % 8, 1),
                income_start=start,
                income_end=end,
                end_reason="arbete" if end == "lon" else "annat",
            ),
        )

    # 1. Password, then the second factor: the participant list asks for the app's code first.
    log_in(page, base, "deltagare@resa.se", TEST_PASSWORD)
    page.goto(f"{base}/f/resa/insatser/{intervention.pk}/deltagare/")
    assert "/konto/" in page.url
    page.fill("#id_code", _code(device))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Fortsätt").click()
    assert page.url.endswith(f"/insatser/{intervention.pk}/deltagare/"), page.url
    assert page.get_by_role("heading", name="Deltagare").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "participants-list")

    # 2. Register one more, with consent and an identity number (which is checked, hashed and forgotten).
    page.get_by_role("link", name="Registrera deltagare").click()
    page.fill("#id_code", "D-NY000001")
    page.fill("#id_consent_date", "2024-02-01")
    page.fill("#id_consent_purpose", "Uppföljning av insatsen")
    page.fill("#id_identity_number", "19900101-0018")  # a wrong check digit first
    page.select_option("#id_gender", "man")
    page.select_option("#id_age_band", "30-39")
    page.select_option("#id_education", "gymnasial")
    page.fill("#id_start", "2024-02-01")
    page.select_option("#id_income_start", "sjukpenning")
    page.fill("#id_end", "2024-09-30")
    page.select_option("#id_income_end", "lon")
    page.select_option("#id_end_reason", "arbete")
    page.locator("main").get_by_role("button", name="Registrera").click()
    assert page.locator(".error-summary").is_visible()
    assert "kontrollsiffra" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_code") == "D-NY000001" and page.input_value("#id_identity_number") == ""
    assert serious_violations(page) == []
    screenshot(page, "participant-form-error")
    page.fill("#id_identity_number", "19900101-0017")
    page.locator("main").get_by_role("button", name="Registrera").click()
    page.wait_for_url(f"**/insatser/{intervention.pk}/deltagare/")
    assert page.get_by_role("link", name="D-NY000001").first.is_visible()
    saved = Participant.objects.get(code="D-NY000001")
    assert saved.identity_hash and "199001010017" not in saved.identity_hash

    # 3. The outcome table: 22 ended in 2024, small cells hidden, n on every figure.
    page.get_by_role("link", name="Utfall").click()
    assert page.get_by_role("heading", name="Utfall 2024").is_visible()
    assert "n = 22" in page.locator("main").inner_text()
    assert page.get_by_role("table", name="Försörjningsgrupp vid start (rader) och vid avslut (kolumner)").is_visible()
    assert serious_violations(page) == []
    screenshot(page, "participant-outcomes")

    # 4. The insatsansvarig: the outcome table yes, the participants no.
    context = page.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    console_errors.watch(context)
    other = context.new_page()
    console_errors.allow("status of 403")
    log_in(other, base, "insats@resa.se", TEST_PASSWORD)
    other.goto(f"{base}/f/resa/insatser/{intervention.pk}/utfall/")
    assert "n = 22" in other.locator("main").inner_text()
    assert "D-RESA" not in other.content() and "D-NY000001" not in other.content()
    response = other.goto(f"{base}/f/resa/insatser/{intervention.pk}/deltagare/")
    assert response is not None and response.status == 403
    context.close()
