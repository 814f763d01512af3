"""The Monte Carlo and the tornado over a scenario's ranges, and properties that hold for any scenario."""

from __future__ import annotations

import copy
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samverkan.economics.calc import (
    MONTE_CARLO_FIELDS,
    RESULT_ACTORS,
    TOTAL,
    calculate,
    evaluate,
    has_ranges,
    parse_scenario,
    simulate,
    tornado,
)


def pert(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"distribution": "pert", "low": low, "mode": mode, "high": high}


def triangular(low: float, mode: float, high: float) -> dict[str, Any]:
    return {"distribution": "triangular", "low": low, "mode": mode, "high": high}


def example(**fields: Any) -> dict[str, Any]:
    """The brief's example scenario: the association invests, kommun saves a transfer, society gains."""
    base: dict[str, Any] = {
        "name": "Exempel",
        "price_year": 2025,
        "discount_rate": 0.035,
        "horizon_years": 5,
        "kpi": {"2022": 100.0, "2025": 110.0},
        "participants": 40,
        "investments": [
            {"actor": "samordningsforbund", "year": 1, "amount": 1_500_000, "price_year": 2025},
            {"actor": "kommun", "year": 2, "amount": 200_000},
        ],
        "outcomes": [
            {
                "name": "Minskat försörjningsstöd",
                "kind": "transfer",
                "payer": "kommun",
                "receiver": "individen",
                "amount_per_person_year": 120_000,
                "price_year": 2022,
                "persons": 10,
            },
            {
                "name": "Produktion i arbete",
                "kind": "real",
                "actor": "samhallet",
                "amount_per_person_year": 300_000,
                "price_year": 2025,
                "persons": 8,
            },
        ],
        "deadweight": 0.2,
        "decay": 0.1,
        "draws": 2_000,
        "seed": 1,
    }
    return base | fields


def with_ranges(make: Any = pert) -> dict[str, Any]:
    data = example()
    data["discount_rate"] = make(0.01, 0.035, 0.06)
    data["investments"][0]["amount"] = make(1_200_000, 1_500_000, 1_800_000)
    data["outcomes"][0]["persons"] = make(5, 10, 15)
    data["outcomes"][1]["amount_per_person_year"] = make(200_000, 300_000, 400_000)
    data["decay"] = make(0.0, 0.1, 0.2)
    return data


def collapse(data: dict[str, Any]) -> dict[str, Any]:
    """Every range in the scenario made low = mode = high."""
    if isinstance(data, dict):
        if "distribution" in data:
            return data | {"low": data["mode"], "high": data["mode"]}
        return {k: collapse(v) for k, v in data.items()}
    if isinstance(data, list):
        return [collapse(v) for v in data]
    return data


def test_the_monte_carlo_equals_the_deterministic_result_when_every_range_collapses() -> None:
    sc = parse_scenario(collapse(with_ranges()))
    assert has_ranges(sc)
    deterministic = evaluate(sc)["actors"]
    simulated = simulate(sc)
    for actor in (*RESULT_ACTORS, TOTAL):
        npv = deterministic[actor]["npv"]
        assert simulated[actor]["npv_p5"] == simulated[actor]["npv_p50"] == simulated[actor]["npv_p95"] == npv
        if deterministic[actor]["return_ratio"] is not None:
            assert simulated[actor]["return_ratio_p50"] == deterministic[actor]["return_ratio"]


def test_the_monte_carlo_is_reproducible_with_its_seed_and_changes_with_another() -> None:
    first = simulate(parse_scenario(with_ranges()))
    assert simulate(parse_scenario(with_ranges())) == first
    other = simulate(parse_scenario(with_ranges() | {"seed": 2}))
    assert other[TOTAL]["npv_p50"] != first[TOTAL]["npv_p50"]


@pytest.mark.parametrize("make", [pert, triangular])
def test_the_percentiles_bracket_the_deterministic_value_for_symmetric_ranges(make: Any) -> None:
    data = example(draws=5_000)
    data["outcomes"][1]["amount_per_person_year"] = make(200_000, 300_000, 400_000)
    data["investments"][0]["amount"] = make(1_000_000, 1_500_000, 2_000_000)
    sc = parse_scenario(data)
    deterministic = evaluate(sc)["actors"]
    simulated = simulate(sc)
    for actor in ("samhallet", "forsakringskassan", TOTAL):
        assert simulated[actor]["npv_p5"] < deterministic[actor]["npv"] < simulated[actor]["npv_p95"]
        # Linear in symmetric inputs: the median is near the mode's value (within 2 % of the 90 % band).
        band = simulated[actor]["npv_p95"] - simulated[actor]["npv_p5"]
        assert abs(simulated[actor]["npv_p50"] - deterministic[actor]["npv"]) < 0.02 * band


def test_pert_draws_have_the_mean_of_the_lambda_four_beta() -> None:
    # PERT(0, 1, 10) with λ = 4: mean (0 + 4 × 1 + 10) / 6 = 2.333…; one person, one year, r = 0.
    data = {
        "price_year": 2025,
        "horizon_years": 1,
        "draws": 100_000,
        "discount_rate": 0,
        "outcomes": [{"name": "x", "kind": "real", "actor": "staten", "amount_per_person_year": pert(0, 1, 10)}],
        "participants": 1,
    }
    sc = parse_scenario(data)
    assert simulate(sc)["staten"]["npv_p50"] == pytest.approx(2.0, abs=0.1)  # the beta(1.4, 4.6)'s median ≈ 2.0
    from samverkan.economics import calc

    values = calc._draw(sc.outcomes[0].amount_per_person_year, np.random.default_rng(0), 100_000)
    assert values.mean() == pytest.approx(14 / 6, abs=0.02)
    assert values.min() >= 0 and values.max() <= 10


def test_the_probability_that_the_return_exceeds_one_is_a_share_of_the_draws() -> None:
    # Return = persons × 1 000 / 10 000 with persons ~ triangular(5, 10, 15): above 1 exactly when persons > 10,
    # i.e. half the draws for a symmetric triangle.
    data = {
        "price_year": 2025,
        "horizon_years": 1,
        "discount_rate": 0,
        "draws": 20_000,
        "investments": [{"actor": "region", "year": 1, "amount": 10_000}],
        "outcomes": [
            {
                "name": "x",
                "kind": "real",
                "actor": "region",
                "amount_per_person_year": 1_000,
                "persons": triangular(5, 10, 15),
            }
        ],
    }
    result = simulate(parse_scenario(data))
    assert result["region"]["p_return_above_1"] == pytest.approx(0.5, abs=0.02)
    assert result["staten"]["p_return_above_1"] is None  # no cost: no return


def test_the_tornado_bar_of_an_input_is_the_total_npv_at_its_low_and_at_its_high() -> None:
    # r = 0, 1 year: total npv = persons × 1 000 − 10 000; persons from 5 to 15 → −5 000 and +5 000, swing 10 000.
    # The amount from 500 to 1 500 with 10 persons → −5 000 and +5 000 too; the investment 8 000–12 000 → ±2 000.
    data = {
        "price_year": 2025,
        "horizon_years": 1,
        "discount_rate": 0,
        "investments": [{"actor": "region", "year": 1, "amount": pert(8_000, 10_000, 12_000)}],
        "outcomes": [
            {
                "name": "Vård",
                "kind": "real",
                "actor": "region",
                "amount_per_person_year": pert(500, 1_000, 1_500),
                "persons": pert(5, 10, 20),
            }
        ],
    }
    bars = tornado(parse_scenario(data))
    assert [b.field for b in bars] == [
        "outcomes[0].persons",
        "outcomes[0].amount_per_person_year",
        "investments[0].amount",
    ]
    persons = bars[0]
    assert (persons.npv_low, persons.npv_high, persons.swing) == (-5_000, 10_000, 15_000)
    assert persons.name == "Vård: antal personer"
    assert (bars[2].npv_low, bars[2].npv_high) == (2_000, -2_000)


def test_calculate_merges_the_monte_carlo_fields_into_every_actor_and_adds_the_tornado() -> None:
    out = calculate(parse_scenario(with_ranges()))
    for actor in (*RESULT_ACTORS, TOTAL):
        assert set(MONTE_CARLO_FIELDS) <= set(out["actors"][actor])
    assert out["tornado"] and {"field", "name", "npv_low", "npv_high", "swing"} <= set(out["tornado"][0])
    assert out["monte_carlo"] == {"draws": 2_000, "seed": 1}
    swings = [bar["swing"] for bar in out["tornado"]]
    assert swings == sorted(swings, reverse=True)


amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)
actors = st.sampled_from(("kommun", "region", "forsakringskassan", "staten", "individen", "samhallet"))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    horizon = draw(st.integers(1, 10))
    transfers = []
    for _ in range(draw(st.integers(0, 4))):
        payer, receiver = draw(st.lists(actors, min_size=2, max_size=2, unique=True))
        transfers.append(
            {
                "name": "t",
                "kind": "transfer",
                "payer": payer,
                "receiver": receiver,
                "amount_per_person_year": draw(amounts),
                "persons": draw(st.integers(0, 100)),
            }
        )
    reals = [
        {"name": "r", "kind": "real", "actor": draw(actors), "amount_per_person_year": draw(amounts), "persons": 3}
        for _ in range(draw(st.integers(0, 3)))
    ]
    investments = [
        {
            "actor": draw(st.sampled_from(("samordningsforbund", "kommun"))),
            "year": draw(st.integers(1, horizon)),
            "amount": draw(amounts),
        }
        for _ in range(draw(st.integers(0, 3)))
    ]
    return {
        "price_year": 2025,
        "horizon_years": horizon,
        "discount_rate": draw(st.floats(0, 0.2)),
        "deadweight": draw(st.floats(0, 0.9)),
        "decay": draw(st.floats(0, 0.9)),
        "investments": investments,
        "outcomes": transfers + reals,
    }


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_transfers_sum_to_zero_over_the_actors(data: dict[str, Any]) -> None:
    data["outcomes"] = [o for o in data["outcomes"] if o["kind"] == "transfer"]
    actors_ = evaluate(parse_scenario(data))["actors"]
    gains = [actors_[a]["gain"] for a in RESULT_ACTORS]
    assert actors_[TOTAL]["gain"] == pytest.approx(0, abs=1e-6 * (1 + max(map(abs, gains), default=0)) + 0.05)


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.floats(0.1, 10))
def test_scaling_every_amount_scales_every_npv(data: dict[str, Any], factor: float) -> None:
    scaled = copy.deepcopy(data)
    for item in scaled["investments"]:
        item["amount"] *= factor
    for item in scaled["outcomes"]:
        item["amount_per_person_year"] *= factor
    before = evaluate(parse_scenario(data))["actors"]
    after = evaluate(parse_scenario(scaled))["actors"]
    for actor in (*RESULT_ACTORS, TOTAL):
        assert after[actor]["npv"] == pytest.approx(before[actor]["npv"] * factor, rel=1e-6, abs=0.05 * factor + 0.05)
        if before[actor]["return_ratio"] is not None and before[actor]["cost"] > 1:
            assert after[actor]["return_ratio"] == pytest.approx(before[actor]["return_ratio"], abs=2e-4)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_the_totals_are_the_sums_over_the_actors_and_the_years(data: dict[str, Any]) -> None:
    out = evaluate(parse_scenario(data))
    total = out["actors"][TOTAL]
    for key in ("cost", "gain"):
        assert total[key] == pytest.approx(sum(out["actors"][a][key] for a in RESULT_ACTORS), abs=0.05)
        assert total[key] == pytest.approx(
            sum(y["actors"][TOTAL][key] for y in out["years"]), abs=0.05 * len(out["years"])
        )
    assert out["years"][-1]["actors"][TOTAL]["cumulative_net"] == pytest.approx(total["npv"], abs=0.05)


@settings(max_examples=40, deadline=None)
@given(scenarios(), st.floats(0, 0.5), st.floats(1, 2))
def test_every_result_is_plain_json_without_nan_or_infinity(data: dict[str, Any], low: float, high: float) -> None:
    for item in data["outcomes"]:
        value = item["amount_per_person_year"]
        item["amount_per_person_year"] = pert(value * low, value, value * high)
    out = calculate(parse_scenario(data | {"draws": 200}))
    json.dumps(out, allow_nan=False)
    for fields in out["actors"].values():
        if fields.get("npv_p5") is not None:
            assert fields["npv_p5"] <= fields["npv_p50"] <= fields["npv_p95"]


def test_with_a_spread_the_tornado_varies_the_plain_numbers_too() -> None:
    # r = 0, 1 year, region: 10 persons × 1 000 − 10 000 = 0. ±20 %: persons 8–12 → −2 000 / +2 000, the amount the
    # same, the investment 8 000–12 000 → +2 000 / −2 000. The discount rate (0) and deadweight (0) stay out.
    data = {
        "price_year": 2025,
        "horizon_years": 1,
        "discount_rate": 0,
        "investments": [{"actor": "region", "year": 1, "amount": 10_000}],
        "outcomes": [
            {"name": "Vård", "kind": "real", "actor": "region", "amount_per_person_year": 1_000, "persons": 10}
        ],
    }
    sc = parse_scenario(data)
    assert tornado(sc) == []
    bars = tornado(sc, spread=0.2)
    assert {b.field: (b.npv_low, b.npv_high) for b in bars} == {
        "investments[0].amount": (2_000, -2_000),
        "outcomes[0].amount_per_person_year": (-2_000, 2_000),
        "outcomes[0].persons": (-2_000, 2_000),
    }
    with pytest.raises(ValueError):
        tornado(sc, spread=1.5)
