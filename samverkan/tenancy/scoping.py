"""The one way a view gets its association.

`association_view` resolves the slug in the URL among the current user's own
memberships only, so an association the user is not a member of is a 404 — it
does not even admit that it exists. A member without the required role gets
403. The anonymous visitor is sent to the login page. The view then runs inside
`scope(association=...)` (django-scopes): a query on a tenant model that forgets
the association raises `ScopeError` instead of reading every tenant.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

from .models import Association, Membership, Role

SESSION_KEY = "samverkan_association"


def membership_for(user: Any, slug: str) -> Membership:
    if not user.is_authenticated:
        raise Http404
    try:
        # Cross-tenant by nature: the user's own membership is what tells us the association.
        with scopes_disabled():
            return Membership.objects.select_related("association").get(user=user, association__slug=slug)
    except Membership.DoesNotExist:
        raise Http404 from None


def association_view(role: str = Role.MEMBER) -> Callable[..., Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_for(request.user, slug)
            if not membership.has_role(role):
                raise PermissionDenied
            request.association = membership.association  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            if request.session.get(SESSION_KEY) != slug:
                # Written only when it changes: a page and its images (QR codes) must not all rewrite the
                # session at once.
                request.session[SESSION_KEY] = slug
            # Every query of the view runs in its association's scope: one that forgets the tenant raises.
            with scope(association=membership.association):
                return view(request, membership.association, *args, **kwargs)

        wrapper.required_role = role  # type: ignore[attr-defined]  # read by the route walk's role matrix
        return wrapper

    return decorator


def association_scope(slug: str | None) -> AbstractContextManager[None]:
    """The scope of the association with this slug, for a management command; no scope when there is none."""
    association = Association.objects.filter(slug=slug).first() if slug else None
    return scope(association=association) if association is not None else nullcontext()


def associations_of(user: Any) -> list[Association]:
    if not user.is_authenticated:
        return []
    return list(Association.objects.filter(memberships__user=user).order_by("name"))


def is_platform_operator(user: Any) -> bool:
    """The platform's operator: a superuser, or staff given the right to add associations."""
    return bool(user.is_authenticated and user.is_active and user.has_perm("tenancy.add_association"))


def platform_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the operator's pages: anonymous → login, anyone else → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_platform_operator(request.user):
            raise PermissionDenied
        # The operator's pages list and onboard every association: deliberately across tenants.
        with scopes_disabled():
            return view(request, *args, **kwargs)

    return wrapper
