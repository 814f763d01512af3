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
    params: dict[str, Any] | None = None

    def message_naming(self, name: str) -> str:
        """The same message with the field called by `name` (a form's label) instead of its JSON path."""
        if not self.code:
            return self.message
        from .scenario_format import ScenarioError

        return message_for(ScenarioError(name, self.code, self.params or {}))


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
    return [
        FieldError(e.field, message_for(e), e.code, dict(e.params)) for e in _parser_errors(data, kpi_table=kpi_table)
    ]
