"""Writes of the directory: services and their parts, meeting requests and their answers, confirmations.

Mail goes through the task queue (directory_tasks), like Mät's invitations: a task's arguments are ids
and the page's address, never a secret. The secret of an answer or confirmation link is made by the
task when it builds the mail, only its keyed hash is stored, and it travels after "#" in the address,
which a browser never sends: no server, proxy or log line sees it (the page posts it in a form).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from samverkan.measure.anonymity import keyed_hash
from samverkan.tenancy.models import Agency, Association

from . import directory_selectors as selectors
from .models import ContactRoute, Location, MeetingRequest, MeetingStatus, Service, ServiceAtLocation

# Fields a contact may correct through the confirmation link (the rest is the association's to change).
CORRECTABLE_FIELDS = ("description", "target_group", "application_process", "eligibility", "url", "email")


class DirectoryError(ValueError):
    """A refused write; the message is Swedish and shown as is."""


def _enqueue(fn: Any) -> None:
    # As Mät's invitations (measure/invitations.py): the database queue shares the transaction, a queue
    # elsewhere (Redis) hears of the job only after the commit.
    backend = type(task_backends["default"]).__module__
    if backend.startswith(("django_tasks_db", "django_tasks.backends.immediate")):
        fn()
    else:
        transaction.on_commit(fn)


def service_search_text_refresh(service: Service) -> None:
    locations = [sal.location for sal in ServiceAtLocation.objects.filter(service=service).select_related("location")]
    text = selectors.search_text(service, locations)
    if text != service.search_text:
        service.search_text = text
        Service.objects.filter(pk=service.pk).update(search_text=text)


def service_save(*, service: Service, locations: Iterable[Location] | None = None) -> Service:
    """Save a new or changed service (and, when given, the places it is given at); its search text follows."""
    with transaction.atomic():
        if service.last_confirmed_on is None:
            # Whoever enters or changes an entry has just checked it.
            service.last_confirmed_on = timezone.localdate()
        service.save()
        if locations is not None:
            wanted = {loc.pk for loc in locations}
            ServiceAtLocation.objects.filter(service=service).exclude(location_id__in=wanted).delete()
            have = set(ServiceAtLocation.objects.filter(service=service).values_list("location_id", flat=True))
            ServiceAtLocation.objects.bulk_create(
                [ServiceAtLocation(service=service, location_id=pk) for pk in sorted(wanted - have)]
            )
        service_search_text_refresh(service)
    return service


def service_confirm(*, service: Service, today: datetime.date | None = None) -> Service:
    """The entry is right as it is: confirmed today; the link that asked for it stops working."""
    service.last_confirmed_on = today or timezone.localdate()
    service.confirmation_token_hash = ""
    service.save(update_fields=["last_confirmed_on", "confirmation_token_hash", "updated"])
    return service


def service_correct(*, service: Service, changes: dict[str, str], today: datetime.date | None = None) -> Service:
    """A contact's corrections through the confirmation link, applied at once; the entry counts as confirmed."""
    for name, value in changes.items():
        if name not in CORRECTABLE_FIELDS:
            raise DirectoryError(name)
        setattr(service, name, value)
    service.last_confirmed_on = today or timezone.localdate()
    service.confirmation_token_hash = ""
    service.save()
    service_search_text_refresh(service)
    return service


def service_delete(*, service: Service) -> None:
    service.delete()


def location_save(*, location: Location) -> Location:
    location.save()
    for sal in ServiceAtLocation.objects.filter(location=location).select_related("service__agency"):
        service_search_text_refresh(sal.service)
    return location


def new_link_secret() -> str:
    return secrets.token_urlsafe(24)


# --- meeting requests ------------------------------------------------------------------------------------------


def meeting_request_create(
    *,
    association: Association,
    service: Service,
    contact_route: ContactRoute,
    description: str,
    requesting_agency: Agency | None,
    user: Any,
    answer_base_url: str,
) -> MeetingRequest:
    """Record the request and queue its mail to the contact route (the task makes the answer link)."""
    from .directory_tasks import meeting_request_mail_send

    if contact_route.service_id != service.pk:
        raise DirectoryError("contact route")
    meeting_request = MeetingRequest.objects.create(
        association=association,
        service=service,
        contact_route=contact_route,
        description=description,
        requesting_agency=requesting_agency,
        requested_by=user,
    )
    _enqueue(lambda: meeting_request_mail_send.enqueue(meeting_request.pk, answer_base_url))
    return meeting_request


def meeting_request_link(meeting_request: MeetingRequest) -> str:
    """A new answer secret for the request (the mail carries it; only its keyed hash is kept)."""
    token = new_link_secret()
    meeting_request.answer_token_hash = keyed_hash(selectors.MEETING_ANSWER_PURPOSE, token)
    meeting_request.save(update_fields=["answer_token_hash"])
    return token


def meeting_request_answer(
    *, meeting_request: MeetingRequest, accept: bool, text: str, log_url: str = ""
) -> MeetingRequest:
    """The contact's answer: accepted or declined, with a text; the one who asked is told by mail (when
    `log_url`, the address of their log, is given). The link keeps working to change the answer."""
    from .directory_tasks import meeting_answer_mail_send

    meeting_request.status = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
    meeting_request.answer = text
    meeting_request.answered_on = timezone.localdate()
    meeting_request.save(update_fields=["status", "answer", "answered_on"])
    if log_url:
        meeting_request_id = meeting_request.pk
        _enqueue(lambda: meeting_answer_mail_send.enqueue(meeting_request_id, log_url))
    return meeting_request


# --- confirmations ---------------------------------------------------------------------------------------------


def confirmation_link(service: Service, today: datetime.date | None = None) -> str:
    """A new confirmation secret for the service; the previous link stops working."""
    token = new_link_secret()
    service.confirmation_token_hash = keyed_hash(selectors.CONFIRMATION_PURPOSE, token)
    service.confirmation_sent_on = today or timezone.localdate()
    Service.objects.filter(pk=service.pk).update(
        confirmation_token_hash=service.confirmation_token_hash, confirmation_sent_on=service.confirmation_sent_on
    )
    return token


def confirmations_request(
    *, association: Association, confirm_base_url: str, today: datetime.date | None = None
) -> int:
    """Queue a confirmation mail for each stale entry not asked today; returns how many entries were asked."""
    from .directory_tasks import confirmation_mail_send

    today = today or timezone.localdate()
    asked = [
        s
        for s in selectors.stale_services(association=association, today=today)
        if s.confirmation_sent_on != today and (s.email or any(r.email for r in s.contact_routes.all()))
    ]
    for service in asked:
        service_id = service.pk
        _enqueue(lambda service_id=service_id: confirmation_mail_send.enqueue(service_id, confirm_base_url))
    return len(asked)
