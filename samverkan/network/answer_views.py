"""Answering a network round: the representative's personal link, no account, phone-friendly.

The start page says plainly, before anything is asked, that the answers are about organisations and are
shown per agency to the association (PRODUCT.md: "anonymous or confidential, said plainly"). The
personal link names the agency it answers for; it works once (Measure's invitation receipt).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_scopes import scope, scopes_disabled

from samverkan.measure import anonymity
from samverkan.measure.invitations import invitation_answered
from samverkan.measure.models import Invitation

from . import selectors, services
from .answer_form import blocks
from .models import NetworkInvitation


def _message(request: HttpRequest, title: str, text: str, *, status: int = 200) -> HttpResponse:
    return render(request, "measure/answer_message.html", {"title": title, "text": text}, status=status)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Länken finns inte"),
        _("Kontrollera att du har skrivit av länken rätt, eller använd länken i det senaste e-postmeddelandet."),
        status=404,
    )


def _used(request: HttpRequest, agency: Any) -> HttpResponse:
    return _message(
        request,
        _("Länken är redan använd"),
        _(
            "Svaret för %(agency)s är redan inskickat, och länken kan bara användas en gång. "
            "Kontakta förbundet om svaret behöver ändras."
        )
        % {"agency": agency.name},
        status=410,
    )


def _target(token: str) -> NetworkInvitation | None:
    if not token or len(token) > 64:
        return None
    # The personal link is what tells us the association: found by its keyed hash across tenants.
    with scopes_disabled():
        invitation = Invitation.objects.filter(lookup=anonymity.invitation_lookup(token)).first()
        if invitation is None:
            return None
        return (
            NetworkInvitation.objects.select_related("agency", "round__campaign", "round__association")
            .filter(invitation=invitation)
            .first()
        )


def _closed_or_waiting(request: HttpRequest, entry: NetworkInvitation) -> HttpResponse | None:
    campaign = entry.round.campaign
    if campaign.status == "scheduled":
        return _message(
            request,
            _("Omgången har inte öppnat än"),
            _("Omgången öppnar %(date)s. Välkommen tillbaka då!") % {"date": campaign.opens_on.isoformat()},
        )
    if campaign.status == "closed":
        return _message(
            request,
            _("Omgången är stängd"),
            _("Den här omgången tar inte längre emot svar. Tack för ditt intresse!"),
            status=410,
        )
    return None


@never_cache
def answer_start(request: HttpRequest, token: str) -> HttpResponse:
    """Before anything is asked: for which agency, about whom, and that the answers are not anonymous."""
    entry = _target(token)
    if entry is None:
        return _not_found(request)
    with scope(association=entry.round.association_id):
        refused = _closed_or_waiting(request, entry)
        if refused is not None:
            return refused
        if invitation_answered(token=token):
            return _used(request, entry.agency)
        return render(
            request,
            "network/answer_start.html",
            {
                "entry": entry,
                "campaign": entry.round.campaign,
                "targets": selectors.target_agencies(entry.round, entry.agency),
                "form_url": reverse("network:answer_form", args=[token]),
            },
        )


@never_cache
def answer_form(request: HttpRequest, token: str) -> HttpResponse:
    entry = _target(token)
    if entry is None:
        return _not_found(request)
    with scope(association=entry.round.association_id):
        return _answer_form(request, token, entry)


def _answer_form(request: HttpRequest, token: str, entry: NetworkInvitation) -> HttpResponse:
    refused = _closed_or_waiting(request, entry)
    if refused is not None:
        return refused
    targets = selectors.target_agencies(entry.round, entry.agency)
    if request.method != "POST":
        if invitation_answered(token=token):
            return _used(request, entry.agency)
        return _render(request, entry, targets, values={}, errors={}, submission_key=secrets.token_urlsafe(24))
    values = {key: value for key, value in request.POST.items() if key not in ("csrfmiddlewaretoken",)}
    submission_key = request.POST.get("submission_key", "")[:64] or secrets.token_urlsafe(24)
    try:
        services.network_answers_submit(
            network_round=entry.round,
            agency=entry.agency,
            raw_answers=values,
            submission_key=submission_key,
            invitation_token=token,
        )
    except services.InvalidNetworkAnswers as invalid:
        return _render(
            request, entry, targets, values=values, errors=invalid.errors, submission_key=submission_key, status=400
        )
    except services.AlreadySubmitted:
        return HttpResponseRedirect(reverse("network:answer_thanks"))
    except (services.InvitationUsed, services.AgencyAlreadyAnswered):
        return _used(request, entry.agency)
    except services.CampaignClosed:
        return _message(request, _("Omgången är stängd"), _("Den här omgången tar inte längre emot svar."), status=410)
    return HttpResponseRedirect(reverse("network:answer_thanks"))


def _render(
    request: HttpRequest,
    entry: NetworkInvitation,
    targets: Any,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    submission_key: str,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "network/answer_form.html",
        {
            "entry": entry,
            "campaign": entry.round.campaign,
            "blocks": blocks(targets, values, errors),
            "errors": errors,
            "submission_key": submission_key,
        },
        status=status,
    )


def answer_thanks(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Tack för ditt svar!"),
        _("Svaret är inskickat. Det redovisas per myndighet i förbundets samverkanskarta när omgången är klar."),
    )
