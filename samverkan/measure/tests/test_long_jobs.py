"""Measure's long jobs: the invitation list, the exports and the PDF report, the rebuild of large results."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl
import pyreadstat
import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from samverkan.jobs.models import Job, JobStatus
from samverkan.measure.export_views import export_bytes
from samverkan.measure.models import Invitation, MailStatus, ResultSnapshot
from samverkan.measure.results import campaign_results
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_queue(settings: Any) -> None:
    """The database queue with no worker running: what the request queued stays queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def _invite(actors: Any, campaign: Any, emails: str) -> Any:
    return actors.client_for(actors.admin).post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]), {"respondent_group": "board", "emails": emails}
    )


# --- invitations -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_invitation_request_creates_no_invitations_itself_the_job_does(actors: Any, held_queue: None) -> None:
    campaign = open_campaign(actors.association)
    emails = [f"person{i}@kommun.se" for i in range(120)]
    response = _invite(actors, campaign, "\n".join(emails))
    assert response.status_code == 302
    assert Invitation.objects.count() == 0 and mail.outbox == []
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and job.total == 120 and job.payload["emails"] == emails
    assert DBTaskResult.objects.count() == 1  # one job for the list, whatever its length
    assert "@" not in str(DBTaskResult.objects.get().args_kwargs)  # the queue holds ids, never the addresses
    _work()  # the list's job, then the mail jobs it queued
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "120 inbjudningar" in job.message
    assert job.payload == {}  # the address list is gone once the job is over
    assert Invitation.objects.filter(mail_status=MailStatus.SENT).count() == 120
    assert len(mail.outbox) == 120


def test_a_bad_address_list_writes_nothing_and_keeps_the_text(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    pasted = "ok@kommun.se\ninte-en-adress\nanna@kommun\nbo @kommun.se"
    response = _invite(actors, campaign, pasted)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ogiltiga adresser (3): inte-en-adress, anna@kommun, bo, @kommun.se" not in html  # commas split lines
    assert "inte-en-adress" in html and "anna@kommun" in html and "Inga inbjudningar skickades" in html
    assert pasted in html.replace("\r\n", "\n")  # the textarea keeps what was pasted
    assert Job.objects.count() == 0 and Invitation.objects.count() == 0


def test_the_job_checks_every_address_fully_and_writes_nothing_when_one_is_bad(actors: Any) -> None:
    # "anna@-kommun.se" has the shape the request looks for, but no domain may start with a hyphen.
    campaign = open_campaign(actors.association)
    response = _invite(actors, campaign, "ok@kommun.se\nanna@-kommun.se")
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and "anna@-kommun.se" in job.message and job.payload == {}
    assert Invitation.objects.count() == 0 and mail.outbox == []
    page = actors.client_for(actors.admin).get(response["Location"]).content.decode()
    assert "anna@-kommun.se" in page and "Misslyckades" in page


def test_a_second_list_while_one_is_being_prepared_is_refused(actors: Any, held_queue: None) -> None:
    campaign = open_campaign(actors.association)
    assert _invite(actors, campaign, "a@kommun.se").status_code == 302
    second = _invite(actors, campaign, "b@kommun.se\nc@kommun.se")
    html = second.content.decode()
    assert second.status_code == 409
    assert "kan inte startas två gånger" in html and "b@kommun.se\nc@kommun.se" in html.replace("\r\n", "\n")
    assert Job.objects.count() == 1 and Invitation.objects.count() == 0


def test_the_campaign_page_shows_the_list_being_prepared(actors: Any, held_queue: None) -> None:
    campaign = open_campaign(actors.association)
    _invite(actors, campaign, "\n".join(f"p{i}@kommun.se" for i in range(600)))
    job = Job.objects.get()
    page = actors.client_for(actors.admin).get(reverse("measure:campaign_detail", args=["alfa", campaign.pk]))
    html = page.content.decode()
    assert 'role="progressbar"' in html and "Inbjudningar till Mätning" in html and "0 av 600" in html
    assert f"/f/alfa/jobb/{job.pk}/?sedan=ladda-om" in html  # polled; the page reloads when the list is done
    assert "En lista förbereds just nu" in html
    # No reminder either while the list is prepared: it would miss the new addresses, or mail them twice.
    admin = actors.client_for(actors.admin)
    remind = admin.post(reverse("measure:invitations_remind", args=["alfa", campaign.pk]))
    page = admin.get(remind["Location"]).content.decode()
    assert "förbereds fortfarande" in page and job.status == JobStatus.QUEUED
    # Members see the round but never the admin's invitation list.
    member_page = actors.client_for(actors.member).get(reverse("measure:campaign_detail", args=["alfa", campaign.pk]))
    assert "progressbar" not in member_page.content.decode()
    assert actors.client_for(actors.member).get(reverse("jobs:status", args=["alfa", job.pk])).status_code == 403


# --- exports and the report ------------------------------------------------------------------------------------


@pytest.fixture
def campaign(actors: Any) -> Any:
    """Staff 20 (shown), board 3 (below the minimum), managers 8 (hidden as the complement)."""
    campaign = open_campaign(actors.association, name="Hösten", groups=("board", "managers", "staff"))
    for i in range(20):
        submit(campaign, "staff", ring_answers(3 + i % 3, open_meaning=f"Personal {i}"))
    for _ in range(3):
        submit(campaign, "board", ring_answers(1, target=1, open_meaning="Bara styrelsen vet detta"))
    for _ in range(8):
        submit(campaign, "managers", ring_answers(5))
    return campaign


def _download(client: Any, campaign: Any, kind: str, fmt: str) -> bytes:
    response = client.get(reverse("measure:export", args=["alfa", campaign.pk, kind, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _job_file(client: Any, campaign: Any, kind: str, fmt: str) -> bytes:
    started = client.post(reverse("measure:export", args=["alfa", campaign.pk, kind, fmt]))
    assert started.status_code == 302
    job = Job.objects.filter(kind="measure.export").order_by("-created_at").first()
    assert started["Location"] == reverse("jobs:status", args=["alfa", job.pk])
    return client.get(reverse("jobs:download", args=["alfa", job.pk])).content


def _xlsx_cells(data: bytes) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [[sheet.title, *row] for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def _sav_content(data: bytes, tmp_path: Any, name: str) -> Any:
    path = tmp_path / name
    path.write_bytes(data)
    frame, meta = pyreadstat.read_sav(str(path))
    return frame.to_csv(index=False), meta.column_names_to_labels, meta.variable_value_labels  # NaN-safe


def test_an_export_job_gives_exactly_the_file_the_download_gives(actors: Any, campaign: Any, tmp_path: Any) -> None:
    """Suppression unchanged: the job writes the same bytes (CSV, JSON) and the same cells (Excel, SPSS, whose
    files carry the moment they were written)."""
    client = actors.client_for(actors.analyst)
    for kind, fmt in (("svar", "csv"), ("resultat", "csv"), ("resultat", "json")):
        assert _job_file(client, campaign, kind, fmt) == _download(client, campaign, kind, fmt), (kind, fmt)
    assert "Bara styrelsen" not in _job_file(client, campaign, "svar", "csv").decode("utf-8-sig")
    for kind in ("svar", "resultat"):
        assert _xlsx_cells(_job_file(client, campaign, kind, "xlsx")) == _xlsx_cells(
            _download(client, campaign, kind, "xlsx")
        )
        assert _sav_content(_job_file(client, campaign, kind, "sav"), tmp_path, "a.sav") == _sav_content(
            _download(client, campaign, kind, "sav"), tmp_path, "b.sav"
        )
    payload = json.loads(_job_file(client, campaign, "resultat", "json"))
    assert payload == json.loads(export_bytes(campaign_results(campaign=campaign), "resultat", "json"))


def test_the_pdf_report_is_made_by_a_job_and_downloaded_from_its_page(actors: Any, campaign: Any) -> None:
    client = actors.client_for(actors.analyst)
    started = client.post(reverse("measure:report_pdf", args=["alfa", campaign.pk]))
    job = Job.objects.get(kind="measure.export")
    assert started["Location"] == reverse("jobs:status", args=["alfa", job.pk])
    page = client.get(started["Location"]).content.decode()
    assert "Rapport (PDF): Hösten" in page and "Hämta hosten-rapport.pdf" in page
    data = client.get(reverse("jobs:download", args=["alfa", job.pk]))
    assert data.content.startswith(b"%PDF") and data["Content-Type"] == "application/pdf"


def test_the_same_export_twice_at_once_goes_to_the_running_one(actors: Any, campaign: Any, held_queue: None) -> None:
    client = actors.client_for(actors.analyst)
    url = reverse("measure:export", args=["alfa", campaign.pk, "svar", "xlsx"])
    first, second = client.post(url), client.post(url)
    job = Job.objects.get()
    assert first["Location"] == second["Location"] == reverse("jobs:status", args=["alfa", job.pk])
    page = client.get(second["Location"]).content.decode()
    assert "kan inte startas två gånger" in page and 'role="progressbar"' in page


def test_export_jobs_need_the_analyst_role(actors: Any, campaign: Any) -> None:
    member = actors.client_for(actors.member)
    assert member.post(reverse("measure:export", args=["alfa", campaign.pk, "svar", "csv"])).status_code == 403
    assert member.post(reverse("measure:report_pdf", args=["alfa", campaign.pk])).status_code == 403
    assert (
        actors.client_for(actors.outsider)
        .post(reverse("measure:export", args=["beta", campaign.pk, "svar", "csv"]))
        .status_code
        == 404
    )
    assert Job.objects.count() == 0


def test_the_results_page_starts_the_response_exports_and_the_report_as_jobs(actors: Any, campaign: Any) -> None:
    html = actors.client_for(actors.analyst).get(reverse("measure:results", args=["alfa", campaign.pk])).content
    page = html.decode()
    for kind, fmt in (("svar", "xlsx"), ("svar", "csv"), ("svar", "sav")):
        url = reverse("measure:export", args=["alfa", campaign.pk, kind, fmt])
        assert f'<form method="post" action="{url}"' in page
    assert f'<form method="post" action="{reverse("measure:report_pdf", args=["alfa", campaign.pk])}"' in page
    # The result tables are small whatever the number of answers: a plain link, the file at once.
    assert f'<a href="{reverse("measure:export", args=["alfa", campaign.pk, "resultat", "xlsx"])}"' in page


# --- results of a large open round -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_large_open_round_rebuilds_its_results_in_a_job_and_shows_the_last_ones_meanwhile(
    actors: Any, settings: Any
) -> None:
    settings.SAMVERKAN_RESULTS_REBUILD_IN_JOB_FROM = 5  # "large" for the test
    campaign = open_campaign(actors.association, groups=("staff",))
    for _ in range(6):
        submit(campaign, "staff", ring_answers(3))
    campaign_results(campaign=campaign)  # the first snapshot: 6 answers
    for _ in range(6):
        submit(campaign, "staff", ring_answers(5))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = actors.client_for(actors.member)
    url = reverse("measure:results", args=["alfa", campaign.pk])
    page = client.get(url).content.decode()
    job = Job.objects.get(kind="measure.results")
    assert 'role="progressbar"' in page and "uppdateras" in page
    assert ResultSnapshot.objects.get(campaign=campaign).answers_version == 6  # not rebuilt in the request
    client.get(url)  # another viewer meanwhile: the same job, not a second
    assert Job.objects.filter(kind="measure.results").count() == 1
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and "12 svar" in job.message
    assert ResultSnapshot.objects.get(campaign=campaign).answers_version == 12
