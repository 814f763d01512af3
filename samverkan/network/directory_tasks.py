"""The directory's mail, on Django's tasks framework like Mät's invitations (measure/tasks.py).

A task's stored arguments are an id and the page's address without any secret. The task makes the link's
secret when it builds the mail and stores only its keyed hash; the secret goes after "#" in the mailed
address (never sent by a browser, so never in a log) and is printed as a code for typing in.
A failed send keeps only the kind of failure (e.g. "ConnectionRefusedError"), never the server's text.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scope, scopes_disabled
from django_tasks import task

from . import directory_services as services
from .models import MeetingRequest, Service


def _mail(subject: str, body: str, recipients: list[str]) -> str:
    """Send one message; "" when it went, else the kind of failure."""
    try:
        EmailMessage(subject, body, to=recipients).send()
    except Exception as error:  # any SMTP or socket failure is recorded, not raised into the worker's log
        return type(error).__name__[:200]
    return ""


@task()
def meeting_request_mail_send(meeting_request_id: int, answer_base_url: str) -> dict[str, int]:
    """Mail a meeting request to its contact route (or the service's address) with its answer link."""
    with scopes_disabled():
        association_id = (
            MeetingRequest.objects.filter(pk=meeting_request_id).values_list("association_id", flat=True).first()
        )
    if association_id is None:
        return {"sent": 0}
    with scope(association=association_id), override("sv"):
        meeting_request = MeetingRequest.objects.select_related(
            "service__agency", "contact_route", "requesting_agency", "association"
        ).get(pk=meeting_request_id)
        route = meeting_request.contact_route
        recipient = (route.email if route else "") or meeting_request.service.email
        if not recipient:
            meeting_request.mail_status, meeting_request.mail_error = "failed", "NoAddress"
            meeting_request.save(update_fields=["mail_status", "mail_error"])
            return {"sent": 0}
        token = services.meeting_request_link(meeting_request)
        subject, body = meeting_request_message(meeting_request, f"{answer_base_url}#{token}", token)
        error = _mail(subject, body, [recipient])
        meeting_request.mail_status = "failed" if error else "sent"
        meeting_request.mail_error = error
        meeting_request.save(update_fields=["mail_status", "mail_error"])
        return {"sent": 0 if error else 1}


def meeting_request_message(meeting_request: MeetingRequest, url: str, code: str) -> tuple[str, str]:
    service = meeting_request.service
    subject = _("Begäran om samverkansmöte: %(service)s") % {"service": service.name}
    values = {
        "association": meeting_request.association.name,
        "service": service.name,
        "agency": meeting_request.requesting_agency.name
        if meeting_request.requesting_agency
        else _("en medlemsmyndighet"),
        "description": meeting_request.description,
        "url": url,
        "code": code,
    }
    body = (
        _(
            "Hej!\n\nVia %(association)s katalog ”Vem ringer jag?” vill en handläggare på %(agency)s träffa "
            "%(service)s för ett samverkansmöte om ett ärende.\n\n"
            "Ärendet, utan namn eller personuppgifter:\n%(description)s\n\n"
            "Svara ja eller nej här (ingen inloggning behövs):\n%(url)s\n\n"
            "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n"
        )
        % values
    )
    return subject, body


@task()
def meeting_answer_mail_send(meeting_request_id: int, log_url: str) -> dict[str, int]:
    """Tell the person who asked for the meeting that the contact has answered, and what."""
    with scopes_disabled():
        association_id = (
            MeetingRequest.objects.filter(pk=meeting_request_id).values_list("association_id", flat=True).first()
        )
    if association_id is None:
        return {"sent": 0}
    with scope(association=association_id), override("sv"):
        meeting_request = MeetingRequest.objects.select_related("service__agency", "requested_by").get(
            pk=meeting_request_id
        )
        user = meeting_request.requested_by
        if user is None or not user.email:
            return {"sent": 0}
        subject = _("Svar om samverkansmöte: %(service)s") % {"service": meeting_request.service.name}
        body = _(
            "Hej!\n\n%(service)s (%(agency)s) har svarat på din begäran om samverkansmöte från %(date)s.\n\n"
            "Svar: %(status)s\n%(answer)s\n\nAlla dina förfrågningar och svar: %(url)s\n"
        ) % {
            "service": meeting_request.service.name,
            "agency": meeting_request.service.agency.name,
            "date": meeting_request.requested_on.isoformat(),
            "status": meeting_request.get_status_display(),
            "answer": meeting_request.answer,
            "url": log_url,
        }
        return {"sent": 0 if _mail(subject, body, [user.email]) else 1}


@task()
def confirmation_mail_send(service_id: int, confirm_base_url: str) -> dict[str, int]:
    """Ask the service's contact routes (and its own address) to confirm or correct its entry."""
    with scopes_disabled():
        association_id = Service.objects.filter(pk=service_id).values_list("association_id", flat=True).first()
    if association_id is None:
        return {"sent": 0}
    with scope(association=association_id), override("sv"):
        service = Service.objects.select_related("agency", "association").get(pk=service_id)
        recipients = sorted(
            {r.email.lower() for r in service.contact_routes.all() if r.email} | ({service.email.lower()} - {""})
        )
        if not recipients:
            return {"sent": 0}
        token = services.confirmation_link(service)
        subject, body = confirmation_message(service, f"{confirm_base_url}#{token}", token)
        sent = 0
        for recipient in recipients:
            sent += 0 if _mail(subject, body, [recipient]) else 1
        return {"sent": sent}


def confirmation_message(service: Service, url: str, code: str) -> tuple[str, str]:
    subject = _("Stämmer uppgifterna om %(service)s?") % {"service": service.name}
    confirmed = service.last_confirmed_on.isoformat() if service.last_confirmed_on else _("aldrig")
    values = {
        "association": service.association.name,
        "service": service.name,
        "agency": service.agency.name,
        "confirmed": confirmed,
        "url": url,
        "code": code,
    }
    body = (
        _(
            "Hej!\n\n%(service)s (%(agency)s) står i %(association)s katalog ”Vem ringer jag?”, där kollegor "
            "på andra myndigheter hittar vart de kan ringa. Uppgifterna bekräftades senast: %(confirmed)s.\n\n"
            "Stämmer de fortfarande? Bekräfta eller rätta dem här (ingen inloggning behövs):\n%(url)s\n\n"
            "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n"
        )
        % values
    )
    return subject, body
