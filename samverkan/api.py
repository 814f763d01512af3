"""The HTTP API: token authentication scoped to one association, OpenAPI at /api/openapi.json.

Each installed capability adds its router (its `api_router` in the registry,
samverkan/common/capabilities.py); every endpoint reads `request.auth`, the
association the token belongs to, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_scopes import get_scope, scopes_disabled
from django_scopes.state import state as scope_state
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from samverkan.common.capabilities import installed_capabilities
from samverkan.common.errors import ServiceError, api_error_body
from samverkan.tenancy.models import ApiToken, Association, hash_token


class AssociationToken(HttpBearer):
    """`Authorization: Bearer <token>`; the token resolves to its association."""

    def authenticate(self, request: HttpRequest, token: str) -> Association | None:
        # The token is what tells us the association: its lookup is across tenants by nature.
        with scopes_disabled():
            found = ApiToken.objects.select_related("association").filter(token_hash=hash_token(token)).first()
        if found is None:
            return None
        # The rest of the request (the endpoint and the serialising of its answer) runs in the token's
        # association's scope. It is set for the request's own context, which TenantScopeMiddleware
        # (common/middleware.py) throws away when the request ends.
        scope_state.set({**get_scope(), "_enabled": True, "association": found.association})
        return found.association


api = NinjaAPI(
    title="Samverkan API",
    version="1",
    description=(
        "API för samordningsförbundets data. Varje nyckel gäller ett förbund. "
        "Små grupper döljs här precis som i rapporterna."
    ),
    auth=AssociationToken(),
    urls_namespace="api",
)


def _problem(error: Any) -> str:
    """One pydantic error as Swedish words: which parameter, and what is wrong with it."""
    location = [str(part) for part in error.get("loc", ()) if part not in ("query", "path", "body")]
    name = location[-1] if location else ""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    if kind in ("less_than_equal", "less_than"):
        what = _("får vara högst %(max)s") % {"max": context.get("le", context.get("lt"))}
    elif kind in ("greater_than_equal", "greater_than"):
        what = _("måste vara minst %(min)s") % {"min": context.get("ge", context.get("gt"))}
    elif kind.startswith("int_"):
        what = _("måste vara ett heltal")
    elif kind == "missing":
        what = _("saknas")
    elif kind.startswith("json"):
        what = _("är inte giltig JSON")
    else:
        what = _("har ett ogiltigt värde")
    return f"{name} {what}" if name else what


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Bad input is the caller's to fix: 400 with a reason, never 422 or 500.
    problems = "; ".join(dict.fromkeys(_problem(error) for error in exc.errors))
    detail = _("Ogiltig begäran: %(problems)s.") % {"problems": problems} if problems else _("Ogiltig begäran.")
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=400)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    # The same refusal a form shows next to its field, as a 400 (common/errors.py).
    return api.create_response(request, api_error_body(exc), status=400)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Saknar giltig API-nyckel."}, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


class AgencyOut(Schema):
    name: str
    kind: str


class AssociationOut(Schema):
    name: str
    slug: str
    county: str
    agencies: list[AgencyOut]


@api.get("/association", response=AssociationOut, tags=["förbund"], summary="Förbundet som nyckeln gäller")
def association_detail(request: HttpRequest) -> Any:
    association: Association = request.auth  # type: ignore[attr-defined]
    return {
        "name": association.name,
        "slug": association.slug,
        "county": association.county,
        "agencies": list(association.agencies.all()),
    }


def _register_routers() -> None:
    # Built once, when the URLconf is loaded: by then every app's ready() has registered its capability.
    for capability in installed_capabilities():
        if capability.api_router is not None:
            api.add_router(capability.api_prefix or f"/{capability.key}", capability.api_router())


_register_routers()
