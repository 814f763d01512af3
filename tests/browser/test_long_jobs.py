"""Long jobs in a real browser: an export's bar fills by htmx polling, then the file downloads; the campaign
page shows an invitation list being prepared and reloads itself when it is done."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from samverkan.common.factories import TEST_PASSWORD, AssociationFactory, MembershipFactory, UserFactory
from samverkan.jobs.models import Job, JobStatus
from samverkan.jobs.services import JobRun
from samverkan.measure.models import Invitation
from samverkan.measure.tests.factories import core_instrument, open_campaign, ring_answers, submit
from samverkan.tenancy.models import Role

from .conftest import log_in, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def held_queue(settings):
    """The database queue; the test plays the worker (db_worker --batch) when it wants the job to move."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work(**options) -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0, **options)


def test_start_an_export_watch_the_bar_and_download_the_file(live_server, page, held_queue, console_errors) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Export", slug="export")
    MembershipFactory(user=UserFactory(email="analys@export.se"), association=association, role=Role.ANALYST)
    core_instrument()  # transactional tests flush the data migration's core instruments
    campaign = open_campaign(association, name="Hösten", groups=("staff",))
    for i in range(12):
        submit(campaign, "staff", ring_answers(2 + i % 4))
    log_in(page, base, "analys@export.se", TEST_PASSWORD)

    page.goto(f"{base}/f/export/mat/{campaign.pk}/resultat/")
    page.get_by_text("Exportera").click()
    with page.expect_navigation():
        page.locator("li", has_text="Anonyma svar").get_by_role("button", name="Excel").click()
    job = Job.objects.get()
    bar = page.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == "0"
    assert page.locator("main h1").inner_text() == "Anonyma svar (Excel): Hösten"
    assert serious_violations(page) == []

    JobRun(job).progress(1, 3, "Läser resultaten…")  # as the worker reports: the next poll shows it
    page.get_by_text("Läser resultaten…").wait_for()
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "33"
    screenshot(page, "job-export-running")

    _work()
    link = page.get_by_role("link", name="Hämta hosten-svar.xlsx")
    link.wait_for()  # no reload: the bar's poll brought the link
    assert page.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
    screenshot(page, "job-export-done")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "hosten-svar.xlsx"
    with open(download.path(), "rb") as file:
        assert file.read(2) == b"PK"  # an xlsx is a zip
    assert Job.objects.get().status == JobStatus.DONE


def test_the_campaign_page_shows_an_invitation_list_being_prepared(live_server, page, held_queue) -> None:
    base = live_server.url
    association = AssociationFactory(name="Samordningsförbundet Inbjudan", slug="inbjudan")
    MembershipFactory(user=UserFactory(email="admin@inbjudan.se"), association=association, role=Role.ADMIN)
    core_instrument()
    campaign = open_campaign(association, name="Mätning våren", groups=("board", "staff"))
    log_in(page, base, "admin@inbjudan.se", TEST_PASSWORD)

    page.goto(f"{base}/f/inbjudan/mat/{campaign.pk}/")
    page.select_option("#id_respondent_group", "staff")
    page.fill("#id_emails", "\n".join(f"person{i}@kommun.se" for i in range(600)))
    with page.expect_navigation():
        page.get_by_role("button", name="Skicka inbjudningar").click()
    assert Invitation.objects.count() == 0  # the request only stored the list
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)  # as the worker marks it when it starts
    JobRun(job).progress(250, 600, "Skapar personliga länkar: 250 av 600.")
    page.get_by_text("Skapar personliga länkar: 250 av 600.").wait_for()
    page.get_by_role("progressbar").scroll_into_view_if_needed()
    assert page.get_by_role("progressbar").get_attribute("aria-valuetext") == "250 av 600 (42 %)"
    assert serious_violations(page) == []
    screenshot(page, "job-invitations-running")

    _work(max_tasks=1)  # the list's job alone: the page reloads itself once it is done
    page.get_by_text("0 skickade, 600 i kö, 0 misslyckades").wait_for()
    assert page.get_by_text("600 inbjudningar skapade och köade för utskick").count() == 1
    assert Invitation.objects.count() == 600
    # The mail itself, with the page closed: the test database (SQLite in memory) cannot wait for a lock.
    page.goto("about:blank")
    _work()
    page.goto(f"{base}/f/inbjudan/mat/{campaign.pk}/")
    page.get_by_text("600 skickade, 0 i kö, 0 misslyckades").wait_for()
    screenshot(page, "job-invitations-done")
