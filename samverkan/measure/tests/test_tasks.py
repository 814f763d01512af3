"""Invitation mail through the real database queue and its worker (django-tasks-db), as in `make demo`."""

from __future__ import annotations

import re
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from samverkan.measure import anonymity, services
from samverkan.measure.models import Invitation, MailStatus
from samverkan.measure.tests.factories import open_campaign

BASE = "https://samverkan.example.se/svara/inbjudan/"

# The worker closes its database connection between jobs, as a real one does: no wrapping test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_invitations_are_queued_in_the_request_and_mailed_by_the_worker(actors, database_queue) -> None:
    campaign = open_campaign(actors.association, groups=("board",))
    emails = [f"person{i}@kommun.se" for i in range(120)]
    queued, skipped = services.invitations_create(
        campaign=campaign, emails=emails, respondent_group="board", answer_base_url=BASE
    )
    assert (queued, skipped) == (120, 0)
    assert mail.outbox == []  # nothing is sent inside the request
    jobs = list(DBTaskResult.objects.all())
    assert len(jobs) == 3  # batches of 50
    # A job's stored arguments hold invitation ids and the page address, never a personal secret.
    for invitation in Invitation.objects.all():
        token = anonymity.invitation_token(invitation.nonce)
        assert all(token not in str(job.args_kwargs) for job in jobs)
    _work()
    assert len(mail.outbox) == 120
    assert set(Invitation.objects.values_list("mail_status", flat=True)) == {MailStatus.SENT}
    first = mail.outbox[0]
    link = re.search(r"(https://\S+)", first.body).group(1)
    invitation = Invitation.objects.get(email=first.to[0])
    assert link == BASE + "#" + anonymity.invitation_token(invitation.nonce)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_is_retried_and_then_shown_as_failed_per_address(
    actors, database_queue, settings
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _closed_port(), 2
    campaign = open_campaign(actors.association, groups=("board",))
    services.invitations_create(
        campaign=campaign, emails=["a@kommun.se", "b@kommun.se"], respondent_group="board", answer_base_url=BASE
    )
    _work()
    invitation = Invitation.objects.get(email="a@kommun.se")
    assert invitation.mail_status == MailStatus.QUEUED and invitation.mail_attempts == 1
    assert invitation.mail_error == "ConnectionRefusedError"
    # The retry waits (run_after); run it now, twice, as the worker would later.
    for _attempt in range(2):
        DBTaskResult.objects.filter(status="READY").update(run_after=DBTaskResult.objects.first().enqueued_at)
        _work()
    statuses = dict(Invitation.objects.values_list("email", "mail_status"))
    assert statuses == {"a@kommun.se": MailStatus.FAILED, "b@kommun.se": MailStatus.FAILED}
    assert Invitation.objects.get(email="b@kommun.se").mail_attempts == 3


def test_a_reminder_cannot_be_started_twice_while_mail_is_still_queued(actors, database_queue) -> None:
    campaign = open_campaign(actors.association, groups=("board",))
    services.invitations_create(
        campaign=campaign, emails=["c@kommun.se"], respondent_group="board", answer_base_url=BASE
    )
    with pytest.raises(services.ReminderInProgress):
        services.invitations_remind(campaign=campaign, answer_base_url=BASE)
    _work()
    assert services.invitations_remind(campaign=campaign, answer_base_url=BASE) == 1
    with pytest.raises(services.ReminderInProgress):
        services.invitations_remind(campaign=campaign, answer_base_url=BASE)
    _work()
    assert "Har du redan svarat? Tack!" in mail.outbox[-1].body


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_the_production_queue_on_redis_runs_the_same_mail_job(actors, settings) -> None:
    """TASKS_BACKEND=rq: the job goes through Redis and an RQ worker (as `rqworker --job-class …`)."""
    import django_rq
    from django_tasks_rq.backend import Job
    from rq import SimpleWorker

    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6379/15", "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    campaign = open_campaign(actors.association, groups=("board",))
    services.invitations_create(
        campaign=campaign, emails=["r@kommun.se"], respondent_group="board", answer_base_url=BASE
    )
    assert mail.outbox == [] and queue.count == 1
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)
    assert [m.to for m in mail.outbox] == [["r@kommun.se"]]
    assert Invitation.objects.get().mail_status == MailStatus.SENT


def test_the_admin_sees_the_mail_status_and_can_send_a_failed_address_again(actors, settings) -> None:
    campaign = open_campaign(actors.association, groups=("board",))
    services.invitations_create(
        campaign=campaign, emails=["ok@kommun.se"], respondent_group="board", answer_base_url=BASE
    )
    Invitation.objects.create(
        campaign=campaign,
        respondent_group="board",
        email="fel@kommun.se",
        nonce="1" * 32,
        lookup="f" * 64,
        mail_status=MailStatus.FAILED,
        mail_attempts=3,
        mail_error="ConnectionRefusedError",
    )
    from django.urls import reverse

    admin = actors.client_for(actors.admin)
    page = admin.get(reverse("measure:campaign_detail", args=["alfa", campaign.pk])).content.decode()
    assert "1 skickade, 0 i kö, 1 misslyckades" in page and "fel@kommun.se" in page
    assert (
        "fel@kommun.se"
        not in actors.client_for(actors.member)
        .get(reverse("measure:campaign_detail", args=["alfa", campaign.pk]))
        .content.decode()
    )
    mail.outbox.clear()
    queued, skipped = services.invitations_create(
        campaign=campaign, emails=["fel@kommun.se", "ok@kommun.se"], respondent_group="board", answer_base_url=BASE
    )
    assert (queued, skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [["fel@kommun.se"]]
    assert Invitation.objects.get(email="fel@kommun.se").mail_status == MailStatus.SENT
