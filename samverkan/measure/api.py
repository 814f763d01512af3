"""Measure endpoints of the HTTP API: campaigns and their results, suppressed as everywhere else."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import create_model

from samverkan.common.errors import ErrorOut
from samverkan.tenancy.models import Association

from . import published, selectors
from .models import Campaign
from .published import results_payload
from .results import campaign_results

router = Router(tags=["mät"])

# Far beyond any association's campaigns, and small enough that offset + limit fits the databases'
# 64-bit integers: an offset above 2^63 was an OverflowError (SQLite) or a DataError (PostgreSQL), so 500.
MAX_OFFSET = 1_000_000_000
MAX_LIMIT = 100
MAX_ID = 2**63 - 1


class Pagination(LimitOffsetPagination):
    """`limit` 1–100 and `offset` 0–1 000 000 000; anything else is a 400 with a Swedish `detail`."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Högst 100 per sida.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Hur många som hoppas över (högst 1 000 000 000).")


def _errors(*codes: int) -> dict[int, Any]:
    return dict.fromkeys(codes, ErrorOut)


class CampaignOut(Schema):
    id: int
    name: str
    status: str
    instrument: str
    opens_on: date
    closes_on: date
    previous_id: int | None
    responses: int | None  # None when below the minimum group size

    @staticmethod
    def resolve_instrument(campaign: Campaign) -> str:
        return str(campaign.instrument)

    @staticmethod
    def resolve_responses(campaign: Campaign) -> int | None:
        results = campaign_results(campaign=campaign)  # the suppression choke point
        return None if results.total_suppressed else results.total_responses


# Made from the one schema of a published cell (published.CELL_FIELDS), as are the payload and the exports.
MomentumOut = create_model("MomentumOut", __base__=Schema, **published.api_fields(published.MOMENTUM_FIELDS, {}))
CellOut = create_model(
    "CellOut", __base__=Schema, **published.api_fields(published.CELL_FIELDS, {"momentum": MomentumOut})
)


class LevelOut(Schema):
    level: str
    label: str
    groups: list[CellOut]


class IndexCellOut(Schema):
    group: str
    group_label: str
    suppressed: bool
    n: int | None
    mean: float | None
    ci_low: float | None
    ci_high: float | None


class HallmarkOut(Schema):
    hallmark: str
    label: str
    alpha: float | None
    alpha_n: int | None
    groups: list[IndexCellOut]


class ItemOut(Schema):
    code: str
    text: str
    groups: list[CellOut]


class GroupOut(Schema):
    group: str
    group_label: str
    suppressed: bool
    n: int | None


class CampaignInfoOut(Schema):
    id: int
    name: str
    instrument: str
    opens_on: str
    closes_on: str
    previous: str | None
    min_group_size: int


class ResultsOut(Schema):
    campaign: CampaignInfoOut
    responses: int | None
    groups: list[GroupOut]
    levels: list[LevelOut]
    hallmarks: list[HallmarkOut]
    items: list[ItemOut]


def _association(request: HttpRequest) -> Association:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _campaign(request: HttpRequest, campaign_id: int) -> Campaign:
    try:
        return selectors.campaign_for_association_or_404(_association(request), campaign_id)
    except Http404:
        raise HttpError(404, "Mätomgången finns inte.") from None


@router.get(
    "/campaigns",
    response={200: list[CampaignOut], **_errors(400, 401)},
    summary="Förbundets mätomgångar",
)
@paginate(Pagination)
def campaign_list(request: HttpRequest, **kwargs: Any) -> Any:
    """Newest first, a page at a time (`limit`, at most 100, and `offset`); `count` is the total."""
    return (
        Campaign.objects.for_association(_association(request))
        .select_related("instrument")
        .order_by("-opens_on", "-pk")
    )


@router.get(
    "/campaigns/{campaign_id}/results",
    response={200: ResultsOut, **_errors(400, 401, 404)},
    summary="Resultat per nivå och grupp",
    description=(
        "Samma siffror som resultatsidan och `export_results`: per nivå och respondentgrupp n, medelvärde med "
        "95 % konfidensintervall, median, ring, andel per ring, oenighet, förflyttning sedan förra omgången och "
        "mål. Grupper under minsta gruppstorleken (och grupper som skyddar dem) har `suppressed: true` "
        "och inga siffror."
    ),
)
def campaign_results_endpoint(
    request: HttpRequest, campaign_id: int = Path(..., ge=1, le=MAX_ID, description="Mätomgångens id.")
) -> Any:
    return results_payload(campaign_results(campaign=_campaign(request, campaign_id)))
