"""The published form of a campaign's results: what leaves the platform, defined once.

`CELL_FIELDS` is the one schema of a published result cell (one level or item × group): its
name (JSON key, API field, export column), its type, its Swedish column label and its SPSS
measure. `results_payload` (export_results JSON, the API, every export) builds cells from it,
the API's CellOut schema is made from it (api.py) and the export columns come from it
(exports.py), so a field added here appears in all of them, and nowhere else.

Suppressed cells carry no figures: every field marked `hidden` is None when the cell is hidden.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .results import CampaignResults, Cell

SCALE, ORDINAL, NOMINAL = "scale", "ordinal", "nominal"


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class CellField:
    """One field of a published cell."""

    name: str  # the JSON key and the API field
    type: type
    value: Callable[[Cell], Any]  # its published value (for a visible cell)
    label: str = ""  # the Swedish column label in exports
    measure: str = NOMINAL  # SPSS measurement level of its export column
    column: str | None = ""  # its export column: "" = its name, None = not a column of its own
    hidden: bool = True  # None when the cell is suppressed (hidden=False: always has a value)
    parts: Sequence[CellField] = ()  # the fields of a nested value (momentum), each maybe a column

    @property
    def column_name(self) -> str | None:
        return self.name if self.column == "" else self.column


def _summary(attribute: str, *, digits: int | None = 3) -> Callable[[Cell], Any]:
    def value(cell: Cell) -> Any:
        if cell.summary is None:
            return None
        found = getattr(cell.summary, attribute)
        return found if digits is None else rounded(found, digits)

    return value


def _momentum(attribute: str) -> Callable[[Cell], Any]:
    def value(cell: Cell) -> Any:
        found = getattr(cell.momentum, attribute)
        return rounded(found) if isinstance(found, float) else found

    return value


MOMENTUM_FIELDS: tuple[CellField, ...] = (
    CellField("previous_mean", float, lambda cell: rounded(cell.previous_mean), column=None),
    CellField("difference", float, _momentum("difference"), "Förflyttning sedan förra omgången", SCALE, "momentum"),
    CellField("ci_low", float, _momentum("ci_low"), "Förflyttning, 95 % KI nedre", SCALE, "momentum_ci_low"),
    CellField("ci_high", float, _momentum("ci_high"), "Förflyttning, 95 % KI övre", SCALE, "momentum_ci_high"),
    CellField("detectable", bool, _momentum("detectable"), "Säkerställd förflyttning", NOMINAL,
              "momentum_detectable", hidden=False),
)  # fmt: skip


def _momentum_value(cell: Cell) -> dict[str, Any] | None:
    if cell.momentum is None:
        return None
    return {part.name: part.value(cell) for part in MOMENTUM_FIELDS}


# In the order of the export columns.
CELL_FIELDS: tuple[CellField, ...] = (
    CellField("group", str, lambda cell: cell.group, "Respondentgrupp", hidden=False),
    # The group's Swedish label: in sheets it is the value of the group column (its code beside it).
    CellField("group_label", str, lambda cell: cell.label, column=None, hidden=False),
    CellField("suppressed", bool, lambda cell: cell.suppressed, "Dold (för få svar)", hidden=False),
    CellField("n", int, lambda cell: cell.n, "Antal svar utom vet ej", SCALE),
    CellField("dont_know", int, lambda cell: cell.dont_know, "Antal vet ej", SCALE),
    CellField("mean", float, _summary("mean"), "Medelvärde", SCALE),
    CellField("ci_low", float, _summary("ci_low"), "95 % KI, nedre", SCALE),
    CellField("ci_high", float, _summary("ci_high"), "95 % KI, övre", SCALE),
    CellField("median", float, _summary("median", digits=None), "Median", SCALE),
    CellField("ring", int, _summary("ring", digits=None), "Ring (1–3)", ORDINAL),
    CellField("share_ring_1", float, _summary("share_ring_1"), "Andel ring 1", SCALE),
    CellField("share_ring_2", float, _summary("share_ring_2"), "Andel ring 2", SCALE),
    CellField("share_ring_3", float, _summary("share_ring_3"), "Andel ring 3", SCALE),
    CellField("disagreement", bool, _summary("disagreement", digits=None), "Oenighet"),
    CellField("momentum", dict, _momentum_value, column=None, parts=MOMENTUM_FIELDS),
    CellField("target_mean", float, lambda cell: rounded(cell.target_mean), "Mål om två år, medelvärde", SCALE),
    CellField("target_n", int, lambda cell: cell.target_n, "Antal svar om mål", SCALE),
    CellField("gap", float, lambda cell: rounded(cell.gap), "Gap till mål", SCALE),
)


def api_fields(fields: Sequence[CellField], nested: dict[str, Any]) -> dict[str, Any]:
    """Pydantic field definitions (for ninja's create_schema): nullable where a value can be withheld."""
    out: dict[str, Any] = {}
    for spec in fields:
        kind: Any = nested[spec.name] if spec.parts else spec.type
        out[spec.name] = (kind | None if spec.hidden else kind, ...)
    return out


def cell_columns() -> list[CellField]:
    """The fields that are export columns, nested ones (momentum's) in their place."""
    out: list[CellField] = []
    for spec in CELL_FIELDS:
        if spec.column_name is not None:
            out.append(spec)
        out.extend(part for part in spec.parts if part.column_name is not None)
    return out


def cell_payload(cell: Cell) -> dict[str, Any]:
    """One level × group in the published form (export_results JSON, API, CSV/XLSX/SAV rows)."""
    return {spec.name: None if spec.hidden and cell.suppressed else spec.value(cell) for spec in CELL_FIELDS}


def results_payload(results: CampaignResults) -> dict[str, Any]:
    """The whole published result of a campaign as plain data; suppressed cells carry no figures."""
    campaign = results.campaign
    return {
        "campaign": {
            "id": campaign.pk,
            "name": campaign.name,
            "instrument": str(campaign.instrument),
            "opens_on": campaign.opens_on.isoformat(),
            "closes_on": campaign.closes_on.isoformat(),
            "previous": campaign.previous.name if campaign.previous else None,
            "min_group_size": results.min_group_size,
        },
        "responses": None if results.total_suppressed else results.total_responses,
        "groups": [
            {"group": g.group, "group_label": g.label, "suppressed": g.suppressed, "n": None if g.suppressed else g.n}
            for g in results.groups
        ],
        "levels": [
            {
                "level": level.level,
                "label": level.label,
                "groups": [cell_payload(c) for c in [*level.rows, level.total]],
            }
            for level in results.levels
        ],
        "hallmarks": [
            {
                "hallmark": h.hallmark,
                "label": h.label,
                "alpha": rounded(h.alpha),
                "alpha_n": h.alpha_n or None,
                "groups": [
                    {
                        "group": c.group,
                        "group_label": c.label,
                        "suppressed": c.suppressed,
                        "n": None if c.suppressed else c.n,
                        "mean": None if c.suppressed else rounded(c.mean, 1),
                        "ci_low": None if c.suppressed else rounded(c.ci_low, 1),
                        "ci_high": None if c.suppressed else rounded(c.ci_high, 1),
                    }
                    for c in [*h.rows, h.total]
                ],
            }
            for h in results.hallmarks
        ],
        "items": [
            {"code": i.code, "text": i.text, "groups": [cell_payload(c) for c in [*i.rows, i.total]]}
            for i in results.items
        ],
    }
