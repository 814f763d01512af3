"""Answering a network round: the representative's personal link, no account, phone-friendly.

The start page says plainly, before anything is asked, that the answers are about organisations and are
shown per agency to the association (PRODUCT.md: "anonymous or confidential, said plainly"). The
personal link names the agency it answers for; it works once (Measure's invitation receipt).

As in Measure, the link's secret travels after "#" (`/karta/svara/#<secret>`), which browsers never send,
so no server, proxy or log line holds it: the same small script (static/js/invitation.js) posts it once,
or the representative types the code, and it is kept in a cookie for these pages only. Whoever read a log
could otherwise answer for an agency before its representative does.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
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


LINK_COOKIE = "samverkan_karta"
LINK_COOKIE_AGE = 60 * 60 * 24 * 60


def _enter_code(request: HttpRequest, *, error: str = "", code: str = "", status: int = 200) -> HttpResponse:
    return render(request, "network/answer_code.html", {"error": error, "code": code}, status=status)


def _code_posted(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", "").strip().strip("#")
    if _target(code) is None:
        return _enter_code(
            request,
            error=_(
                "Koden gäller inte. Den kan vara felskriven eller tillhöra en omgång som har tagits bort. "
                "Använd länken eller koden i det senaste e-postmeddelandet."
            ),
            code=code[:64],
            status=404,
        )
    response = HttpResponseRedirect(reverse("network:answer_start"))
    response.set_cookie(
        LINK_COOKIE,
        code,
        max_age=LINK_COOKIE_AGE,
        path=reverse("network:answer_start"),
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@never_cache
def answer_start(request: HttpRequest) -> HttpResponse:
    """Before anything is asked: for which agency, about whom, and that the answers are not anonymous."""
    if request.method == "POST" and request.POST.get("action") == "code":
        return _code_posted(request)
    token = request.COOKIES.get(LINK_COOKIE, "")
    entry = _target(token)
    if entry is None:
        return _enter_code(request)
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
                "form_url": reverse("network:answer_form"),
            },
        )


@never_cache
def answer_form(request: HttpRequest) -> HttpResponse:
    token = request.COOKIES.get(LINK_COOKIE, "")
    entry = _target(token)
    if entry is None:
        return _enter_code(request)
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
