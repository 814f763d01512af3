"""The calculation's checks of a scenario object, as Swedish messages per field (JSON path).

`scenario_format.parse_scenario` is the one judge of what a scenario may hold; `scenario_check` asks it
until every bad field is named, and this module words them through the economics messages (gettext).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .scenario_check import scenario_errors as _parser_errors


@dataclass(frozen=True)
class FieldError:
    field: str  # the JSON path, "" for the object as a whole
    message: str
    code: str = ""


def message_for(error: Any) -> str:
    """The error's Swedish text through the catalogue (messages.py), or the parser's own default text."""
    try:
        from . import messages
    except ImportError:  # pragma: no cover - the calculation part ships messages.py
        return str(error.default_message)
    for name in ("scenario_error_message", "message_for", "error_message"):
        function = getattr(messages, name, None)
        if callable(function):
            return str(function(error))
    return str(error.default_message)


def scenario_errors(data: Any, *, kpi_table: dict[int, float] | None = None) -> list[FieldError]:
    """Every problem the calculation finds in `data`, worded; empty when it can be calculated."""
    return [FieldError(e.field, message_for(e), e.code) for e in _parser_errors(data, kpi_table=kpi_table)]
