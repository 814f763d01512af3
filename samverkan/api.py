"""The HTTP API: token authentication scoped to one association, OpenAPI at /api/openapi.json.

Each capability adds a router; every endpoint reads `request.auth`, the
association the token belongs to, and nothing else.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from samverkan.tenancy.models import ApiToken, Association, hash_token


class AssociationToken(HttpBearer):
    """`Authorization: Bearer <token>`; the token resolves to its association."""

    def authenticate(self, request: HttpRequest, token: str) -> Association | None:
        found = ApiToken.objects.select_related("association").filter(token_hash=hash_token(token)).first()
        return found.association if found else None


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


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Bad input is the caller's to fix: 400 with a reason, never 422 or 500.
    return api.create_response(request, {"detail": "Ogiltig begäran.", "errors": exc.errors}, status=400)


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
    from samverkan.measure.api import router as measure_router

    api.add_router("/measure", measure_router)


_register_routers()
