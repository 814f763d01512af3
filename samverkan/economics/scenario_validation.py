"""The calculation's checks of a scenario object, as Swedish messages per field (JSON path).

`calc.parse_scenario` is the one judge of what a scenario may hold; this module only turns its
`ScenarioError`s into (field, message) pairs for forms, the upload page and the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str  # the JSON path, "" for the object as a whole
    message: str


def _errors_of(exception: Exception) -> list[Any]:
    nested = getattr(exception, "errors", None)
    if isinstance(nested, list | tuple) and nested:
        return list(nested)
    return [exception]


def scenario_errors(data: Any, *, kpi_table: dict[int, float] | None = None) -> list[FieldError]:
    """Every problem the calculation finds in `data`; empty when it can be calculated."""
    from . import calc, messages

    try:
        calc.parse_scenario(data, kpi_table=kpi_table)
    except calc.ScenarioError as exception:
        return [FieldError(str(getattr(e, "field", "") or ""), str(messages.message_for(e))) for e in _errors_of(exception)]
    return []
