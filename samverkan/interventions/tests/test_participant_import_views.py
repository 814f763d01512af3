"""The import page: upload → preview → confirm without a second upload; templates; who may reach it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.accounts.tests.second_factor_helpers import verified_client
from samverkan.interventions.import_rows import COLUMNS
from samverkan.interventions.models import (
    AssignmentRole,
    InterventionAssignment,
    Participant,
    ParticipantImport,
    PendingParticipantFile,
)
from samverkan.interventions.tests.import_helpers import (
    BAD_PERSONNUMMER,
    VALID_PERSONNUMMER,
    anonymous_row,
    csv_file,
    intervention,
    nothing_written,
    row,
    stored,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def steget(actors: Any) -> Any:
    return intervention(actors.association)


def url(actors: Any, slug: str | None = None) -> str:
    return reverse("interventions:participant_import", args=[slug or actors.association.slug])


def upload(client: Client, address: str, file: io.BytesIO, name: str = "deltagare.csv") -> Any:
    file.name = name
    return client.post(address, {"file": file, "purpose": "Uppföljning"})


def test_admin_sees_the_upload_form_and_template_links(actors: Any, steget: Any) -> None:
    response = actors.client_for(actors.admin).get(url(actors))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and "mall.xlsx" in page and "mall.csv" in page


def test_preview_shows_counts_and_first_rows_and_writes_nothing(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    response = upload(client, url(actors), csv_file([row(), row(kod="SV-2"), anonymous_row()]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Förhandsgranskning av ”deltagare.csv”" in page and "SV-2" in page and 'name="pending"' in page
    assert response.context["check"].created == 2 and response.context["check"].anonymous == 1
    assert nothing_written()
    assert PendingParticipantFile.objects.count() == 1


def test_confirm_saves_without_a_second_upload_and_deletes_the_waiting_file(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    preview = upload(client, url(actors), csv_file([row(), anonymous_row()]))
    pending = preview.context["pending"]
    response = client.post(url(actors), {"pending": pending, "confirm": ""})
    assert response.status_code == 302
    assert stored() == (1, 1, 1)
    assert not PendingParticipantFile.objects.exists()
    assert Participant.objects.get().consent_recorded_by == actors.admin
    page = client.get(response["Location"]).content.decode()
    assert "Inläst: 1 nya deltagare" in page


def test_waiting_file_is_unreadable_without_the_forms_key(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    preview = upload(client, url(actors), csv_file([row(kod="HEMLIG-KOD", personnummer=VALID_PERSONNUMMER)]))
    stored_bytes = bytes(PendingParticipantFile.objects.get().data)
    assert b"HEMLIG-KOD" not in stored_bytes and VALID_PERSONNUMMER.encode() not in stored_bytes
    number = preview.context["pending"].split(".")[0]
    response = client.post(
        url(actors), {"pending": f"{number}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "confirm": ""}
    )
    assert response.status_code == 302 and nothing_written()


def test_cancel_deletes_the_waiting_file(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    preview = upload(client, url(actors), csv_file([row()]))
    client.post(url(actors), {"pending": preview.context["pending"], "cancel": ""})
    assert not PendingParticipantFile.objects.exists() and nothing_written()


def test_another_user_cannot_confirm_someone_elses_file(actors: Any, steget: Any) -> None:
    other_admin = actors.analyst
    from samverkan.tenancy.models import Membership, Role

    Membership.objects.filter(user=other_admin, association=actors.association).update(role=Role.ADMIN)
    preview = upload(actors.client_for(actors.admin), url(actors), csv_file([row()]))
    actors.client_for(other_admin).post(url(actors), {"pending": preview.context["pending"], "confirm": ""})
    assert nothing_written() and PendingParticipantFile.objects.count() == 1


def test_preview_lists_every_error_and_offers_no_confirmation(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    rows = [row(kön="kvinnor"), row(kod="SV-2", personnummer=BAD_PERSONNUMMER), row(startdatum="2026-02-30")]
    response = upload(client, url(actors), csv_file(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Filen har 3 fel. Ingenting har sparats." in page
    assert "ogiltigt personnummer på rad 3" in page and BAD_PERSONNUMMER not in page
    assert "”kvinnor” är inte ett tillåtet värde" in page and "”2026-02-30” är inte ett datum" in page
    assert 'name="pending"' not in page
    assert nothing_written() and not PendingParticipantFile.objects.exists()


def test_same_file_again_says_nothing_changes(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.admin)
    preview = upload(client, url(actors), csv_file([row()]))
    client.post(url(actors), {"pending": preview.context["pending"], "confirm": ""})
    again = upload(client, url(actors), csv_file([row()]))
    assert "Att läsa in den igen ändrar ingenting" in again.content.decode()
    assert 'name="pending"' not in again.content.decode()
    assert ParticipantImport.objects.count() == 1


def test_upload_over_the_size_limit_is_refused_in_the_form(actors: Any, steget: Any, settings: Any) -> None:
    settings.SAMVERKAN_PARTICIPANT_IMPORT_MAX_BYTES = 2000
    response = upload(actors.client_for(actors.admin), url(actors), csv_file([row(kod=f"K{n}") for n in range(50)]))
    assert response.status_code == 400
    assert "Filen är för stor" in response.content.decode() and nothing_written()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_downloads_have_the_header_row(actors: Any, fmt: str) -> None:
    response = actors.client_for(actors.member).get(
        reverse("interventions:participant_import_template", args=[actors.association.slug, fmt])
    )
    assert response.status_code == 200
    if fmt == "csv":
        assert response.content.decode("utf-8-sig").splitlines()[0] == ";".join(COLUMNS)
    else:
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(COLUMNS)


def test_member_without_participant_role_gets_403(actors: Any, steget: Any) -> None:
    client = actors.client_for(actors.member)
    assert client.get(url(actors)).status_code == 403
    assert upload(client, url(actors), csv_file([row()])).status_code == 403
    assert nothing_written()


def test_insatsansvarig_gets_403(actors: Any, steget: Any) -> None:
    InterventionAssignment.objects.create(intervention=steget, user=actors.member, role=AssignmentRole.INTERVENTION)
    assert actors.client_for(actors.member).get(url(actors)).status_code == 403


def test_deltagaransvarig_may_import_into_own_intervention(actors: Any, steget: Any) -> None:
    InterventionAssignment.objects.create(intervention=steget, user=actors.member, role=AssignmentRole.PARTICIPANTS)
    # A deltagaransvarig sees participant-level data, so the second factor comes first.
    assert actors.client_for(actors.member).get(url(actors)).status_code == 302
    client = verified_client(actors.member)
    preview = upload(client, url(actors), csv_file([row()]))
    assert preview.status_code == 200
    client.post(url(actors), {"pending": preview.context["pending"], "confirm": ""})
    assert stored() == (1, 0, 1)


def test_other_tenant_gets_404_and_anonymous_visitor_login(actors: Any, steget: Any) -> None:
    outsider = actors.client_for(actors.outsider)
    assert outsider.get(url(actors)).status_code == 404
    assert upload(outsider, url(actors), csv_file([row()])).status_code == 404
    anonymous = Client().get(url(actors))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")
    assert nothing_written()


def test_other_tenants_admin_cannot_write_into_their_own_association_with_our_intervention(
    actors: Any, steget: Any
) -> None:
    # Under B's own slug, A's intervention is unknown: the rows are refused, nothing is written anywhere.
    response = upload(actors.client_for(actors.outsider), url(actors, actors.other_association.slug), csv_file([row()]))
    assert response.status_code == 400
    assert "”Steget vidare” är inte en av förbundets insatser" in response.content.decode()
    assert nothing_written()


def test_confirm_of_another_associations_waiting_file_does_nothing(actors: Any, steget: Any) -> None:
    preview = upload(actors.client_for(actors.admin), url(actors), csv_file([row()]))
    response = actors.client_for(actors.outsider).post(
        url(actors, actors.other_association.slug), {"pending": preview.context["pending"], "confirm": ""}
    )
    assert response.status_code == 302 and nothing_written()
    assert PendingParticipantFile.objects.count() == 1
