"""The second factor's pages under /konto/tvastegsverifiering/: enrolment, recovery codes, removal, login step."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import codes, otp
from .forms import SecondFactorCodeForm
from .second_factor import is_verified, safe_next


def _next(request: HttpRequest) -> str:
    """The page to go on to afterwards: a path on this site only."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?next={quote(next_url)}"


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a secret or recovery codes: never cached, by the browser or on the way."""
    add_never_cache_headers(response)
    return response


def _wait_text(wait_until: datetime | None) -> str:
    if wait_until is None:
        return ""
    seconds = max(1, math.ceil((wait_until - timezone.now()).total_seconds()))
    if seconds <= 120:
        return ngettext("Du kan försöka igen om %(n)s sekund.", "Du kan försöka igen om %(n)s sekunder.", seconds) % {
            "n": seconds
        }
    local = timezone.localtime(wait_until)
    return _("Du kan försöka igen %(when)s.") % {"when": formats.date_format(local, "j F \\k\\l. H:i")}


def _refusal(check: otp.Check) -> str:
    if check.outcome is otp.Outcome.MALFORMED:
        return _("Koden är sex siffror från appen, eller en reservkod med tolv tecken (till exempel 7KQ2-M9XD-4HTR).")
    if check.outcome is otp.Outcome.THROTTLED:
        return " ".join((_("För många felaktiga koder i rad, så koden prövades inte."), _wait_text(check.wait_until)))
    text = _("Koden stämmer inte. Skriv koden som visas i appen just nu (den byts var 30:e sekund).")
    wait = _wait_text(check.wait_until)
    return f"{text} {wait}" if wait else text


def _codes_page(request: HttpRequest, plain_codes: list[str], *, fresh_enrolment: bool) -> HttpResponse:
    text = "\n".join(
        [
            _("Reservkoder för Samverkan (%(email)s)") % {"email": request.user.get_username()},
            _("Varje kod fungerar en gång."),
            "",
            *plain_codes,
            "",
        ]
    )
    response = render(
        request,
        "accounts/second_factor/recovery_codes.html",
        {
            "codes": plain_codes,
            "download_href": "data:text/plain;charset=utf-8," + quote(text),
            "next": _next(request),
            "fresh_enrolment": fresh_enrolment,
        },
    )
    return _private(response)


def _code_forms(request: HttpRequest, **bound: SecondFactorCodeForm) -> dict[str, SecondFactorCodeForm]:
    return {
        "regenerate_form": bound.get("regenerate_form") or SecondFactorCodeForm(prefix="regenerate"),
        "remove_form": bound.get("remove_form") or SecondFactorCodeForm(prefix="remove"),
    }


def _overview(request: HttpRequest, status: int = 200, **bound: SecondFactorCodeForm) -> HttpResponse:
    device = otp.confirmed_totp(request.user)
    context: dict[str, Any] = {"device": device, "next": _next(request), "next_given": "next" in request.GET}
    if device is not None:
        context["codes_left"] = otp.recovery_codes_left(request.user)
        context.update(_code_forms(request, **bound))
    return render(request, "accounts/second_factor/overview.html", context, status=status)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Tvåstegsverifiering: on or off; start, new recovery codes, removal."""
    if request.method == "POST":
        if otp.has_second_factor(request.user):
            return redirect("accounts:second_factor")
        otp.enrolment_start(request.user)
        return HttpResponseRedirect(_with_next(reverse("accounts:second_factor_activate"), _next(request)))
    return _overview(request)


@login_required
def activate(request: HttpRequest) -> HttpResponse:
    """The QR code and the secret of a pending app, and its first code to confirm it."""
    if otp.has_second_factor(request.user):
        return redirect("accounts:second_factor")
    device = otp.pending_totp(request.user)
    if device is None:
        return HttpResponseRedirect(_with_next(reverse("accounts:second_factor"), _next(request)))
    form = SecondFactorCodeForm(request.POST or None, recovery_allowed=False)
    if request.method == "POST" and form.is_valid():
        check, plain = otp.enrolment_confirm(request.user, device, form.cleaned_data["code"])
        if check.outcome is otp.Outcome.OK:
            otp.mark_verified(request, check.device)
            return _codes_page(request, plain, fresh_enrolment=True)
        form.add_error("code", _refusal(check))
    secret = otp.secret_of(device)
    qr = segno.make(otp.config_url(device), error="m").svg_inline(
        scale=5, border=2, title=_("QR-kod för autentiseringsappen"), svgclass="qr-code"
    )
    response = render(
        request,
        "accounts/second_factor/activate.html",
        {
            "form": form,
            # segno writes the SVG from the otpauth address alone: no user input reaches the markup.
            "qr_svg": mark_safe(qr),  # noqa: S308
            "secret_groups": codes.group_secret(secret),
            "next": _next(request),
        },
        status=400 if form.errors else 200,
    )
    return _private(response)


@login_required
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes for a current code; the old ones stop working."""
    if not otp.has_second_factor(request.user):
        return redirect("accounts:second_factor")
    form = SecondFactorCodeForm(request.POST, prefix="regenerate")
    if form.is_valid():
        check = otp.code_check(request.user, form.cleaned_data["code"])
        if check.outcome is otp.Outcome.OK:
            return _codes_page(request, otp.recovery_codes_replace(request.user), fresh_enrolment=False)
        form.add_error("code", _refusal(check))
    return _overview(request, status=400, regenerate_form=form)


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Remove the app and the recovery codes, for a current code."""
    if not otp.has_second_factor(request.user):
        return redirect("accounts:second_factor")
    form = SecondFactorCodeForm(request.POST, prefix="remove")
    if form.is_valid():
        check = otp.code_check(request.user, form.cleaned_data["code"])
        if check.outcome is otp.Outcome.OK:
            otp.second_factor_remove(request.user)
            messages.success(
                request,
                _(
                    "Tvåstegsverifieringen är borttagen. Sidor som kräver den kan du inte öppna förrän du "
                    "aktiverar den igen."
                ),
            )
            return redirect("accounts:second_factor")
        form.add_error("code", _refusal(check))
    return _overview(request, status=400, remove_form=form)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The login step: a code from the app or a recovery code, then on to `next`."""
    next_url = _next(request)
    if is_verified(request) or not otp.has_second_factor(request.user):
        return HttpResponseRedirect(next_url)
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = otp.code_check(request.user, form.cleaned_data["code"])
        if check.outcome is otp.Outcome.OK:
            otp.mark_verified(request, check.device)
            if check.used_recovery_code:
                left = otp.recovery_codes_left(request.user)
                text = ngettext(
                    "Du loggade in med en reservkod. Du har %(n)s reservkod kvar.",
                    "Du loggade in med en reservkod. Du har %(n)s reservkoder kvar.",
                    left,
                ) % {"n": left}
                if left <= 3:
                    text += " " + _("Skapa nya reservkoder under Tvåstegsverifiering.")
                messages.warning(request, text)
            return HttpResponseRedirect(next_url)
        form.add_error("code", _refusal(check))
    return render(
        request,
        "accounts/second_factor/verify.html",
        # No association switcher yet: nothing of the account shows before the second factor.
        {"form": form, "next": next_url, "my_associations": ()},
        status=400 if form.errors else 200,
    )
