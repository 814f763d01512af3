# No `from __future__ import annotations` here: django-ninja reads the query parameters' types at run time
# through @paginate, which cannot resolve them from strings.
"""Interventions in the HTTP API: the association's interventions and one intervention with its money per year.

Participants are not here: the API token is the association's, not a person's with a second factor.
"""


from datetime import date
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from samverkan.common.errors import ErrorOut
from samverkan.tenancy.models import Association

from . import selectors
from .models import Intervention

router = Router(tags=["insatser"])

MAX_OFFSET = 1_000_000_000
MAX_ID = 2**63 - 1


class Pagination(LimitOffsetPagination):
    """`limit` 1–100 and `offset` 0–1 000 000 000; anything else is a 400 with a Swedish `detail`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="Högst 100 per sida.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Hur många som hoppas över (högst 1 000 000 000).")


def _errors(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, ErrorOut)


class InterventionOut(Schema):
    id: int
    name: str
    code: str
    orientation: str
    form: str
    permanent_since: date | None
    start: date
    end: date | None
    agencies: list[str]

    @staticmethod
    def resolve_agencies(intervention: Intervention) -> list[str]:
        return [a.name for a in intervention.agencies.all()]


class FinancingOut(Schema):
    year: int
    financier_kind: str
    financier: str
    budget: int | None
    amount: int


class InKindOut(Schema):
    year: int
    agency: str
    unit: str
    quantity: float
    description: str


class VolumeOut(Schema):
    year: int
    head_count: int


class InterventionDetailOut(InterventionOut):
    description: str
    target_group: str
    campaign_ids: list[int]
    financing: list[FinancingOut]
    in_kind: list[InKindOut]
    volume_counts: list[VolumeOut]


def _association(request: HttpRequest) -> Association:
    return request.auth  # type: ignore[attr-defined,no-any-return]


@router.get(
    "/interventions",
    response={200: list[InterventionOut], **_errors(400, 401)},
    summary="Förbundets insatser",
)
@paginate(Pagination)
def intervention_list(
    request: HttpRequest,
    form: Literal["project", "permanent"] | None = Query(None, description="Form: project (tidsbegränsat projekt) eller permanent."),
    orientation: Literal["individual", "structural"] | None = Query(
        None, description="Inriktning: individual (individinriktad) eller structural (strukturövergripande)."
    ),
    **kwargs: Any,
) -> Any:
    """In name order, a page at a time; filter by `form` and `orientation`."""
    interventions = selectors.intervention_list(_association(request))
    if form:
        interventions = interventions.filter(form=form)
    if orientation:
        interventions = interventions.filter(orientation=orientation)
    return interventions


@router.get(
    "/interventions/{intervention_id}",
    response={200: InterventionDetailOut, **_errors(400, 401, 404)},
    summary="En insats med finansiering, personaltid och volymer per år",
)
def intervention_detail(
    request: HttpRequest, intervention_id: int = Path(..., ge=1, le=MAX_ID, description="Insatsens id.")
) -> Any:
    try:
        intervention = selectors.intervention_detail(_association(request), intervention_id)
    except Http404:
        raise HttpError(404, "Insatsen finns inte.") from None
    return {
        **{k: getattr(intervention, k) for k in InterventionOut.model_fields if k != "agencies"},
        "agencies": [a.name for a in intervention.agencies.all()],
        "description": intervention.description,
        "target_group": intervention.target_group,
        "campaign_ids": [c.pk for c in intervention.campaigns.all()],
        "financing": [
            {
                "year": f.year,
                "financier_kind": f.financier_kind,
                "financier": f.financier_label,
                "budget": None if f.budget is None else int(f.budget),
                "amount": int(f.amount),
            }
            for f in intervention.financing.all()
        ],
        "in_kind": [
            {
                "year": k.year,
                "agency": k.agency.name,
                "unit": k.unit,
                "quantity": float(k.quantity),
                "description": k.description,
            }
            for k in intervention.in_kind.all()
        ],
        "volume_counts": [{"year": v.year, "head_count": v.head_count} for v in intervention.volume_counts.all()],
    }
