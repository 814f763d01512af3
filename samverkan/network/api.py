"""The directory in the HTTP API, in Open Referral HSDS 3.0 shape, read-only.

Under /api/network (the capability's `api_prefix`), following the HSDS OpenAPI paths:

- `GET /services` — a Page (total_items, total_pages, page_number, size, first_page, last_page, empty,
  contents) of services with their one-to-one fields; `page` (from 1), `per_page` (1–100),
  `organization_id`, `search` (in name and description);
- `GET /services/{id}` — one service fully nested (organization, contacts with phones, schedules,
  service_at_locations with their location and address, languages, service_areas, attributes);
- `GET /organizations` — a Page of the association's member agencies; `GET /organizations/{id}` — one,
  with its services (one-to-one fields);
- `GET /service_at_locations` — a Page of the links service–location (`service_id`, `location_id`
  filters); `GET /service_at_locations/{id}` — one, with its location (and address), service and
  schedules;
- `GET /` — the HSDS meta information (version, openapi_url).

`format` may only be `json` (HSDS's ndjson streaming is not offered: a 400 says so).

The token's association is the only one read (samverkan/api.py); another association's id is a 404,
a malformed id or page a 400 with a reason. A named person appears only with consent (network/hsds.py).
"""

from __future__ import annotations

import math
import uuid
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from samverkan.common.errors import ErrorOut
from samverkan.tenancy.models import Agency, Association

from .hsds import (
    location_record,
    organization_full,
    organization_id,
    organization_record,
    schedule_record,
    service_at_location_record,
    service_full,
    service_list_item,
)
from .hsds_schema import HSDS_VERSION
from .models import Service, ServiceAtLocation

router = Router(tags=["samverkanskarta"])

MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000


def _errors(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, ErrorOut)


class PageParams(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Sidans nummer, från 1.")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Poster per sida, högst 100.")
    search: str = Field("", max_length=200, description="Sök i namn och beskrivning.")

    format: str = Field("json", max_length=20, description="Bara json.")


class ServiceParams(PageParams):
    organization_id: str = Field("", max_length=64, description="Bara tjänster från den här organisationen.")


class LinkParams(PageParams):
    service_id: str = Field("", max_length=64, description="Bara den här tjänsten.")
    location_id: str = Field("", max_length=64, description="Bara den här platsen.")


def _association(request: HttpRequest) -> Association:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _uuid(value: str, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise HttpError(400, _("Ogiltig begäran: %(what)s är inget UUID.") % {"what": what}) from None


def _page(items: list[Any], total: int, params: PageParams) -> dict[str, Any]:
    pages = math.ceil(total / params.per_page) if total else 0
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": params.page,
        "size": len(items),
        "first_page": params.page == 1,
        "last_page": params.page >= pages,
        "empty": not items,
        "contents": items,
    }


def _slice(queryset: QuerySet[Any], params: PageParams) -> tuple[list[Any], int]:
    if params.format != "json":
        raise HttpError(400, _("Ogiltig begäran: format kan bara vara json."))
    total = queryset.count()
    start = (params.page - 1) * params.per_page
    return list(queryset[start : start + params.per_page]), total


def _agencies(association: Association) -> dict[str, Agency]:
    return {organization_id(agency): agency for agency in association.agencies.order_by("name", "pk")}


class PageOut(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


@router.get("/services", response={200: PageOut, **_errors(400, 401)}, summary="Tjänsterna i katalogen (HSDS)")
def service_list(request: HttpRequest, params: Query[ServiceParams]) -> Any:
    """A page of the association's services, each with its one-to-one HSDS fields."""
    association = _association(request)
    services = Service.objects.filter(association=association).select_related("agency").order_by("name", "pk")
    if params.organization_id:
        wanted = str(_uuid(params.organization_id, "organization_id"))
        agency = _agencies(association).get(wanted)
        services = services.filter(agency=agency) if agency else services.none()
    if params.search.strip():
        text = params.search.strip()
        services = services.filter(Q(name__icontains=text) | Q(description__icontains=text))
    items, total = _slice(services, params)
    return _page([service_list_item(service) for service in items], total, params)


@router.get(
    "/services/{service_id}",
    response={200: dict[str, Any], **_errors(400, 401, 404)},
    summary="En tjänst med allt den har (HSDS)",
)
def service_detail(request: HttpRequest, service_id: str) -> Any:
    wanted = _uuid(service_id, "id")
    service = (
        Service.objects.filter(association=_association(request), uuid=wanted)
        .select_related("agency", "association")
        .first()
    )
    if service is None:
        raise HttpError(404, _("Tjänsten finns inte."))
    return service_full(service)


@router.get("/organizations", response={200: PageOut, **_errors(400, 401)}, summary="Förbundets medlemmar (HSDS)")
def organization_list(request: HttpRequest, params: Query[PageParams]) -> Any:
    agencies = _association(request).agencies.order_by("name", "pk")
    if params.search.strip():
        agencies = agencies.filter(name__icontains=params.search.strip())
    items, total = _slice(agencies, params)
    return _page([organization_record(agency) for agency in items], total, params)


@router.get(
    "/organizations/{organization_id}",
    response={200: dict[str, Any], **_errors(400, 401, 404)},
    summary="En medlem med sina tjänster (HSDS)",
)
def organization_detail(request: HttpRequest, organization_id: str) -> Any:
    association = _association(request)
    agency = _agencies(association).get(str(_uuid(organization_id, "id")))
    if agency is None:
        raise HttpError(404, _("Organisationen finns inte."))
    services = (
        Service.objects.filter(association=association, agency=agency).select_related("agency").order_by("name", "pk")
    )
    return organization_full(agency, services)


@router.get(
    "/service_at_locations",
    response={200: PageOut, **_errors(400, 401)},
    summary="Tjänsterna på sina platser (HSDS)",
)
def service_at_location_list(request: HttpRequest, params: Query[LinkParams]) -> Any:
    links = ServiceAtLocation.objects.filter(service__association=_association(request)).select_related(
        "service", "location"
    )
    if params.service_id:
        links = links.filter(service__uuid=_uuid(params.service_id, "service_id"))
    if params.location_id:
        links = links.filter(location__uuid=_uuid(params.location_id, "location_id"))
    if params.search.strip():
        text = params.search.strip()
        links = links.filter(Q(service__name__icontains=text) | Q(location__name__icontains=text))
    items, total = _slice(links.order_by("service__name", "location__name", "pk"), params)
    return _page([service_at_location_record(link) for link in items], total, params)


@router.get(
    "/service_at_locations/{link_id}",
    response={200: dict[str, Any], **_errors(400, 401, 404)},
    summary="En tjänst på en plats, med plats, tjänst och öppettider (HSDS)",
)
def service_at_location_detail(request: HttpRequest, link_id: str) -> Any:
    association = _association(request)
    link = (
        ServiceAtLocation.objects.filter(service__association=association, uuid=_uuid(link_id, "id"))
        .select_related("service__agency", "location__agency")
        .first()
    )
    if link is None:
        raise HttpError(404, _("Tjänsten på platsen finns inte."))
    record = service_at_location_record(link)
    if schedules := [schedule_record(s) for s in link.schedules.select_related("service").order_by("pk")]:
        record["schedules"] = schedules
    record["location"] = location_record(link.location, association.county)
    record["service"] = service_list_item(link.service)
    return record


class MetaOut(Schema):
    version: str
    openapi_url: str


@router.get("/", response={200: MetaOut, **_errors(401)}, summary="Om HSDS-gränssnittet")
def meta(request: HttpRequest) -> Any:
    """HSDS's `getAPIMetaInformation`: the version of HSDS and where the OpenAPI description is."""
    from django.urls import reverse

    return {"version": f"{HSDS_VERSION}.0", "openapi_url": request.build_absolute_uri(reverse(_openapi_name(request)))}


def _openapi_name(request: HttpRequest) -> str:
    namespace = getattr(getattr(request, "resolver_match", None), "namespace", "") or "api"
    return f"{namespace}:openapi-json"


def api_router() -> Router:
    """The capability's `api_router` (network/capability.py): this router, under `api_prefix` "/network"."""
    return router
