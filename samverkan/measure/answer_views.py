"""Answering: public pages, no account, on a phone and with a screen reader.

Two ways in: an open link per respondent group, or a personal one-time
invitation. Answers are saved as you go (a draft keyed by the link and a
random device cookie — or by the invitation) and submitted exactly once.
"""

from __future__ import annotations

import functools
import secrets
from collections import OrderedDict
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django_scopes import scope

from . import anonymity, selectors, services
from .answers import agency_id_from_form
from .models import Campaign, InstrumentKind, ItemKind, Level

DEVICE_COOKIE = "samverkan_enhet"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 60


def _scale_labels(campaign: Campaign) -> tuple[str, str, str]:
    if campaign.instrument.kind == InstrumentKind.PARTICIPANT:
        return _("Stämmer inte alls"), _("Stämmer helt"), _("Vet ej")
    return _("Instämmer inte alls"), _("Instämmer helt"), _("Vet ej / ej aktuellt")


def _blocks(campaign: Campaign, values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    """The questionnaire as sections of question blocks, with what was typed and any error."""
    sections: list[dict[str, Any]] = []
    rings: dict[str, dict[str, Any]] = {}

    def section(title: str) -> dict[str, Any]:
        if not sections or sections[-1]["title"] != title:
            sections.append({"title": title, "blocks": []})
        return sections[-1]

    for item in selectors.instrument_items(campaign.instrument):
        entry = {
            "code": item.code,
            "text": item.text,
            "kind": item.kind,
            "value": str(values.get(item.code, "") or ""),
            "error": errors.get(item.code),
            "options": [{"value": str(i), "label": label} for i, label in enumerate(item.options, start=1)]
            if item.kind == ItemKind.CHOICE
            else [],
        }
        if item.kind == ItemKind.RING:
            block = rings.get(item.level)
            if block is None:
                block = {
                    "kind": "ring",
                    "level": Level(item.level).label,
                    "descriptions": item.options,
                    "questions": [],
                }
                rings[item.level] = block
                section(item.section)["blocks"].append(block)
            entry["prompt"] = _("Var borde vi vara om två år?") if item.is_target else _("Var är vi i dag?")
            block["questions"].append(entry)
        else:
            section(item.section)["blocks"].append({"kind": item.kind, "questions": [entry]})
    return sections


# The empty questionnaire is the same for every respondent of a frozen instrument (in one language),
# so its HTML is rendered once per process; drafts and errors are rendered afresh.
_EMPTY_QUESTIONS: dict[tuple[int, str], SafeString] = {}


def _questions_html(campaign: Campaign, values: dict[str, Any], errors: dict[str, str]) -> SafeString:
    low, high, _dont_know = _scale_labels(campaign)
    instrument = campaign.instrument
    answered = any(values.get(code) for code in (item.code for item in selectors.instrument_items(instrument)))
    cacheable = not answered and not errors and instrument.frozen
    key = (instrument.pk, get_language() or "")
    if cacheable and key in _EMPTY_QUESTIONS:
        return _EMPTY_QUESTIONS[key]
    html = mark_safe(  # noqa: S308 — rendered by the template engine, which escapes
        render_to_string(
            "measure/_questions.html",
            {"sections": _blocks(campaign, values, errors), "scale_low": low, "scale_high": high},
        )
    )
    if cacheable:
        _EMPTY_QUESTIONS[key] = html
    return html


def _render_form(
    request: HttpRequest,
    campaign: Campaign,
    *,
    group: str,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    submission_key: str,
    saved: bool = False,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    agencies = (
        selectors.agency_choices(campaign.association_id) if campaign.instrument.kind == InstrumentKind.STAFF else []
    )
    page_key = _empty_page_key(request, campaign, agencies) if not (values or errors or saved or notice) else None
    page = _EMPTY_PAGES.get(page_key) if page_key is not None else None
    if page is None:
        context = {
            "campaign": campaign,
            "questions": _questions_html(campaign, values, errors or {}),
            "errors": errors or {},
            "submission_key": submission_key,
            "agencies": agencies,
            "organisation": str(values.get("organisation", "")),
            "saved": saved,
            "notice": notice,
            "group": group,
        }
        if page_key is None:
            return render(request, "measure/answer_form.html", context, status=status)
        page = render_to_string(
            "measure/answer_form.html",
            {**context, "csrf_token": _CSRF_MARK, "submission_key": _KEY_MARK},
            request=request,
        )
        _EMPTY_PAGES[page_key] = page
        while len(_EMPTY_PAGES) > _EMPTY_PAGES_MAX:
            _EMPTY_PAGES.popitem(last=False)
    return HttpResponse(page.replace(_CSRF_MARK, get_token(request)).replace(_KEY_MARK, submission_key), status=status)


# The whole empty answer page is the same for every first-time respondent on a link, apart from
# the CSRF token and the one-time key: it is rendered once per process (keyed by everything on it
# that can change) with markers that are swapped per request. Only for visitors with no session
# and no messages, so nothing personal is ever kept or shown to someone else.
_EMPTY_PAGES: OrderedDict[tuple[Any, ...], str] = OrderedDict()
_EMPTY_PAGES_MAX = 256
_CSRF_MARK = "csrf-mark-1b7e4c90"
_KEY_MARK = "key-mark-1b7e4c90"


def _empty_page_key(
    request: HttpRequest, campaign: Campaign, agencies: list[selectors.AgencyChoice]
) -> tuple[Any, ...] | None:
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or request.COOKIES.get(CookieStorage.cookie_name):
        return None
    if request.resolver_match is None or request.resolver_match.url_name != "answer_link":
        return None  # a personal link is opened by one person: nothing to share
    instrument = campaign.instrument
    if not instrument.frozen:
        return None
    return (
        request.get_full_path(),
        get_language(),
        campaign.pk,
        campaign.name,
        campaign.association.name,
        instrument.pk,
        instrument.name,
        instrument.intro,
        tuple(agencies),
    )


def _message(request: HttpRequest, title: str, text: str, *, status: int = 200) -> HttpResponse:
    return render(request, "measure/answer_message.html", {"title": title, "text": text}, status=status)


def _closed(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Enkäten är stängd"),
        _("Den här enkäten tar inte längre emot svar. Tack för ditt intresse!"),
        status=410,
    )


def _already_sent(request: HttpRequest, *, restart: bool) -> HttpResponse:
    """This device (or personal link) has sent its answers: say so, and let the next person start afresh."""
    return render(request, "measure/answer_sent.html", {"restart": restart})


def _answer(
    request: HttpRequest, campaign: Campaign, *, group: str, draft_key: str, invitation_token: str | None
) -> HttpResponse:
    if campaign.instrument.kind == InstrumentKind.NETWORK:
        # A network round's links and invitations are answered on the collaboration map's own pages, which
        # say first that the answers are shown per agency; this anonymous form must never take them.
        return _message(
            request, _("Länken finns inte"), _("Kontrollera att du har skrivit av länken rätt."), status=404
        )
    if campaign.status == "scheduled":
        return _message(
            request,
            _("Enkäten har inte öppnat än"),
            _("Enkäten öppnar %(date)s. Välkommen tillbaka då!") % {"date": campaign.opens_on.isoformat()},
        )
    if campaign.status == "closed":
        return _closed(request)
    if request.method != "POST":
        # A first visit (no device cookie yet) can have no draft: no query for one.
        draft = services.draft_load(draft_key=draft_key) if draft_key else services.DraftState({}, False)
        if draft.submitted:
            return _already_sent(request, restart=invitation_token is None)
        key = draft.data.get("submission_key") or secrets.token_urlsafe(24)
        return _render_form(request, campaign, group=group, values=draft.data, submission_key=key)

    raw = {item.code: request.POST.get(item.code, "") for item in selectors.instrument_items(campaign.instrument)}
    organisation = request.POST.get("organisation", "")
    submission_key = request.POST.get("submission_key") or secrets.token_urlsafe(24)
    action = request.POST.get("action", "submit")

    def form_again(**kwargs: Any) -> HttpResponse:
        """The form once more, with everything that was typed."""
        values = {**raw, "organisation": organisation}
        return _render_form(request, campaign, group=group, values=values, submission_key=submission_key, **kwargs)

    if action in ("save", "autosave"):
        if not draft_key:
            # No device cookie (cookies off): nothing could find the draft again, so none is kept.
            message = _(
                "Utkastet kunde inte sparas eftersom webbläsaren inte tar emot kakor. Skicka in när du är klar."
            )
            if action == "autosave":
                return HttpResponse(message)
            return form_again(notice=message)
        try:
            kept = services.draft_save(
                campaign=campaign,
                draft_key=draft_key,
                data={**raw, "organisation": organisation, "submission_key": submission_key},
            )
        except services.DraftTooLarge as error:
            if action == "autosave":
                return HttpResponse(str(error), status=413)
            return form_again(notice=str(error), status=413)
        if not kept:
            # This form was already sent (a late autosave, or "save" after submitting): say so, keep nothing.
            if action == "autosave":
                return HttpResponse(_("Ditt svar är redan inskickat. Tack!"))
            return _thanks_redirect()
        if action == "autosave":
            return HttpResponse(_("Dina svar är sparade som utkast."))
        return form_again(saved=True)
    if action == "restart":
        if draft_key:
            services.draft_discard(draft_key=draft_key)
        return HttpResponseRedirect(request.path)
    try:
        services.response_submit(
            campaign=campaign,
            respondent_group=group,
            raw_answers=raw,
            submission_key=submission_key,
            agency_id=agency_id_from_form(organisation),
            invitation_token=invitation_token,
            draft_key=draft_key or None,
        )
    except services.InvalidAnswers as invalid:
        return form_again(errors=invalid.errors, status=400)
    except services.EmptySubmission as empty:
        return form_again(notice=str(empty), status=400)
    except services.AlreadySubmitted:
        return _thanks_redirect()
    except services.InvitationUsed:
        return _used(request)
    except services.CampaignClosed:
        return _closed(request)
    return _thanks_redirect()


@functools.cache
def _thanks_url() -> str:
    return reverse("measure:thanks")


def _thanks_redirect() -> HttpResponse:
    return HttpResponseRedirect(_thanks_url())


def _used(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Länken är redan använd"),
        _(
            "Den här personliga länken har redan använts för att skicka in ett svar, "
            "och varje länk kan bara användas en gång. Tack för ditt svar!"
        ),
        status=410,
    )


def _device_cookie(response: HttpResponse, value: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@never_cache
def answer_link(request: HttpRequest, token: str) -> HttpResponse:
    target = selectors.link_target(token)
    if target is None:
        return _message(
            request, _("Länken finns inte"), _("Kontrollera att du har skrivit av länken rätt."), status=404
        )
    group, campaign = target
    # The link's lookup (raw SQL) is what tells us the association; the rest runs in its scope.
    with scope(association=campaign.association_id):
        return _answer_link(request, token, group, campaign)


def _answer_link(request: HttpRequest, token: str, group: str, campaign: Campaign) -> HttpResponse:
    known_device = request.COOKIES.get(DEVICE_COOKIE)
    if request.method == "POST" and request.POST.get("action") == "restart":
        # "Svara som en ny person" on a shared device: forget its unsent draft and give it a new identity.
        if known_device:
            services.draft_discard(draft_key=f"link:{token}:{known_device}")
        response = HttpResponseRedirect(request.path)
        _device_cookie(response, secrets.token_urlsafe(18))
        return response
    device = known_device or secrets.token_urlsafe(18)
    response = _answer(
        request,
        campaign,
        group=group,
        draft_key=f"link:{token}:{device}" if known_device else "",
        invitation_token=None,
    )
    if known_device and request.method == "POST":
        return response  # the cookie is there; it is renewed whenever the form is opened
    _device_cookie(response, device)
    return response


def _invitation_cookie_path() -> str:
    return reverse("measure:answer_invitation")


def _enter_code(request: HttpRequest, *, error: str = "", code: str = "", status: int = 200) -> HttpResponse:
    return render(request, "measure/answer_code.html", {"error": error, "code": code}, status=status)


@never_cache
def answer_invitation(request: HttpRequest) -> HttpResponse:
    """A personal link. Its secret travels after "#" in the e-mailed address (a browser never sends that
    part, so no server, proxy or log sees it); a small script posts it here once, or the invitee types
    the code, and it is kept in a cookie for this path only. No address, path or log line ever holds it."""
    if request.method == "POST" and request.POST.get("action") == "code":
        code = request.POST.get("code", "").strip().strip("#")
        if not code or len(code) > 64 or selectors.invitation_target(anonymity.invitation_lookup(code)) is None:
            return _enter_code(
                request,
                error=_(
                    "Koden gäller inte. Den kan vara felskriven eller tillhöra en enkät som har stängt. "
                    "Använd länken eller koden i det senaste e-postmeddelandet."
                ),
                code=code[:64],
                status=404,
            )
        response = HttpResponseRedirect(request.path)
        response.set_cookie(
            INVITATION_COOKIE,
            code,
            max_age=DEVICE_COOKIE_AGE,
            path=_invitation_cookie_path(),
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
    token = request.COOKIES.get(INVITATION_COOKIE, "")
    target = selectors.invitation_target(anonymity.invitation_lookup(token)) if token and len(token) <= 64 else None
    if target is None:
        return _enter_code(request)
    group, campaign = target
    # The personal link's lookup (raw SQL) is what tells us the association; the rest runs in its scope.
    with scope(association=campaign.association_id):
        if request.method != "POST" and services.invitation_answered(token=token):
            return _used(request)
        return _answer(request, campaign, group=group, draft_key=f"invitation:{token}", invitation_token=token)


INVITATION_COOKIE = "samverkan_inbjudan"


def thanks(request: HttpRequest) -> HttpResponse:
    return _message(
        request,
        _("Tack för ditt svar!"),
        _("Ditt svar är inskickat. Det sparas anonymt och redovisas bara tillsammans med andras svar."),
    )
