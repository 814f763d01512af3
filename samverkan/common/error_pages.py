"""Error pages: Swedish, in the site's look, and never dependent on the database.

Django's own handlers render 404/403/400 with the request's context processors, and
ours read the user's associations, so a 404 during a database outage would itself
fail. These render the templates (samverkan/templates/<status>.html, extending
error_base.html) with a plain context instead.

A database outage becomes the 503 page with Retry-After: every uncaught exception,
raised in a view or in a middleware (the session, the lockout), reaches Django's
500 handler while it is still being handled, so `server_error` looks at it there.
A middleware's process_exception would only see the views' exceptions.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Seconds a client (or a proxy) is asked to wait before retrying during an outage.
RETRY_AFTER_SECONDS = 30
DATABASE_OUTAGE = (OperationalError, InterfaceError)


def _static(path: str) -> str:
    # The hashed name from the manifest when there is one; the plain name (which WhiteNoise serves
    # too) when collectstatic has not run, so that an error page itself can never fail.
    try:
        return static(path)
    except ValueError:
        return f"{settings.STATIC_URL}{path}"


def _api_detail(status: int) -> str:
    # The same words as the pages' headings (samverkan/templates/<status>.html).
    return {
        400: _("Felaktig begäran"),
        403: _("Du har inte behörighet"),
        404: _("Sidan finns inte"),
        410: _("Sidan finns inte längre"),
        500: _("Något gick fel"),
        503: _("Tjänsten är tillfälligt otillgänglig"),
    }[status]


def error_page(status: int, *, template: str | None = None, request: HttpRequest | None = None) -> HttpResponse:
    """The error page for `status`, rendered without touching the database or the session.

    Under /api/ the answer is JSON like the API's own errors: {"detail": "..."}.
    """
    response: HttpResponse
    if request is not None and request.path.startswith("/api/"):
        response = JsonResponse({"detail": _api_detail(status)}, status=status)
    else:
        body = loader.get_template(template or f"{status}.html").render(
            {"status": status, "stylesheet": _static("css/samverkan.css"), "logo": _static("img/favicon.svg")}
        )
        response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    if status >= 500:
        response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def database_unavailable(request: HttpRequest | None = None) -> HttpResponse:
    return error_page(503, request=request)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(400, request=request)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(403, request=request)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(404, request=request)


def server_error(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_OUTAGE):
        # Django has logged the traceback already ("Internal Server Error"); this says what it meant.
        logger.error("Database unavailable (%s): answered 503", type(exception).__name__)
        return database_unavailable(request)
    return error_page(500, request=request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return error_page(403, template="403_csrf.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers ask for on pages without an icon link (the API docs, the admin):
    our icon instead of a 404 in every console."""
    response = HttpResponse(status=302)
    response["Location"] = _static("img/favicon.svg")
    response["Cache-Control"] = "max-age=86400"
    return response
