"""The socioeconomic scenario format: parsing and validation into frozen dataclasses (issue 12).

Pure (no Django): the command, the API and the scenario pages all build the same JSON object
(docs/economics-scenario.md) and call `parse_scenario`; the calculation lives in calc.py.

Every malformed field raises `ScenarioError` with the field's JSON path
(`outcomes[1].amount_per_person_year`), a stable machine `code`, its `params` and a Swedish
default text. The Django layer translates by code (messages.py), so the English catalogue can
translate the same texts.

Amounts are converted to the scenario's price year here, once: each investment and outcome
carries `price_factor` = KPI[scenario price year] / KPI[its price year] (1 when the years are
equal, and then no KPI is needed). The scenario's own "kpi" overrides the `kpi_table` argument
year by year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KOMMUN = "kommun"
REGION = "region"
FORSAKRINGSKASSAN = "forsakringskassan"
ARBETSFORMEDLINGEN = "arbetsformedlingen"
STATEN = "staten"
INDIVIDEN = "individen"
SAMHALLET = "samhallet"
SAMORDNINGSFORBUND = "samordningsforbund"

# The same codes as economics.actors.Actor (a test keeps them equal).
ACTORS: tuple[str, ...] = (
    KOMMUN,
    REGION,
    FORSAKRINGSKASSAN,
    ARBETSFORMEDLINGEN,
    STATEN,
    INDIVIDEN,
    SAMHALLET,
    SAMORDNINGSFORBUND,
)
# The association is a pass-through of its financiers: its flows are split by pool_split, so it
# never appears in a result. These are the actors a result lists, before TOTAL.
RESULT_ACTORS: tuple[str, ...] = tuple(a for a in ACTORS if a != SAMORDNINGSFORBUND)
TOTAL = "totalt"
# Finsam (lag 2003:1210): the state's half through Försäkringskassan, region and municipalities a quarter each.
DEFAULT_POOL_SPLIT: Mapping[str, float] = {FORSAKRINGSKASSAN: 0.5, REGION: 0.25, KOMMUN: 0.25}

DEFAULT_DISCOUNT_RATE = 0.035
DEFAULT_HORIZON_YEARS = 5
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 1
MAX_HORIZON_YEARS = 50
MAX_DRAWS = 200_000
MAX_ITEMS = 500
MAX_AMOUNT = 1e12
# The Monte Carlo's work, draws × (items + 1) × max(horizon, 10), is capped so one request stays within seconds.
MAX_WORK = 20_000_000
MIN_PRICE_YEAR, MAX_PRICE_YEAR = 1900, 2200
DISTRIBUTIONS = ("triangular", "pert")
KINDS = ("transfer", "real")

# Swedish default texts by code, %(name)s placeholders from the error's params and "field".
# messages.py holds the same msgids under gettext; a test keeps the two equal.
DEFAULT_MESSAGES: Mapping[str, str] = {
    "not_an_object": "%(field)s måste vara ett objekt med fält.",
    "not_a_list": "%(field)s måste vara en lista.",
    "required": "%(field)s saknas.",
    "unknown_field": "%(field)s är inget fält i scenarioformatet.",
    "not_a_number": "%(field)s måste vara ett tal.",
    "not_an_integer": "%(field)s måste vara ett heltal.",
    "not_a_text": "%(field)s måste vara en text.",
    "empty_text": "%(field)s får inte vara tomt.",
    "negative": "%(field)s får inte vara negativt.",
    "too_large": "%(field)s får vara högst %(max)s.",
    "out_of_range": "%(field)s måste vara mellan %(min)s och %(max)s.",
    "rate_out_of_range": "%(field)s måste vara minst 0 och mindre än 1.",
    "not_positive": "%(field)s måste vara större än 0.",
    "year_after_horizon": "%(field)s ligger efter tidshorisonten (år %(horizon)s).",
    "end_before_start": "%(field)s ligger före startåret.",
    "unknown_actor": "%(field)s: okänd aktör ”%(value)s”.",
    "unknown_kind": "%(field)s måste vara ”transfer” (omfördelning) eller ”real” (resurs).",
    "unknown_distribution": "%(field)s måste vara ”triangular” eller ”pert”.",
    "range_order": "%(field)s: intervallet måste uppfylla lägsta ≤ troligast ≤ högsta.",
    "range_not_allowed": "%(field)s kan inte vara ett intervall.",
    "same_payer_and_receiver": "%(field)s: betalare och mottagare måste vara olika aktörer.",
    "kpi_missing": "%(field)s: KPI saknas för år %(year)s.",
    "pool_split_sum": "%(field)s: andelarna måste summera till 1.",
    "pool_split_actor": "%(field)s: samordningsförbundet kan inte finansiera sig självt.",
    "too_many": "%(field)s får ha högst %(max)s poster.",
    "too_much_work": "%(field)s: för många dragningar för scenariots storlek (högst %(max)s).",
    "invalid_json": "Scenariot är inte giltig JSON (rad %(line)s, kolumn %(column)s).",
    "too_big": "Scenariot är för stort (högst %(max)s byte).",
}


class ScenarioError(ValueError):
    """A malformed scenario field: its JSON path, a stable code, parameters and a Swedish text."""

    def __init__(self, field: str, code: str, params: Mapping[str, Any] | None = None) -> None:
        self.field = field
        self.code = code
        self.params: dict[str, Any] = dict(params or {})
        super().__init__(self.default_message)

    @property
    def default_message(self) -> str:
        template = DEFAULT_MESSAGES.get(self.code, "%(field)s är felaktigt.")
        return template % {**self.params, "field": self.field or "Scenariot"}


@dataclass(frozen=True)
class Quantity:
    """A number, or a range around a most likely value (the mode is the deterministic value)."""

    field: str
    mode: float
    low: float
    high: float
    distribution: str | None = None  # None: a plain number

    @property
    def is_range(self) -> bool:
        return self.distribution is not None

    @property
    def uncertain(self) -> bool:
        return self.distribution is not None and self.low < self.high


@dataclass(frozen=True)
class Investment:
    field: str  # "investments[0]"
    actor: str
    year: int
    amount: Quantity
    price_year: int
    price_factor: float
    ref: Any = None


@dataclass(frozen=True)
class Outcome:
    field: str  # "outcomes[0]"
    name: str
    kind: str  # "transfer" | "real"
    amount_per_person_year: Quantity
    persons: Quantity
    price_year: int
    price_factor: float
    start_year: int
    end_year: int
    payer: str | None = None  # transfer
    receiver: str | None = None  # transfer
    actor: str | None = None  # real
    deadweight: Quantity | None = None  # None: the scenario's
    decay: Quantity | None = None  # None: the scenario's
    ref: Any = None


@dataclass(frozen=True)
class Scenario:
    name: str
    price_year: int
    discount_rate: Quantity
    horizon_years: int
    kpi: tuple[tuple[int, float], ...]  # the merged table used (table, then the scenario's own)
    pool_split: tuple[tuple[str, float], ...]
    participants: float | None
    investments: tuple[Investment, ...]
    outcomes: tuple[Outcome, ...]
    deadweight: Quantity
    decay: Quantity
    draws: int
    seed: int
    description: str = ""

    def quantities(self) -> tuple[Quantity, ...]:
        """Every number that may be a range, in document order (the Monte Carlo draws in this order)."""
        return _all_quantities(self.discount_rate, self.deadweight, self.decay, self.investments, self.outcomes)


def _all_quantities(
    discount: Quantity,
    deadweight: Quantity,
    decay: Quantity,
    investments: tuple[Investment, ...],
    outcomes: tuple[Outcome, ...],
) -> tuple[Quantity, ...]:
    found: list[Quantity] = [discount, deadweight, decay]
    found += [i.amount for i in investments]
    for o in outcomes:
        found += [o.amount_per_person_year, o.persons]
        found += [q for q in (o.deadweight, o.decay) if q is not None]
    return tuple(found)


SCENARIO_FIELDS = frozenset(
    {
        "name",
        "description",
        "price_year",
        "discount_rate",
        "horizon_years",
        "kpi",
        "pool_split",
        "participants",
        "investments",
        "outcomes",
        "deadweight",
        "decay",
        "draws",
        "seed",
        "ref",
    }
)
INVESTMENT_FIELDS = frozenset({"actor", "year", "amount", "price_year", "description", "source", "ref"})
OUTCOME_FIELDS = frozenset(
    {
        "name",
        "kind",
        "payer",
        "receiver",
        "actor",
        "amount_per_person_year",
        "price_year",
        "persons",
        "start_year",
        "end_year",
        "deadweight",
        "decay",
        "description",
        "source",
        "ref",
    }
)
RANGE_FIELDS = frozenset({"distribution", "low", "mode", "high"})


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def _object(value: Any, field: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ScenarioError(field, "not_an_object")
    for key in value:
        if not isinstance(key, str) or key not in allowed:
            raise ScenarioError(_path(field, str(key)), "unknown_field")
    return value


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(field, "not_a_number")
    number = float(value)
    if not math.isfinite(number):
        raise ScenarioError(field, "not_a_number")
    return number


def _integer(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, Mapping):
        raise ScenarioError(field, "range_not_allowed")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(field, "not_an_integer")
    if not low <= value <= high:
        raise ScenarioError(field, "out_of_range", {"min": low, "max": high})
    return value


def _text(value: Any, field: str, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise ScenarioError(field, "not_a_text")
    text = value.strip()
    if required and not text:
        raise ScenarioError(field, "empty_text")
    return text


def _check_bounds(number: float, field: str, bounds: str) -> None:
    if bounds == "amount":
        if number < 0:
            raise ScenarioError(field, "negative")
        if number > MAX_AMOUNT:
            raise ScenarioError(field, "too_large", {"max": f"{MAX_AMOUNT:.0e}"})
    elif bounds == "rate" and not 0 <= number < 1:
        raise ScenarioError(field, "rate_out_of_range")


def _quantity(value: Any, field: str, bounds: str) -> Quantity:
    """A number, or {"distribution", "low", "mode", "high"}; bounds: "amount" (≥ 0) or "rate" ([0, 1))."""
    if isinstance(value, Mapping):
        _object(value, field, RANGE_FIELDS)
        for key in ("distribution", "low", "mode", "high"):
            if key not in value:
                raise ScenarioError(_path(field, key), "required")
        distribution = value["distribution"]
        if distribution not in DISTRIBUTIONS:
            raise ScenarioError(_path(field, "distribution"), "unknown_distribution")
        low, mode, high = (_number(value[k], _path(field, k)) for k in ("low", "mode", "high"))
        for key, number in (("low", low), ("mode", mode), ("high", high)):
            _check_bounds(number, _path(field, key), bounds)
        if not low <= mode <= high:
            raise ScenarioError(field, "range_order")
        return Quantity(field, mode, low, high, str(distribution))
    number = _number(value, field)
    _check_bounds(number, field, bounds)
    return Quantity(field, number, number, number)


def _actor(value: Any, field: str) -> str:
    if not isinstance(value, str) or value not in ACTORS:
        raise ScenarioError(field, "unknown_actor", {"value": value if isinstance(value, str) else repr(value)})
    return value


def _kpi(data: Mapping[str, Any], kpi_table: Mapping[int, float] | None) -> dict[int, float]:
    table = {int(year): float(value) for year, value in (kpi_table or {}).items()}
    if "kpi" in data:
        own = data["kpi"]
        if not isinstance(own, Mapping):
            raise ScenarioError("kpi", "not_an_object")
        for key, value in own.items():
            field = f"kpi.{key}"
            try:
                year = int(str(key))
            except ValueError:
                raise ScenarioError(field, "not_an_integer") from None
            if not MIN_PRICE_YEAR <= year <= MAX_PRICE_YEAR:
                raise ScenarioError(field, "out_of_range", {"min": MIN_PRICE_YEAR, "max": MAX_PRICE_YEAR})
            number = _number(value, field)
            if number <= 0:
                raise ScenarioError(field, "not_positive")
            table[year] = number
    return table


class KpiYearMissing(LookupError):
    """The KPI table has no value for `year`."""

    def __init__(self, year: int) -> None:
        super().__init__(year)
        self.year = year


def kpi_factor(from_year: int, to_year: int, kpi: Mapping[int, float]) -> float:
    """KPI[to_year] / KPI[from_year]: what one krona in `from_year`'s prices is in `to_year`'s prices.

    The same year needs no table; a year the table lacks raises `KpiYearMissing` (the target year first).
    """
    if to_year == from_year:
        return 1.0
    for year in (to_year, from_year):
        if year not in kpi:
            raise KpiYearMissing(year)
    return kpi[to_year] / kpi[from_year]


def _price_factor(kpi: Mapping[int, float], to_year: int, from_year: int, field: str) -> float:
    try:
        return kpi_factor(from_year, to_year, kpi)
    except KpiYearMissing as missing:
        raise ScenarioError(
            "price_year" if missing.year == to_year else field, "kpi_missing", {"year": missing.year}
        ) from None


def _pool_split(data: Mapping[str, Any]) -> tuple[tuple[str, float], ...]:
    if "pool_split" not in data:
        return tuple(DEFAULT_POOL_SPLIT.items())
    split = data["pool_split"]
    if not isinstance(split, Mapping):
        raise ScenarioError("pool_split", "not_an_object")
    shares: list[tuple[str, float]] = []
    for key, value in split.items():
        field = f"pool_split.{key}"
        actor = _actor(key, field)
        if actor == SAMORDNINGSFORBUND:
            raise ScenarioError(field, "pool_split_actor")
        share = _number(value, field)
        if share < 0:
            raise ScenarioError(field, "negative")
        shares.append((actor, share))
    if abs(sum(s for _, s in shares) - 1.0) > 1e-9:
        raise ScenarioError("pool_split", "pool_split_sum")
    return tuple((a, s) for a, s in shares if s > 0)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise ScenarioError(key, "not_a_list")
    if len(items) > MAX_ITEMS:
        raise ScenarioError(key, "too_many", {"max": MAX_ITEMS})
    return items


def _item_price_year(item: Mapping[str, Any], field: str, default: int) -> int:
    if "price_year" not in item:
        return default
    return _integer(item["price_year"], _path(field, "price_year"), MIN_PRICE_YEAR, MAX_PRICE_YEAR)


def _investment(value: Any, field: str, *, horizon: int, price_year: int, kpi: Mapping[int, float]) -> Investment:
    item = _object(value, field, INVESTMENT_FIELDS)
    for key in ("actor", "year", "amount"):
        if key not in item:
            raise ScenarioError(_path(field, key), "required")
    actor = _actor(item["actor"], _path(field, "actor"))
    year = _integer(item["year"], _path(field, "year"), 1, MAX_HORIZON_YEARS)
    if year > horizon:
        raise ScenarioError(_path(field, "year"), "year_after_horizon", {"horizon": horizon})
    amount = _quantity(item["amount"], _path(field, "amount"), "amount")
    own_year = _item_price_year(item, field, price_year)
    factor = _price_factor(kpi, price_year, own_year, _path(field, "price_year"))
    return Investment(field, actor, year, amount, own_year, factor, item.get("ref"))


def _outcome(
    value: Any,
    field: str,
    *,
    horizon: int,
    price_year: int,
    kpi: Mapping[int, float],
    participants: float | None,
) -> Outcome:
    item = _object(value, field, OUTCOME_FIELDS)
    for key in ("name", "kind"):
        if key not in item:
            raise ScenarioError(_path(field, key), "required")
    name = _text(item["name"], _path(field, "name"))
    kind = item["kind"]
    if kind not in KINDS:
        raise ScenarioError(_path(field, "kind"), "unknown_kind")
    if "amount_per_person_year" not in item:
        raise ScenarioError(_path(field, "amount_per_person_year"), "required")
    payer = receiver = actor = None
    if kind == "transfer":
        for key in ("payer", "receiver"):
            if key not in item or item[key] in (None, ""):
                raise ScenarioError(_path(field, key), "required")
        if "actor" in item:
            raise ScenarioError(_path(field, "actor"), "unknown_field")
        payer = _actor(item["payer"], _path(field, "payer"))
        receiver = _actor(item["receiver"], _path(field, "receiver"))
        if payer == receiver:
            raise ScenarioError(_path(field, "receiver"), "same_payer_and_receiver")
    else:
        if "actor" not in item or item["actor"] in (None, ""):
            raise ScenarioError(_path(field, "actor"), "required")
        for key in ("payer", "receiver"):
            if key in item:
                raise ScenarioError(_path(field, key), "unknown_field")
        actor = _actor(item["actor"], _path(field, "actor"))
    amount = _quantity(item["amount_per_person_year"], _path(field, "amount_per_person_year"), "amount")
    if "persons" in item:
        persons = _quantity(item["persons"], _path(field, "persons"), "amount")
    elif participants is not None:
        persons = Quantity(_path(field, "persons"), participants, participants, participants)
    else:
        raise ScenarioError(_path(field, "persons"), "required")
    own_year = _item_price_year(item, field, price_year)
    factor = _price_factor(kpi, price_year, own_year, _path(field, "price_year"))
    start = _integer(item.get("start_year", 1), _path(field, "start_year"), 1, MAX_HORIZON_YEARS)
    if start > horizon:
        raise ScenarioError(_path(field, "start_year"), "year_after_horizon", {"horizon": horizon})
    end = _integer(item.get("end_year", horizon), _path(field, "end_year"), 1, MAX_HORIZON_YEARS)
    if end > horizon:
        raise ScenarioError(_path(field, "end_year"), "year_after_horizon", {"horizon": horizon})
    if end < start:
        raise ScenarioError(_path(field, "end_year"), "end_before_start")
    deadweight = _quantity(item["deadweight"], _path(field, "deadweight"), "rate") if "deadweight" in item else None
    decay = _quantity(item["decay"], _path(field, "decay"), "rate") if "decay" in item else None
    return Outcome(
        field,
        name,
        str(kind),
        amount,
        persons,
        own_year,
        factor,
        start,
        end,
        payer=payer,
        receiver=receiver,
        actor=actor,
        deadweight=deadweight,
        decay=decay,
        ref=item.get("ref"),
    )


def parse_scenario(data: Mapping[str, Any], *, kpi_table: Mapping[int, float] | None = None) -> Scenario:
    """The validated scenario; ScenarioError naming the first malformed field."""
    scenario = _object(data, "", SCENARIO_FIELDS)
    name = _text(scenario["name"], "name") if "name" in scenario else ""
    description = _text(scenario["description"], "description", required=False) if "description" in scenario else ""
    if "price_year" not in scenario:
        raise ScenarioError("price_year", "required")
    price_year = _integer(scenario["price_year"], "price_year", MIN_PRICE_YEAR, MAX_PRICE_YEAR)
    horizon = _integer(scenario.get("horizon_years", DEFAULT_HORIZON_YEARS), "horizon_years", 1, MAX_HORIZON_YEARS)
    discount = _quantity(scenario.get("discount_rate", DEFAULT_DISCOUNT_RATE), "discount_rate", "rate")
    deadweight = _quantity(scenario.get("deadweight", 0.0), "deadweight", "rate")
    decay = _quantity(scenario.get("decay", 0.0), "decay", "rate")
    draws = _integer(scenario.get("draws", DEFAULT_DRAWS), "draws", 1, MAX_DRAWS)
    seed = _integer(scenario.get("seed", DEFAULT_SEED), "seed", 0, 2**32 - 1)
    participants: float | None = None
    if scenario.get("participants") is not None:
        if isinstance(scenario["participants"], Mapping):
            raise ScenarioError("participants", "range_not_allowed")
        participants = _number(scenario["participants"], "participants")
        _check_bounds(participants, "participants", "amount")
    kpi = _kpi(scenario, kpi_table)
    pool_split = _pool_split(scenario)
    investments = tuple(
        _investment(item, f"investments[{i}]", horizon=horizon, price_year=price_year, kpi=kpi)
        for i, item in enumerate(_list(scenario, "investments"))
    )
    outcomes = tuple(
        _outcome(item, f"outcomes[{i}]", horizon=horizon, price_year=price_year, kpi=kpi, participants=participants)
        for i, item in enumerate(_list(scenario, "outcomes"))
    )
    if any(q.is_range for q in _all_quantities(discount, deadweight, decay, investments, outcomes)):
        weight = (1 + len(investments) + len(outcomes)) * max(horizon, 10)
        if draws * weight > MAX_WORK:
            raise ScenarioError("draws", "too_much_work", {"max": MAX_WORK // weight})
    return Scenario(
        name=name,
        price_year=price_year,
        discount_rate=discount,
        horizon_years=horizon,
        kpi=tuple(sorted(kpi.items())),
        pool_split=pool_split,
        participants=participants,
        investments=investments,
        outcomes=outcomes,
        deadweight=deadweight,
        decay=decay,
        draws=draws,
        seed=seed,
        description=description,
    )
