"""Long jobs (samverkan/jobs): started once, watched by the right people only, run by the real queue, pruned."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from django_tasks_db.models import DBTaskResult

from samverkan.jobs.models import Job, JobStatus
from samverkan.jobs.services import JobAlreadyRunning, JobRun, job_start, job_task
from samverkan.tenancy.models import Role

pytestmark = pytest.mark.django_db


# Module-level tasks, as the queue's worker imports them by their path.
@job_task()
def counting_job(run: JobRun, upto: int) -> None:
    for done in range(1, upto + 1):
        run.progress(done, upto, f"Räknar {done} av {upto}")
    run.finish(f"{upto};{run.payload.get('word', '')}".encode(), filename="tal.csv", content_type="text/csv")


@job_task()
def failing_job(run: JobRun) -> None:
    run.progress(1, 2, "Halvvägs")
    run.fail("Filen saknar kolumnen ”e-post”.")


@job_task()
def crashing_job(run: JobRun) -> None:
    raise RuntimeError("boom")


def _start(actors: Any, *, task: Any = counting_job, key: str = "k", role: str = Role.MEMBER, **kw: Any) -> Job:
    with scope(association=actors.association):
        return job_start(
            association=actors.association,
            kind="test.count",
            key=key,
            title="Räkna",
            task=task,
            role=role,
            **kw,
        )


@pytest.fixture
def held_queue(settings: Any) -> None:
    """The database queue with no worker running: a started job stays queued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_same_job_cannot_be_started_twice(actors: Any, held_queue: None) -> None:
    first = _start(actors, args=[3])
    with pytest.raises(JobAlreadyRunning) as refused:
        _start(actors, args=[3])
    assert "kan inte startas två gånger" in refused.value.messages[0]
    assert refused.value.job == first
    assert Job.objects.count() == 1 and DBTaskResult.objects.count() == 1
    _start(actors, key="another", args=[3])  # another key is another job
    assert Job.objects.count() == 2


def test_the_database_itself_refuses_a_second_active_job_of_the_same_kind_and_key(actors: Any) -> None:
    # Even code that skipped job_start's check cannot make two: the conditional unique constraint says no.
    fields = {"association": actors.association, "kind": "test.count", "key": "k", "title": "Räkna"}
    Job.objects.create(**fields, status=JobStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(**fields)
    Job.objects.create(**fields, status=JobStatus.DONE)  # finished ones do not count
    Job.objects.create(**fields, status=JobStatus.FAILED)


def test_a_job_that_is_over_can_be_started_again(actors: Any) -> None:
    _start(actors, args=[2])  # the immediate backend (conftest) runs it at once
    assert Job.objects.get().status == JobStatus.DONE
    again = _start(actors, args=[2])
    assert Job.objects.count() == 2 and Job.objects.get(pk=again.pk).status == JobStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_two_racing_starts_make_one_job(actors: Any, held_queue: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("two writers at the same moment need PostgreSQL; SQLite lets one writer in at a time")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def start() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                _start(actors, args=[1])
            outcomes.append("started")
        except JobAlreadyRunning:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "started"]
    assert Job.objects.count() == 1


def test_progress_is_visible_on_the_page_and_polled_by_htmx(actors: Any, held_queue: None) -> None:
    job = _start(actors, args=[4])
    JobRun(job).progress(3, 4, "Räknar 3 av 4")
    url = reverse("jobs:status", args=["alfa", job.pk])
    page = actors.client_for(actors.member).get(url).content.decode()
    assert 'role="progressbar"' in page and 'aria-valuenow="75"' in page and "3 av 4 (75 %)" in page
    assert 'aria-live="polite"' in page and "Räknar 3 av 4" in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    # Without JavaScript: the job page refreshes itself and offers a reload link.
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "Uppdatera sidan" in page
    partial = actors.client_for(actors.member).get(url, headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="job-') and "<html" not in partial.content.decode()


def test_a_finished_job_stops_polling_and_offers_its_file(actors: Any) -> None:
    job = _start(actors, args=[2], payload={"word": "hej"})
    client = actors.client_for(actors.member)
    page = client.get(reverse("jobs:status", args=["alfa", job.pk])).content.decode()
    assert "hx-trigger" not in page and "Hämta tal.csv" in page
    download = client.get(reverse("jobs:download", args=["alfa", job.pk]))
    assert download.status_code == 200 and download.content == b"2;hej"
    assert download["Content-Disposition"] == 'attachment; filename="tal.csv"'
    assert download["Content-Type"] == "text/csv"
    assert Job.objects.get().payload == {}  # the input is dropped when the job ends


def test_a_page_that_shows_the_outcome_itself_is_reloaded_when_the_job_ends(actors: Any) -> None:
    job = _start(actors, args=[1])
    url = reverse("jobs:status", args=["alfa", job.pk]) + "?sedan=ladda-om"
    response = actors.client_for(actors.member).get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"


def test_another_association_gets_404_for_the_job_page_and_its_download(actors: Any) -> None:
    job = _start(actors, args=[1])
    outsider = actors.client_for(actors.outsider)
    for name in ("jobs:status", "jobs:download"):
        assert outsider.get(reverse(name, args=["beta", job.pk])).status_code == 404  # under its own slug
        assert outsider.get(reverse(name, args=["alfa", job.pk])).status_code == 404  # under A's


def test_anonymous_visitor_is_sent_to_login(actors: Any) -> None:
    job = _start(actors, args=[1])
    for name in ("jobs:status", "jobs:download"):
        response = Client().get(reverse(name, args=["alfa", job.pk]))
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_a_member_without_the_jobs_role_is_refused(actors: Any) -> None:
    job = _start(actors, args=[1], role=Role.ANALYST)
    for name in ("jobs:status", "jobs:download"):
        url = reverse(name, args=["alfa", job.pk])
        assert actors.client_for(actors.member).get(url).status_code == 403
        assert actors.client_for(actors.analyst).get(url).status_code == 200


def test_a_result_expires_and_prune_jobs_deletes_it(actors: Any, settings: Any) -> None:
    settings.SAMVERKAN_JOB_RESULT_HOURS = 24
    job = _start(actors, args=[1])
    job.refresh_from_db()
    assert job.expires_at is not None
    assert timedelta(hours=23) < job.expires_at - timezone.now() <= timedelta(hours=24)
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    gone = actors.client_for(actors.member).get(reverse("jobs:download", args=["alfa", job.pk]))
    assert gone.status_code == 410 and "Filen finns inte längre" in gone.content.decode()
    kept = _start(actors, key="kept", args=[1])
    out = StringIO()
    call_command("prune_jobs", stdout=out)
    assert list(Job.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "1 jobb borttagna" in out.getvalue()


def test_prune_jobs_fails_a_job_whose_worker_fell_silent_so_it_can_start_again(
    actors: Any, held_queue: None, settings: Any
) -> None:
    settings.SAMVERKAN_JOB_STALE_HOURS = 6
    job = _start(actors, args=[1], payload={"emails": ["a@kommun.se"]})
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, updated_at=timezone.now() - timedelta(hours=7))
    fresh = _start(actors, key="fresh", args=[1])
    call_command("prune_jobs", stdout=StringIO())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.payload == {} and "Starta det igen" in job.message
    assert Job.objects.get(pk=fresh.pk).status == JobStatus.QUEUED
    _start(actors, args=[1])  # the key is free again


def test_a_job_that_fails_keeps_its_message_and_drops_its_input(actors: Any) -> None:
    job = _start(actors, task=failing_job, payload={"emails": ["a@kommun.se"]})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.message == "Filen saknar kolumnen ”e-post”."
    assert job.payload == {} and job.finished_at is not None
    page = actors.client_for(actors.member).get(reverse("jobs:status", args=["alfa", job.pk])).content.decode()
    assert "Misslyckades" in page and "Filen saknar kolumnen" in page and "hx-trigger" not in page


def test_a_job_that_crashes_ends_failed_with_a_general_swedish_message(actors: Any) -> None:
    job = _start(actors, task=crashing_job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "kunde inte slutföras" in job.message
    assert "boom" not in job.message


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_through_the_real_database_queue_and_its_worker(actors: Any, held_queue: None) -> None:
    job = _start(actors, args=[5], payload={"word": "kö"})
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [str(job.pk), 5]  # the job's id, never its input
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (5, 5)
    assert bytes(job.result) == "5;kö".encode() and job.payload == {}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
