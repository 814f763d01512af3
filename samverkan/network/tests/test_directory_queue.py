"""Directory mail through the real database queue and its worker (django-tasks-db), as in `make demo`."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from samverkan.network.models import MeetingRequest
from samverkan.network.tests.directory_factories import make_service

# The worker closes its database connection between jobs, as a real one does: no wrapping test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _work() -> None:
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)


def test_a_meeting_request_is_queued_in_the_request_and_mailed_by_the_worker_without_a_secret_in_the_queue(
    actors, database_queue
) -> None:
    service = make_service(actors.association, "Arbetsträning")
    route = service.contact_routes.get()
    response = actors.client_for(actors.member).post(
        reverse("network:meeting_request", args=[actors.association.slug, service.pk]),
        {"contact_route": str(route.pk), "description": "Ung vuxen, vill prova arbetsträning."},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # nothing is sent inside the request
    job = DBTaskResult.objects.get()
    meeting = MeetingRequest.objects.get()
    assert meeting.answer_token_hash == ""  # the secret does not exist before the worker builds the mail
    _work()
    assert len(mail.outbox) == 1
    token = re.search(r"svara/#(\S+)", mail.outbox[0].body).group(1)
    job.refresh_from_db()
    assert token not in str(job.args_kwargs) and token not in str(job.return_value)
    meeting.refresh_from_db()
    assert meeting.mail_status == "sent" and meeting.answer_token_hash


def test_the_confirmation_command_queues_and_the_worker_mails(actors, database_queue) -> None:
    import datetime

    make_service(actors.association, "Gammal", confirmed_on=datetime.date.today() - datetime.timedelta(days=365))
    call_command("send_directory_confirmations")
    assert mail.outbox == []
    _work()
    assert [m.to for m in mail.outbox] == [["mottagningen@testby.example.se"]]
    assert "Stämmer uppgifterna om Gammal?" in mail.outbox[0].subject
