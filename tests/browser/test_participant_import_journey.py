"""The participant import in a browser: a broken file's preview lists every error; a good file is saved."""

from __future__ import annotations

import datetime

import pytest

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.interventions.models import AnonymousParticipation, Intervention, Participant
from samverkan.interventions.tests.import_helpers import BAD_PERSONNUMMER, anonymous_row, csv_file, row
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_preview_lists_errors_then_a_good_file_is_saved(live_server, page, console_errors, tmp_path) -> None:
    base = live_server.url
    console_errors.allow("deltagarimport/")  # a preview with errors answers 400 on purpose
    association = AssociationFactory(name="Samordningsförbundet Sida", slug="sida")
    MembershipFactory(user=UserFactory(email="admin@sida.se"), association=association, role=Role.ADMIN)
    Intervention.objects.create(
        association=association, name="Steget vidare", code="steg", start=datetime.date(2025, 1, 1)
    )
    log_in(page, base, "admin@sida.se", TEST_PASSWORD)

    broken = tmp_path / "deltagare-fel.csv"
    broken.write_bytes(
        csv_file(
            [
                row(),
                row(kod="SV-2", kön="kvinnor"),
                row(kod="SV-3", startdatum="2026-06-30", slutdatum="2026-01-12"),
                row(kod="SV-4", personnummer=BAD_PERSONNUMMER),
                row(kod="SV-1"),
                row(insats="Okänd insats", kod="SV-5"),
                anonymous_row(utbildning="gymnasial"),
            ],
            encoding="cp1252",
        ).getvalue()
    )
    page.goto(f"{base}/f/sida/insatser/deltagarimport/")
    page.set_input_files("#id_file", str(broken))
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert "Filen har 6 fel. Ingenting har sparats." in page.locator(".error-summary").inner_text()
    table = page.locator(".import-error-table").inner_text()
    assert "ogiltigt personnummer på rad 5" in table and BAD_PERSONNUMMER not in page.content()
    assert page.get_by_role("button", name="Spara i registret").count() == 0
    assert serious_violations(page) == []
    screenshot(page, "participant-import-errors")

    good = tmp_path / "deltagare.csv"
    good.write_bytes(csv_file([row(), row(kod="SV-2", kön="man"), anonymous_row()], encoding="cp1252").getvalue())
    page.set_input_files("#id_file", str(good))
    with page.expect_navigation():
        page.get_by_role("button", name="Kontrollera filen").click()
    assert "Förhandsgranskning av ”deltagare.csv”" in page.content()
    assert serious_violations(page) == []
    screenshot(page, "participant-import-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="Spara i registret").click()
    assert "Inläst: 2 nya deltagare" in page.locator(".messages").inner_text()
    assert Participant.objects.count() == 2 and AnonymousParticipation.objects.get().count == 1
