"""The second factor's policy: who must pass it, and where.

Two rules:

1. **Whoever has a second factor passes it.** After the password, a user with a confirmed authenticator app
   gets the code page before any other page (`SecondFactorMiddleware`); until then only the code page,
   logging out and the language switch answer.
2. **A capability can demand one.** A capability registers a requirement, a callable
   ``(user, association) -> bool`` ("this user needs a second factor in this association"), usually from
   its AppConfig.ready()::

       from samverkan.accounts.second_factor import register_requirement, require_second_factor

       register_requirement(lambda user, association: has_participant_role(user, association))

       @association_view(role=Role.MEMBER)
       @require_second_factor
       def participant_list(request, association): ...

   A view under `require_second_factor` (placed *below* `association_view`, so it gets the association)
   sends a user for whom any requirement holds and whose session is not verified to the code page, or to
   enrolment when they have no app yet, and back to the page afterwards. For code outside a view (an
   export, a partial), `second_factor_redirect(request, association)` gives that redirect or None, and
   `second_factor_required(user, association)` the bare answer.

The core imports no capability: capabilities call in here, never the other way round.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .otp import has_second_factor

Requirement = Callable[[Any, Any], bool]

_REQUIREMENTS: list[Requirement] = []


def register_requirement(requirement: Requirement) -> Requirement:
    """Declare "this user needs a second factor in this association"; registering twice counts once.

    Returns the callable, so it can decorate a function.
    """
    if requirement not in _REQUIREMENTS:
        _REQUIREMENTS.append(requirement)
    return requirement


def unregister_requirement(requirement: Requirement) -> None:
    """For tests that register a requirement of their own."""
    if requirement in _REQUIREMENTS:
        _REQUIREMENTS.remove(requirement)


def requirements() -> tuple[Requirement, ...]:
    return tuple(_REQUIREMENTS)


def second_factor_required(user: Any, association: Any) -> bool:
    """Whether any registered requirement asks this user for a second factor in this association."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(requirement(user, association) for requirement in _REQUIREMENTS)


def is_verified(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and getattr(user, "is_verified", lambda: False)())


def safe_next(request: HttpRequest, candidate: str | None, default: str = "tenancy:home") -> str:
    """`candidate` if it is a path on this site, else `default`: a `next` never leads off-site."""
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False)
    ):
        return candidate
    return resolve_url(default)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def verification_url(next_url: str) -> str:
    return _with_next("accounts:second_factor_verify", next_url)


def enrolment_url(next_url: str) -> str:
    return _with_next("accounts:second_factor", next_url)


def second_factor_redirect(request: HttpRequest, association: Any) -> HttpResponse | None:
    """Where to send this request before a page that needs a second factor here; None when it may pass."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_verified(request) or not second_factor_required(user, association):
        return None
    here = request.get_full_path()
    if has_second_factor(user):
        return HttpResponseRedirect(verification_url(here))
    return HttpResponseRedirect(enrolment_url(here))


def require_second_factor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For an association's view (below `association_view`): pass only verified sessions when a registered
    requirement holds for the user in this association. The association is the view's second argument
    (as association_view passes it) or `request.association`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        association = args[0] if args else getattr(request, "association", None)
        if association is None or isinstance(association, str):
            # Above association_view the view gets the slug, not the association: a requirement could not
            # tell whose association it is, so fail loudly rather than guess.
            raise TypeError("require_second_factor goes below @association_view, which passes the association")
        redirect = second_factor_redirect(request, association)
        if redirect is not None:
            return redirect
        return view(request, *args, **kwargs)

    wrapper.requires_second_factor = True  # type: ignore[attr-defined]
    return wrapper


# Pages an unverified session with a second factor may still reach (by URL name).
OPEN_BEFORE_VERIFICATION = frozenset(
    {
        "accounts:second_factor_verify",
        "accounts:logout",
        "set_language",
        "healthz",
        "favicon",
    }
)


class SecondFactorMiddleware:
    """Rule 1: a logged-in user with a confirmed app sees nothing but the code page until the session passes.

    After OTPMiddleware (which sets `request.user.is_verified`). Costs one indexed query per request of an
    unverified logged-in session; a verified session costs nothing more than django-otp's own device load.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(request):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_BEFORE_VERIFICATION:
            return None
        if not has_second_factor(user):
            return None
        return HttpResponseRedirect(verification_url(request.get_full_path()))
