"""The builder's state: the posted form data, changed by its buttons, and turned into a scenario object.

The page is one form. Every button posts everything typed so far; "spara" checks and saves, the others
(add or remove a row, add from the price table, a typfall, fill from an intervention) change the rows and
show the page again with nothing lost. So it works without JavaScript; htmx only spares the reload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from .scenario_forms import (
    BasicsForm,
    InvestmentFormSet,
    OutcomeFormSet,
    basics_initial,
    investment_initial,
    outcome_initial,
    pool_actors_of,
)
from .scenario_validation import FieldError

BASICS, INVESTMENTS, OUTCOMES = "s", "inv", "out"
DEFAULT_SCENARIO: dict[str, Any] = {
    "name": "",
    "price_year": 2025,
    "discount_rate": 0.035,
    "horizon_years": 5,
    "pool_split": {"forsakringskassan": 0.5, "region": 0.25, "kommun": 0.25},
    "deadweight": 0.2,
    "decay": 0.1,
    "draws": 10000,
    "seed": 1,
    "investments": [],
    "outcomes": [],
}


Raw = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]  # basics, investment rows, outcome rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


def _texts(values: Mapping[str, Any]) -> dict[str, str]:
    return {key: _text(value) for key, value in values.items()}


def raw_for_scenario(data: Mapping[str, Any], *, notes: str = "", intervention: int | None = None) -> Raw:
    """The builder's values showing a stored scenario object."""
    return (
        _texts(basics_initial(data, notes=notes, intervention=intervention)),
        [_texts(investment_initial(i)) for i in data.get("investments") or [] if isinstance(i, Mapping)],
        [_texts(outcome_initial(o)) for o in data.get("outcomes") or [] if isinstance(o, Mapping)],
    )


def raw_of(data: QueryDict) -> Raw:
    """The posted values: the basics and each row, in page order."""
    start = f"{BASICS}-"
    basics = {k[len(start) :]: data.get(k, "") for k in data if k.startswith(start)}
    return basics, rows_of(data, INVESTMENTS), rows_of(data, OUTCOMES)


def rows_of(data: QueryDict, prefix: str) -> list[dict[str, Any]]:
    """Each posted row's raw values, in page order."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 500)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        start = f"{prefix}-{index}-"
        rows.append({k[len(start) :]: data.get(k, "") for k in data if k.startswith(start)})
    return rows


def _pool_actors(keys: Any, start: str) -> list[str]:
    return [k[len(start) :] for k in keys if k.startswith(start)]


@dataclass
class BuilderForms:
    basics: BasicsForm
    investments: Any
    outcomes: Any

    def is_valid(self) -> bool:
        # Every part is validated (no short circuit), so each row shows its own errors at once.
        results = [self.basics.is_valid(), self.investments.is_valid(), self.outcomes.is_valid()]
        return all(results)

    def to_object(self) -> tuple[dict[str, Any], dict[str, int], dict[str, int]]:
        """The scenario object, and for each list the form index of each object index (to place errors)."""
        data = self.basics.to_object()
        investment_rows = self.investments.rows()
        outcome_rows = self.outcomes.rows()
        data["investments"] = [row for _index, row in investment_rows]
        data["outcomes"] = [row for _index, row in outcome_rows]
        return (
            data,
            {str(i): form_index for i, (form_index, _row) in enumerate(investment_rows)},
            {str(i): form_index for i, (form_index, _row) in enumerate(outcome_rows)},
        )

    def place_errors(
        self, errors: Sequence[FieldError], investment_index: dict[str, int], outcome_index: dict[str, int]
    ) -> list[str]:
        """Shows each calculation error next to its field; returns those that belong to no field."""
        left: list[str] = []
        for error in errors:
            if not self._place(error, investment_index, outcome_index):
                left.append(error.message)
        return left

    def _place(self, error: FieldError, investment_index: dict[str, int], outcome_index: dict[str, int]) -> bool:
        path = error.field
        for key, formset, index in (
            ("investments", self.investments, investment_index),
            ("outcomes", self.outcomes, outcome_index),
        ):
            if path.startswith(f"{key}["):
                number, _bracket, rest = path[len(key) + 1 :].partition("]")
                form_index = index.get(number)
                if form_index is None:
                    return False
                form = formset.forms[form_index]
                name = _field_name(form, rest.lstrip("."))
                form.add_error(name, _worded(error, form, name))
                return True
        if path.startswith("pool_split"):
            actor = path.partition(".")[2]
            name = f"pool_{actor}" if f"pool_{actor}" in self.basics.fields else None
            self.basics.add_error(name, _worded(error, self.basics, name))
            return True
        name = _field_name(self.basics, path)
        if name is None:
            return False
        self.basics.add_error(name, _worded(error, self.basics, name))
        return True


def _worded(error: FieldError, form: Any, name: str | None) -> str:
    """Next to a field its label names it ("År ligger efter tidshorisonten"), not the JSON path."""
    if name is None:
        return error.message
    return error.message_naming(str(form.fields[name].label))


def _field_name(form: Any, path: str) -> str | None:
    """The form field for a JSON path inside one part: "amount.low" → "amount__low", "amount.mode" → "amount"."""
    key, _dot, sub = path.partition(".")
    if sub in ("low", "high"):
        name = f"{key}__{sub}"
    elif sub == "distribution":
        name = f"{key}__dist"
    else:
        name = key
    return name if name in form.fields else None


def bind(data: QueryDict, *, interventions: Sequence[tuple[int, str]]) -> BuilderForms:
    """The forms bound to what was posted (for "spara": they are checked)."""
    return BuilderForms(
        basics=BasicsForm(
            data, prefix=BASICS, interventions=interventions, pool_actors=_pool_actors(data, f"{BASICS}-pool_")
        ),
        investments=InvestmentFormSet(data, prefix=INVESTMENTS),
        outcomes=OutcomeFormSet(data, prefix=OUTCOMES),
    )


def unbound(raw: Raw, *, interventions: Sequence[tuple[int, str]]) -> BuilderForms:
    """The forms showing these values, unchecked (the page after a button other than "spara", or at first)."""
    basics, investments, outcomes = raw
    return BuilderForms(
        basics=BasicsForm(
            initial=_texts(basics),
            prefix=BASICS,
            interventions=interventions,
            pool_actors=_pool_actors(basics, "pool_"),
        ),
        investments=InvestmentFormSet(initial=[_texts(r) for r in investments], prefix=INVESTMENTS),
        outcomes=OutcomeFormSet(initial=[_texts(r) for r in outcomes], prefix=OUTCOMES),
    )


__all__ = [
    "BASICS",
    "DEFAULT_SCENARIO",
    "INVESTMENTS",
    "OUTCOMES",
    "BuilderForms",
    "Raw",
    "bind",
    "pool_actors_of",
    "raw_for_scenario",
    "raw_of",
    "rows_of",
    "unbound",
]
