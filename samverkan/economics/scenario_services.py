"""Writes of scenarios: create, change, copy, delete, and the JSON upload that writes all or nothing.

Every write checks the scenario object with the pure calculation's own parser (`calc.parse_scenario`), so
what is stored can always be calculated; a refusal is a `ScenarioInvalid` listing every bad field (its JSON
path, e.g. `outcomes[2].amount_per_person_year`) with a Swedish message.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association

from .models import Scenario
from .scenario_selectors import kpi_table_or_none
from .scenario_validation import FieldError, scenario_errors

MAX_UPLOAD_BYTES = 1_000_000


class ScenarioInvalid(ServiceError):
    """The scenario object does not pass the calculation's checks; `.errors` lists every bad field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__([f"{e.field}: {e.message}" if e.field else e.message for e in errors])
        self.errors = errors


def _check(data: Any, kpi_table: dict[int, float] | None = None) -> dict[str, Any]:
    if kpi_table is None:
        kpi_table = kpi_table_or_none()
    errors = scenario_errors(data, kpi_table=kpi_table)
    if errors:
        raise ScenarioInvalid(errors)
    return dict(data)


def _name_of(data: dict[str, Any], fallback: str = "") -> str:
    return (str(data.get("name") or "").strip() or fallback)[:200]


def scenario_create(
    *,
    association: Association,
    data: dict[str, Any],
    created_by: Any,
    intervention: Any = None,
    notes: str = "",
    kpi_table: dict[int, float] | None = None,
) -> Scenario:
    checked = _check(data, kpi_table)
    if intervention is not None and intervention.association_id != association.pk:
        raise ServiceError({"intervention": _("Insatsen hör inte till förbundet.")})
    return Scenario.objects.create(
        association=association,
        name=_name_of(checked, str(_("Nytt scenario"))),
        data=checked,
        intervention=intervention,
        notes=notes,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )


def scenario_update(
    *,
    scenario: Scenario,
    data: dict[str, Any],
    intervention: Any = None,
    notes: str = "",
    kpi_table: dict[int, float] | None = None,
) -> Scenario:
    checked = _check(data, kpi_table)
    if intervention is not None and intervention.association_id != scenario.association_id:
        raise ServiceError({"intervention": _("Insatsen hör inte till förbundet.")})
    scenario.data = checked
    scenario.name = _name_of(checked, scenario.name)
    scenario.intervention = intervention
    scenario.notes = notes
    scenario.save()
    return scenario


def scenario_duplicate(*, scenario: Scenario, created_by: Any) -> Scenario:
    name = _("%(name)s (kopia)") % {"name": scenario.name}
    data = {**scenario.data, "name": name}
    return Scenario.objects.create(
        association_id=scenario.association_id,
        name=name[:200],
        data=data,
        intervention=scenario.intervention,
        notes=scenario.notes,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )


def scenario_delete(*, scenario: Scenario) -> None:
    with transaction.atomic():
        scenario.delete()


def scenario_json(scenario: Scenario) -> str:
    """The scenario as the documented JSON object (the download); `scenario_from_json` reads it back."""
    return json.dumps({**scenario.data, "name": scenario.name}, ensure_ascii=False, indent=2)


def parse_upload(content: bytes) -> dict[str, Any]:
    """The uploaded file as a JSON object, or ScenarioInvalid saying why it is not one (nothing is written)."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise ScenarioInvalid([FieldError("", _("Filen är för stor (högst 1 MB)."))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioInvalid([FieldError("", _("Filen är inte text i UTF-8."))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioInvalid(
            [
                FieldError(
                    "",
                    _("Filen är inte giltig JSON (rad %(line)s, kolumn %(column)s).")
                    % {"line": error.lineno, "column": error.colno},
                )
            ]
        ) from None
    if not isinstance(data, dict):
        raise ScenarioInvalid([FieldError("", _("Filen ska innehålla ett JSON-objekt, { … }."))])
    return data


def scenario_from_json(
    *,
    association: Association,
    content: bytes,
    created_by: Any,
    intervention: Any = None,
    kpi_table: dict[int, float] | None = None,
) -> Scenario:
    """A new scenario from an uploaded JSON file: every bad field is reported and nothing is written."""
    data = parse_upload(content)
    with transaction.atomic():
        return scenario_create(
            association=association, data=data, created_by=created_by, intervention=intervention, kpi_table=kpi_table
        )
