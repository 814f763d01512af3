from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TenantScopeMiddleware:
    """Every request starts with no tenant scope (django-scopes) and whatever scope it activates ends with it.

    The request runs in a context of its own with the scope cleared: a worker thread that served another
    association a moment ago carries nothing over, and a view that forgets to activate its association's
    scope (association_view, the API's token auth, …) gets `ScopeError` on its first tenant query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return contextvars.copy_context().run(self._unscoped, request)

    def _unscoped(self, request: HttpRequest) -> HttpResponse:
        from django_scopes.state import state

        state.set(None)
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy from settings on every response.

    Django 5.2 has no CSP of its own; one header needs no extra dependency.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


class SwedishByDefaultMiddleware:
    """Swedish unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a
    Swedish official with an English browser would get English. Only the
    language cookie (set by the switch) decides; placed before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class DatabaseOutageMiddleware:
    """With the database down, answer the Swedish 503 at once, after one connection attempt.

    Without it every layer that touches the database (the session, the user, the second factor, axes,
    saving the session on the way out) tries to connect again, each waiting `DATABASE_CONNECT_TIMEOUT`,
    and a page took many times the timeout to say the service is unavailable. A request that finds the
    database gone is answered here, before those layers run; a healthy request pays nothing (an open
    connection is not opened again). The health check answers for itself, in its own JSON.
    """

    OWN_ANSWER = frozenset({"/healthz"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        if request.path in self.OWN_ANSWER:
            return self.get_response(request)

        from .error_pages import DATABASE_OUTAGE, database_unavailable, logger

        try:
            connection.ensure_connection()
        except DATABASE_OUTAGE as error:
            logger.error("Database unavailable (%s): answered 503", type(error).__name__)
            return database_unavailable(request)
        return self.get_response(request)
