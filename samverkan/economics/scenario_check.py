"""Every bad field of a scenario object, not only the first (pure: no Django).

The calculation's parser (`scenario_format.parse_scenario`) stops at the first malformed field; an upload or a
builder should name them all at once. This module asks the same parser again and again: the top-level fields
first, then each investment and each outcome on its own, and after each refusal it puts a harmless stand-in
where the bad value was and asks again, until the parser is satisfied. So the parser stays the one judge
of what a scenario may hold, and the person sees every problem in one round.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from .scenario_format import MAX_HORIZON_YEARS, ScenarioError, parse_scenario

MAX_ROUNDS = 40  # stand-ins per part; a part with more problems than this reports the first 40
# What the parser surely accepts in a field's place (the rest of the part is judged with it).
STAND_INS: Mapping[str, Any] = {
    "name": "x",
    "description": "",
    "price_year": None,  # the scenario's own price year, filled in below
    "discount_rate": 0.0,
    "horizon_years": None,
    "participants": 1,
    "deadweight": 0.0,
    "decay": 0.0,
    "draws": 1,
    "seed": 1,
    "actor": "kommun",
    "year": 1,
    "amount": 0,
    "amount_per_person_year": 0,
    "persons": 0,
    "start_year": 1,
    "end_year": 1,
    "source": "",
}
LIST_KEYS = ("investments", "outcomes")
_INDEX = re.compile(r"^(investments|outcomes)\[(\d+)\]")


def _top_key(field: str) -> str:
    return re.split(r"[.\[]", field, maxsplit=1)[0]


def _replace(part: dict[str, Any], field: str, price_year: int, horizon: int) -> bool:
    """Puts a stand-in where `field` (relative to `part`) was; False when nothing sensible can be put there."""
    key = _top_key(field)
    if not key or (key not in part and field.split(".")[0] != key):
        return False
    if key == "kpi":
        part.pop("kpi", None)
        return True
    if key == "pool_split":
        part.pop("pool_split", None)
        return True
    if key not in STAND_INS:
        # An unknown field, or a key with no stand-in: leave it out.
        if key in part:
            part.pop(key)
            return True
        return False
    if key in ("payer", "receiver"):
        return False
    stand_in = STAND_INS[key]
    if key == "price_year":
        stand_in = price_year
    elif key == "horizon_years":
        stand_in = horizon
    part[key] = stand_in
    return True


def _transfer_fix(item: dict[str, Any], field: str) -> bool:
    """A transfer's payer or receiver: two different known actors stand in."""
    key = field.split(".")[-1]
    if key == "payer":
        item["payer"] = "kommun" if item.get("receiver") != "kommun" else "region"
        return True
    if key == "receiver":
        item["receiver"] = "individen" if item.get("payer") != "individen" else "kommun"
        return True
    return False


def _collect(
    attempt: Callable[[], object], fix: Callable[[ScenarioError], bool], rename: Callable[[str], str]
) -> list[ScenarioError]:
    found: list[ScenarioError] = []
    seen: set[tuple[str, str]] = set()
    for _round in range(MAX_ROUNDS):
        try:
            attempt()
        except ScenarioError as error:
            renamed = ScenarioError(rename(error.field), error.code, error.params)
            if (renamed.field, renamed.code) in seen:
                break
            seen.add((renamed.field, renamed.code))
            found.append(renamed)
            if not fix(error):
                break
        else:
            break
    return found


def scenario_errors(data: Any, *, kpi_table: Mapping[int, float] | None = None) -> list[ScenarioError]:
    """Every malformed field of `data` as the parser names it (JSON path, code, params); [] when it parses."""
    if not isinstance(data, Mapping):
        return [ScenarioError("", "not_an_object")]
    top: dict[str, Any] = {k: copy.deepcopy(v) for k, v in data.items() if k not in LIST_KEYS}
    lists = {k: data.get(k) for k in LIST_KEYS if k in data}
    errors: list[ScenarioError] = []

    def fix_top(error: ScenarioError) -> bool:
        if _top_key(error.field) in LIST_KEYS:
            return False
        if error.field == "" and error.code == "required":
            return False
        if error.field == "price_year" and error.code == "kpi_missing":
            # The scenario's price year has no KPI: the items' own price years are then judged against themselves.
            top.pop("kpi", None)
            return False
        return _replace(top, error.field, 2000, MAX_HORIZON_YEARS)

    errors += _collect(lambda: parse_scenario(top, kpi_table=kpi_table), fix_top, lambda f: f)
    if any(e.field == "price_year" for e in errors):
        top["price_year"] = None
    for key in LIST_KEYS:
        items = lists.get(key)
        if key not in lists:
            continue
        if not isinstance(items, list):
            errors.append(ScenarioError(key, "not_a_list"))
            continue
        try:
            parse_scenario({**_clean_top(top), key: items[:0]}, kpi_table=kpi_table)
        except ScenarioError:
            continue  # the top level cannot be judged with any stand-in: its errors are reported already
        if len(items) > 500:
            errors.append(ScenarioError(key, "too_many", {"max": 500}))
            continue
        for index, raw in enumerate(items):
            errors += _item_errors(top, key, index, raw, kpi_table)
    if not errors:
        # What only the whole can show (the Monte Carlo's size against its draws, say): the parser's own word.
        try:
            parse_scenario(data, kpi_table=kpi_table)
        except ScenarioError as error:
            errors.append(error)
    return _unique(errors)


def _clean_top(top: dict[str, Any]) -> dict[str, Any]:
    """The top level with stand-ins for what could not be judged (price year, horizon)."""
    clean = dict(top)
    if clean.get("price_year") is None:
        clean["price_year"] = 2000
        clean.pop("kpi", None)
    if "horizon_years" in clean and not isinstance(clean["horizon_years"], int):
        clean["horizon_years"] = MAX_HORIZON_YEARS
    return clean


def _item_errors(
    top: dict[str, Any], key: str, index: int, raw: Any, kpi_table: Mapping[int, float] | None
) -> list[ScenarioError]:
    item: Any = copy.deepcopy(raw)
    base = _clean_top(top)
    own_price_year = base["price_year"]
    if top.get("price_year") is None and isinstance(item, dict) and isinstance(item.get("price_year"), int):
        base["price_year"] = own_price_year = item["price_year"]
    prefix = f"{key}[{index}]"

    def rename(field: str) -> str:
        return _INDEX.sub(prefix, field, count=1)

    def fix(error: ScenarioError) -> bool:
        match = _INDEX.match(error.field)
        if not match or not isinstance(item, dict):
            return False
        rest = error.field[match.end() :].lstrip(".")
        if not rest:
            return False
        if error.code == "required" and rest in ("payer", "receiver"):
            return _transfer_fix(item, rest)
        if error.code == "same_payer_and_receiver":
            return _transfer_fix(item, "receiver")
        if rest.split(".")[0] in ("payer", "receiver"):
            if error.code == "unknown_field":
                item.pop(rest.split(".")[0], None)
                return True
            return _transfer_fix(item, rest.split(".")[0])
        if rest == "actor" and error.code == "unknown_field":
            item.pop("actor", None)
            return True
        if rest.split(".")[0] == "kind":
            item["kind"] = "real"
            item.pop("payer", None)
            item.pop("receiver", None)
            item.setdefault("actor", "kommun")
            return True
        if rest.split(".")[0] == "price_year" and error.code == "kpi_missing":
            item["price_year"] = own_price_year
            return True
        if error.code == "end_before_start":
            item["end_year"] = item.get("start_year", 1) if isinstance(item.get("start_year"), int) else 1
            return True
        return _replace(item, rest, own_price_year, MAX_HORIZON_YEARS)

    return _collect(lambda: parse_scenario({**base, key: [item]}, kpi_table=kpi_table), fix, rename)


def _unique(errors: list[ScenarioError]) -> list[ScenarioError]:
    seen: set[tuple[str, str]] = set()
    out = []
    for error in errors:
        if (error.field, error.code) not in seen:
            seen.add((error.field, error.code))
            out.append(error)
    return out
