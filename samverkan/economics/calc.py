"""Socioeconomic evaluation of a scenario: who invests, who gains, and how sure we are (issue 12).

Pure (no Django; numpy). The scenario format and its validation are in scenario_format.py
(re-exported here); docs/economics-scenario.md documents both with a worked example.

Rules (PRODUCT.md "Socioeconomic rules"):

- Years run 1..horizon; a flow in year y is discounted by (1 + r)^-(y-1). Amounts are already
  converted to the scenario's price year by the parser (KPI ratio).
- An outcome in year y is worth persons × amount_per_person_year × (1 − deadweight) ×
  (1 − decay)^(y − start_year), for start_year ≤ y ≤ end_year (1 and the horizon by default,
  so the exponent is y − 1). A transfer is a gain to its payer and the same loss to its
  receiver, so transfers net to zero for the total; a real resource is a gain to its actor.
- The coordination association (samordningsförbundet) is a pass-through: its flows are split
  among its financiers by pool_split, so it never appears in a result.
- Per actor and for the total: cost (PV of its investments), gain (PV of its outcome gains, may
  be negative), npv = gain − cost, return_ratio = gain / cost (None when cost is 0) and
  payback_months: each year's discounted net spread evenly over its 12 months, the first whole
  month at whose end the cumulative net is ≥ 0 and from which on it stays ≥ 0 through the horizon,
  not before the first year with a cost (None if it is negative at the horizon, or when the actor
  has no cost).
- Ranges (triangular or PERT with λ = 4) drive a vectorised Monte Carlo (percentiles of npv
  and return, and P(return > 1)) and a tornado (total npv with one input at its low and its
  high, the others at their mode). The deterministic result uses every range's mode.

One vectorised core (`_flows`) computes every result: the deterministic one is its single row
at the modes, so the Monte Carlo with collapsed ranges equals it exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .scenario_format import (
    ACTORS,
    DEFAULT_MESSAGES,
    DEFAULT_POOL_SPLIT,
    RESULT_ACTORS,
    SAMORDNINGSFORBUND,
    TOTAL,
    Investment,
    Outcome,
    Quantity,
    Scenario,
    ScenarioError,
    parse_scenario,
)

__all__ = [
    "ACTORS",
    "DEFAULT_MESSAGES",
    "DEFAULT_POOL_SPLIT",
    "INPUT_LABELS",
    "MONTE_CARLO_FIELDS",
    "RESULT_ACTORS",
    "TOTAL",
    "Investment",
    "Outcome",
    "Quantity",
    "Scenario",
    "ScenarioError",
    "TornadoBar",
    "calculate",
    "evaluate",
    "has_ranges",
    "input_label_key",
    "parse_scenario",
    "simulate",
    "tornado",
]

Array = npt.NDArray[np.float64]

MONTE_CARLO_FIELDS = (
    "npv_p5",
    "npv_p50",
    "npv_p95",
    "return_ratio_p5",
    "return_ratio_p50",
    "return_ratio_p95",
    "p_return_above_1",
)
PERT_LAMBDA = 4.0
# The Monte Carlo draws and computes this many draws at a time, every range in document order within a chunk
# (so a seed's result is fixed by this constant too).
CHUNK = 20_000
# A cost below half an öre shows as 0 kr and has no return (gain / cost would be absurd or overflow).
MIN_COST = 0.005
# A cumulative net this close to zero counts as paid back (floating-point noise, in kronor).
PAYBACK_TOLERANCE = 1e-6

# The actors' Swedish names as in actors.py (whose gettext names messages.input_label uses; a test keeps them equal).
_ACTOR_NAMES = {
    "kommun": "Kommunen",
    "region": "Regionen",
    "forsakringskassan": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen",
    "staten": "Staten",
    "individen": "Individen",
    "samhallet": "Samhället i övrigt",
    "samordningsforbund": "Samordningsförbundet",
}


@dataclass(frozen=True)
class TornadoBar:
    """The total npv with one input at its low and at its high, the others at their mode."""

    field: str  # the input's JSON path, e.g. "outcomes[1].persons"
    name: str  # a Swedish label, e.g. "Försörjningsstöd: antal personer"
    npv_low: float
    npv_high: float
    swing: float  # |npv_high − npv_low|
    low: float  # the input's low and high
    high: float


def _money(value: float) -> float:
    return round(float(value), 2) + 0.0  # + 0.0: no "-0.0" in the output


def _ratio(value: float | None) -> float | None:
    return None if value is None else round(float(value), 4) + 0.0


def _row(value: float | Array) -> Array:
    """A value as a row of draws: (1,) for a number, (n,) for n draws; broadcasts against (n,)."""
    return np.asarray(value, dtype=np.float64).reshape(-1)


def _bearers(actor: str, scenario: Scenario) -> list[tuple[int, float]]:
    """The result actors (index, share) that carry an actor's flows: the association's go to its financiers."""
    if actor == SAMORDNINGSFORBUND:
        return [(RESULT_ACTORS.index(a), share) for a, share in scenario.pool_split]
    return [(RESULT_ACTORS.index(actor), 1.0)]


def _powers(base: Array, horizon: int) -> Array:
    """base^0, base^1, …, base^(horizon − 1): (horizon, rows), by repeated multiplication of contiguous rows."""
    powers = np.empty((horizon, base.shape[0]))
    powers[0] = 1.0
    for k in range(1, horizon):
        np.multiply(powers[k - 1], base, out=powers[k])
    return powers


def _flows(
    scenario: Scenario,
    values: Mapping[str, Array],
    n: int,
    horizon: int,
    *,
    by_year: bool,
    items: dict[str, Array] | None = None,
) -> tuple[Array, Array]:
    """Discounted cost and gain per result actor: (actors, horizon, n) by year, else (actors, n).

    `values` gives n draws of some inputs by field path; every other input is at its mode. An
    input is a row of n values when drawn and of one when fixed, and broadcasts. `items`, if
    given, receives each investment's and outcome's own discounted value by its field path.
    """

    def value(q: Quantity) -> Array:
        return _row(values.get(q.field, q.mode))

    shape = (len(RESULT_ACTORS), horizon, n) if by_year else (len(RESULT_ACTORS), n)
    cost = np.zeros(shape)
    gain = np.zeros(shape)
    discount = _powers(1.0 / (1.0 + value(scenario.discount_rate)), horizon)  # (1 + r)^-(y-1): (horizon, 1 or n)
    decays: dict[str, Array] = {}
    weights: dict[tuple[str, int, int], Array] = {}

    def year_weights(decay: Quantity, start: int, end: int) -> Array:
        """Discount × (1 − decay)^(y − start) over start..end, 0 elsewhere: (horizon, rows), else summed (rows,).

        Shared by every outcome with the same decay and years, so a Monte Carlo computes it once.
        """
        key = (decay.field, start, end)
        if key not in weights:
            if decay.field not in decays:
                decays[decay.field] = _powers(1.0 - value(decay), horizon)
            remaining = decays[decay.field]
            shifted = np.zeros((horizon, max(remaining.shape[1], discount.shape[1])))
            shifted[start - 1 : end] = remaining[: end - start + 1] * discount[start - 1 : end]
            weights[key] = shifted if by_year else shifted.sum(axis=0)
        return weights[key]

    def add(target: Array, actor: str, flows: Array) -> None:
        for index, share in _bearers(actor, scenario):
            target[index] += flows * share if share != 1.0 else flows

    for investment in scenario.investments:
        if investment.year > horizon:
            continue
        year = investment.year - 1
        present = value(investment.amount) * (investment.price_factor * discount[year])  # (rows,)
        if by_year:
            placed = np.zeros((horizon, present.shape[0]))
            placed[year] = present
            present = placed
        add(cost, investment.actor, present)
        if items is not None:
            items[investment.field] = present

    for outcome in scenario.outcomes:
        if outcome.start_year > horizon:
            continue
        deadweight = value(outcome.deadweight if outcome.deadweight is not None else scenario.deadweight)
        decay = outcome.decay if outcome.decay is not None else scenario.decay
        yearly = value(outcome.persons) * value(outcome.amount_per_person_year)
        yearly = yearly * (outcome.price_factor * (1.0 - deadweight))  # (rows,)
        flows = yearly * year_weights(decay, outcome.start_year, min(outcome.end_year, horizon))
        if items is not None:
            items[outcome.field] = flows
        if outcome.kind == "transfer":
            assert outcome.payer is not None and outcome.receiver is not None
            add(gain, outcome.payer, flows)
            add(gain, outcome.receiver, -flows)
        else:
            assert outcome.actor is not None
            add(gain, outcome.actor, flows)
    return cost, gain


def _with_total(rows: Array) -> Array:
    """The actors' rows and their sum as a last row, added in actor order (the same arithmetic everywhere)."""
    total = rows[0].copy()
    for row in rows[1:]:
        total += row
    return np.vstack([rows, total[np.newaxis]])


def _payback_months(nets: list[float], costs: list[float]) -> int | None:
    """The first whole month from whose end on the cumulative net stays ≥ 0 through the horizon.

    Each year's net is spread evenly over its 12 months, so the cumulative is linear within a year
    and month ends are the only points to check. Not before the first year with a cost (nothing is
    paid back before anything was spent). None if the cumulative is still negative at the horizon.
    """
    first_cost = next((year for year, cost in enumerate(costs) if cost > 0), 0)
    cumulative = 0.0
    last_negative = 0  # the last month (1-based) whose end is below 0; 0: none
    for year, net in enumerate(nets):
        for month in range(1, 13):
            if cumulative + net * month / 12 < -PAYBACK_TOLERANCE:
                last_negative = year * 12 + month
        cumulative += net
    if last_negative == 12 * len(nets):
        return None
    return max(last_negative + 1, 12 * first_cost + 1)


def _payback(net: Array, cost: Array) -> int | None:
    return _payback_months([float(x) for x in net], [float(x) for x in cost])


def _horizon(scenario: Scenario, horizon_years: int | None) -> int:
    if horizon_years is None:
        return scenario.horizon_years
    if isinstance(horizon_years, bool) or not isinstance(horizon_years, int):
        raise ScenarioError("horizon_years", "not_an_integer")
    if not 1 <= horizon_years <= scenario.horizon_years:
        raise ScenarioError("horizon_years", "out_of_range", {"min": 1, "max": scenario.horizon_years})
    return horizon_years


def evaluate(scenario: Scenario, *, horizon_years: int | None = None) -> dict[str, Any]:
    """The deterministic result (every range at its mode), over the first `horizon_years` years.

    {"actors": {actor: {"cost", "gain", "npv", "return_ratio", "payback_months"}, …, "totalt": …},
     "years": [{"year": 1, "actors": {actor: {"cost", "gain", "net", "cumulative_net"}, …}}, …],
     "items": [{"field", "kind", "name", "actor", ["payer", "receiver"], "present_value"}, …]}
    Every result actor is listed (the association's flows are split among its financiers). An
    item's present value is its own over the horizon: an investment's cost, a real outcome's gain
    to its actor, a transfer's gain to its payer (and loss to its receiver); `actor` is who gains
    it (or invests it), the association's before its split.
    """
    horizon = _horizon(scenario, horizon_years)
    names = (*RESULT_ACTORS, TOTAL)
    by_year = [_with_total(flows[:, :, 0]) for flows in _flows(scenario, {}, 1, horizon, by_year=True)]
    cost, gain = by_year  # (actors + total, horizon)
    net = gain - cost
    cumulative = np.cumsum(net, axis=1)
    # The totals by the Monte Carlo's own arithmetic (one draw at the modes), so the two agree exactly.
    items: dict[str, Array] = {}
    totals = _flows(scenario, {}, 1, horizon, by_year=False, items=items)
    total_cost, total_gain = (_with_total(flows)[:, 0] for flows in totals)
    actors: dict[str, dict[str, Any]] = {}
    for i, name in enumerate(names):
        has_cost = bool(total_cost[i] >= MIN_COST)
        actors[name] = {
            "cost": _money(total_cost[i]),
            "gain": _money(total_gain[i]),
            "npv": _money(total_gain[i] - total_cost[i]),
            "return_ratio": _ratio(total_gain[i] / total_cost[i]) if has_cost else None,
            "payback_months": _payback(net[i], cost[i]) if has_cost else None,
        }
    years = [
        {
            "year": y + 1,
            "actors": {
                name: {
                    "cost": _money(cost[i, y]),
                    "gain": _money(gain[i, y]),
                    "net": _money(net[i, y]),
                    "cumulative_net": _money(cumulative[i, y]),
                }
                for i, name in enumerate(names)
            },
        }
        for y in range(horizon)
    ]
    return {"actors": actors, "years": years, "items": _items(scenario, items)}


def _items(scenario: Scenario, values: Mapping[str, Array]) -> list[dict[str, Any]]:
    """Each investment's and outcome's own present value over the horizon, in document order."""
    found: list[dict[str, Any]] = []
    for investment in scenario.investments:
        found.append(
            {
                "field": investment.field,
                "kind": "investment",
                "name": _label(scenario, investment.field),
                "actor": investment.actor,
                "present_value": _money(values[investment.field][0]) if investment.field in values else 0.0,
            }
        )
    for outcome in scenario.outcomes:
        parties = {"payer": outcome.payer, "receiver": outcome.receiver} if outcome.kind == "transfer" else {}
        found.append(
            {
                "field": outcome.field,
                "kind": outcome.kind,
                "name": outcome.name,
                "actor": outcome.actor if outcome.kind == "real" else outcome.payer,
                **parties,
                "present_value": _money(values[outcome.field][0]) if outcome.field in values else 0.0,
            }
        )
    return found


def has_ranges(scenario: Scenario) -> bool:
    """Whether any input is given as a range (then the Monte Carlo and the tornado mean something)."""
    return any(q.is_range for q in scenario.quantities())


def _draw(q: Quantity, rng: np.random.Generator, n: int) -> Array:
    if q.low == q.high:
        return np.full(n, q.mode)
    if q.distribution == "triangular":
        return rng.triangular(q.low, q.mode, q.high, n)
    width = q.high - q.low
    alpha = 1.0 + PERT_LAMBDA * (q.mode - q.low) / width
    beta = 1.0 + PERT_LAMBDA * (q.high - q.mode) / width
    return q.low + width * rng.beta(alpha, beta, n)


def simulate(scenario: Scenario) -> dict[str, dict[str, float | None]]:
    """Monte Carlo over the ranges ("draws" draws, seeded with "seed"): percentiles per actor and the total.

    Per actor: npv_p5, npv_p50, npv_p95, return_ratio_p5/_p50/_p95 and p_return_above_1, the return
    fields None when the actor's cost is 0 in every draw (over the draws with a cost otherwise).
    """
    n = scenario.draws
    rng = np.random.default_rng(scenario.seed)
    ranged = [q for q in scenario.quantities() if q.is_range]
    parts = []
    for start in range(0, n, CHUNK):  # memory bounded by CHUNK draws of every range
        size = min(CHUNK, n - start)
        values = {q.field: _draw(q, rng, size) for q in ranged}
        parts.append(_flows(scenario, values, size, scenario.horizon_years, by_year=False))
    cost = _with_total(np.hstack([c for c, _ in parts]))  # (actors + total, n)
    gain = _with_total(np.hstack([g for _, g in parts]))
    names = (*RESULT_ACTORS, TOTAL)
    # The return over the draws with a cost; None without any. One percentile call for every row.
    paying = cost >= MIN_COST
    always = [i for i in range(len(names)) if paying[i].all()]
    rows = np.vstack([gain - cost, gain[always] / cost[always]])
    percentiles = np.percentile(rows, [5, 50, 95], axis=1)  # (3, rows)
    ratios: dict[int, tuple[float, float, float, float]] = {}
    for k, i in enumerate(always):
        p5, p50, p95 = percentiles[:, len(names) + k]
        ratios[i] = (p5, p50, p95, float(np.count_nonzero(rows[len(names) + k] > 1.0)) / n)
    for i in range(len(names)):
        if i not in ratios and paying[i].any():
            ratio = gain[i, paying[i]] / cost[i, paying[i]]
            p5, p50, p95 = np.percentile(ratio, [5, 50, 95])
            ratios[i] = (p5, p50, p95, float(np.count_nonzero(ratio > 1.0)) / ratio.shape[0])
    result: dict[str, dict[str, float | None]] = {}
    for i, name in enumerate(names):
        fields: dict[str, float | None] = {
            "npv_p5": _money(percentiles[0, i]),
            "npv_p50": _money(percentiles[1, i]),
            "npv_p95": _money(percentiles[2, i]),
        }
        if i in ratios:
            r5, r50, r95, above = ratios[i]
            fields |= {
                "return_ratio_p5": _ratio(r5),
                "return_ratio_p50": _ratio(r50),
                "return_ratio_p95": _ratio(r95),
                "p_return_above_1": _ratio(above),
            }
        else:
            fields |= dict.fromkeys(MONTE_CARLO_FIELDS[3:])
        result[name] = fields
    return result


# The tornado's and the items' names, by key; messages.py holds the same texts under gettext (a test keeps them equal).
INPUT_LABELS: Mapping[str, str] = {
    "discount_rate": "Diskonteringsränta",
    "deadweight": "Dödvikt",
    "decay": "Avtagande effekt per år",
    "investment": "Investering år %(year)s",
    "investment_amount": "Investering år %(year)s (%(actor)s)",
    "outcome_amount_per_person_year": "%(name)s: belopp per person och år",
    "outcome_persons": "%(name)s: antal personer",
    "outcome_deadweight": "%(name)s: dödvikt",
    "outcome_decay": "%(name)s: avtagande effekt per år",
}


def input_label_key(scenario: Scenario, field: str) -> tuple[str, dict[str, Any]]:
    """The INPUT_LABELS key and parameters naming a field ("actor" is a code, for the caller to name)."""
    if field in ("discount_rate", "deadweight", "decay"):
        return field, {}
    item, _, key = field.partition(".")
    index = int(item[item.index("[") + 1 : -1])
    if item.startswith("investments"):
        investment = scenario.investments[index]
        params: dict[str, Any] = {"year": investment.year, "actor": investment.actor}
        return ("investment_amount" if key else "investment"), params
    return f"outcome_{key}", {"name": scenario.outcomes[index].name}


def _label(scenario: Scenario, field: str) -> str:
    """A Swedish name for an input field of the scenario (or for an investment)."""
    key, params = input_label_key(scenario, field)
    if "actor" in params:
        params["actor"] = _ACTOR_NAMES[params["actor"]]
    return INPUT_LABELS[key] % params


RATE_FIELDS = ("discount_rate", "deadweight", "decay")


def tornado(scenario: Scenario, *, spread: float | None = None) -> list[TornadoBar]:
    """For every uncertain input, the total npv at its low and its high (others at mode), largest swing first.

    With `spread` (0 < spread < 1, e.g. 0.2), every input given as a plain number other than 0 is
    also varied by ± that share of its value (a rate's high kept below 1).
    """
    inputs = [q for q in scenario.quantities() if q.uncertain]
    if spread is not None:
        if not 0 < spread < 1:
            raise ValueError("spread must be between 0 and 1")
        for q in scenario.quantities():
            if not q.is_range and q.mode != 0:
                high = q.mode * (1 + spread)
                if q.field.rpartition(".")[2] in RATE_FIELDS:
                    high = min(high, 1 - 1e-9)
                inputs.append(replace(q, low=q.mode * (1 - spread), high=high))
    if not inputs:
        return []
    n = 2 * len(inputs)
    values: dict[str, Array] = {}
    for i, q in enumerate(inputs):
        column = np.full(n, q.mode)
        column[2 * i], column[2 * i + 1] = q.low, q.high
        values[q.field] = column
    cost, gain = _flows(scenario, values, n, scenario.horizon_years, by_year=False)
    npv = _with_total(gain)[-1] - _with_total(cost)[-1]
    bars = [
        TornadoBar(
            field=q.field,
            name=_label(scenario, q.field),
            npv_low=_money(npv[2 * i]),
            npv_high=_money(npv[2 * i + 1]),
            swing=_money(abs(npv[2 * i + 1] - npv[2 * i])),
            low=q.low,
            high=q.high,
        )
        for i, q in enumerate(inputs)
    ]
    return sorted(bars, key=lambda bar: -bar.swing)


def calculate(scenario: Scenario) -> dict[str, Any]:
    """evaluate() with the Monte Carlo fields merged into each actor when there are ranges, and the tornado.

    Also "scenario" (name, price year, horizon, discount rate, participants) and, with ranges,
    "monte_carlo" ({"draws", "seed"}). This is what the command and the API return.
    """
    result = evaluate(scenario)
    ranged = has_ranges(scenario)
    if ranged:
        for actor, fields in simulate(scenario).items():
            result["actors"][actor].update(fields)
    result["tornado"] = [asdict(bar) for bar in tornado(scenario)] if ranged else []
    result["scenario"] = {
        "name": scenario.name,
        "price_year": scenario.price_year,
        "horizon_years": scenario.horizon_years,
        "discount_rate": scenario.discount_rate.mode,
        "participants": scenario.participants,
    }
    if ranged:
        result["monte_carlo"] = {"draws": scenario.draws, "seed": scenario.seed}
    return result
