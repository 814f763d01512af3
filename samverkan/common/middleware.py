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
