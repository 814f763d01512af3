"""Who a phone is, without knowing who holds it.

A phone gets one random token in a cookie the first time it opens a workshop page
(`participant_view`). The database never sees that token: an answer (or a vote) stores
`participant_key(request, workshop)`, a keyed hash of the workshop's id and the token
under the anonymity key (samverkan/measure/anonymity.py, kept outside the database).
So the same phone has unrelated keys in two workshops, and someone holding only the
database cannot tell whose answers are whose, nor link workshops.

API (for every part of the workshop app that needs "this phone's own rows"):

- `@participant_view` on a public view: makes sure the phone has a token (sets the
  cookie on the response when it is new);
- `participant_key(request, workshop) -> str`: this phone's key in this workshop (inside a
  `participant_view`, always a key; outside one, raises if the phone has no token);
- `has_token(request) -> bool`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from samverkan.measure.anonymity import keyed_hash, new_secret

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import Workshop

COOKIE_NAME = "sv_deltagare"
COOKIE_MAX_AGE = 60 * 60 * 24 * 2  # two days: a workshop day and the day after
_REQUEST_ATTR = "_workshop_participant_token"


def _token(request: HttpRequest) -> str | None:
    token = getattr(request, _REQUEST_ATTR, None) or request.COOKIES.get(COOKIE_NAME)
    # A token is ours only if it looks like one (new_secret: 32 url-safe characters).
    if token and 20 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token):
        return str(token)
    return None


def has_token(request: HttpRequest) -> bool:
    return _token(request) is not None


def participant_key(request: HttpRequest, workshop: Workshop) -> str:
    """This phone's participant key in this workshop (64 hex characters)."""
    token = _token(request)
    if token is None:
        raise LookupError("The phone has no participant token; wrap the view in @participant_view.")
    return keyed_hash("workshop-participant", str(workshop.pk), token)


def participant_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Gives the phone a token before the view runs; the cookie is set on the view's response when it is new."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        new = None
        if _token(request) is None:
            new = new_secret()
            setattr(request, _REQUEST_ATTR, new)
        response = view(request, *args, **kwargs)
        if new is not None:
            response.set_cookie(
                COOKIE_NAME, new, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax", secure=request.is_secure()
            )
        return response

    return wrapper
