# No `from __future__ import annotations` here: django-ninja reads the schemas' types at run time.
"""The socioeconomic calculation in the HTTP API: POST a scenario, get calculate()'s result (issue 12).

`POST /api/economics/calculate` with the scenario object of docs/economics-scenario.md as the body.
The answer is calc.calculate()'s JSON; bad input is a 400 `{"detail": "<Swedish sentence>", "field":
"<JSON path>", "code": "<machine code>"}`, never a 500. The token's association is not needed by the
calculation (it reads no tenant data), but only a token holder may call it, like every endpoint.
The KPI table is the database's when the price-index part is installed (kpi_source.py).
"""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import Router, Schema, Status

from samverkan.common.errors import ErrorOut

from . import calc
from .kpi_source import database_kpi_table
from .messages import scenario_error_message

router = Router(tags=["samhällsekonomi"])


class ScenarioErrorOut(Schema):
    """A refused scenario: the Swedish sentence, the field's JSON path ("" for the whole body) and a code."""

    detail: str
    field: str
    code: str


class ActorOut(Schema):
    cost: float
    gain: float
    npv: float
    return_ratio: float | None
    payback_months: int | None
    npv_p5: float | None = None
    npv_p50: float | None = None
    npv_p95: float | None = None
    return_ratio_p5: float | None = None
    return_ratio_p50: float | None = None
    return_ratio_p95: float | None = None
    p_return_above_1: float | None = None


class YearActorOut(Schema):
    cost: float
    gain: float
    net: float
    cumulative_net: float


class YearOut(Schema):
    year: int
    actors: dict[str, YearActorOut]


class TornadoOut(Schema):
    field: str
    name: str
    npv_low: float
    npv_high: float
    swing: float
    low: float
    high: float


class ItemOut(Schema):
    field: str
    kind: str
    name: str
    actor: str
    payer: str | None = None
    receiver: str | None = None
    present_value: float


class ScenarioSummaryOut(Schema):
    name: str
    price_year: int
    horizon_years: int
    discount_rate: float
    participants: float | None


class MonteCarloOut(Schema):
    draws: int
    seed: int


class CalculationOut(Schema):
    actors: dict[str, ActorOut]
    years: list[YearOut]
    items: list[ItemOut]
    tornado: list[TornadoOut]
    scenario: ScenarioSummaryOut
    monte_carlo: MonteCarloOut | None = None


SCENARIO_BODY = {
    "requestBody": {
        "required": True,
        "description": "Scenariot i JSON (docs/economics-scenario.md).",
        "content": {
            "application/json": {
                "schema": {"type": "object"},
                "example": {
                    "name": "Exempel",
                    "price_year": 2025,
                    "discount_rate": 0.035,
                    "horizon_years": 5,
                    "investments": [{"actor": "samordningsforbund", "year": 1, "amount": 1500000}],
                    "outcomes": [
                        {
                            "name": "Minskat försörjningsstöd",
                            "kind": "transfer",
                            "payer": "kommun",
                            "receiver": "individen",
                            "amount_per_person_year": 120000,
                            "persons": 10,
                        }
                    ],
                },
            }
        },
    }
}


def _refused(error: calc.ScenarioError) -> Status[dict[str, str]]:
    return Status(400, {"detail": scenario_error_message(error), "field": error.field, "code": error.code})


@router.post(
    "/calculate",
    response={200: CalculationOut, 400: ScenarioErrorOut, 401: ErrorOut},
    summary="Räkna ut ett samhällsekonomiskt scenario",
    openapi_extra=SCENARIO_BODY,
)
def calculate_scenario(request: HttpRequest) -> Any:
    """Cost, gain, net present value, return and payback per actor and year; with ranges also Monte Carlo
    percentiles, the probability that the return exceeds 1, and the tornado's bars."""
    try:
        data = json.loads(request.body.decode("utf-8-sig"))
    except RequestDataTooBig:
        return _refused(calc.ScenarioError("", "too_big", {"max": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}))
    except UnicodeDecodeError:
        return _refused(calc.ScenarioError("", "invalid_json", {"line": 1, "column": 1}))
    except json.JSONDecodeError as error:
        return _refused(calc.ScenarioError("", "invalid_json", {"line": error.lineno, "column": error.colno}))
    except RecursionError:
        return _refused(calc.ScenarioError("", "not_an_object"))
    try:
        return calc.calculate(calc.parse_scenario(data, kpi_table=database_kpi_table()))
    except calc.ScenarioError as error:
        return _refused(error)
