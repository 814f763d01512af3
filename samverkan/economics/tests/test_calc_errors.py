"""Every malformed scenario is refused with the field's JSON path and a stable code (one case per code at least)."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.economics.calc import ScenarioError, evaluate, parse_scenario
from samverkan.economics.scenario_format import DEFAULT_MESSAGES

BASE: dict[str, Any] = {"price_year": 2025, "horizon_years": 3}


def real(**fields: Any) -> dict[str, Any]:
    return {"name": "Vård", "kind": "real", "actor": "region", "amount_per_person_year": 1000, "persons": 2} | fields


def transfer(**fields: Any) -> dict[str, Any]:
    base = {"name": "Stöd", "kind": "transfer", "payer": "kommun", "receiver": "individen"}
    return base | {"amount_per_person_year": 1000, "persons": 2} | fields


def invest(**fields: Any) -> dict[str, Any]:
    return {"actor": "kommun", "year": 1, "amount": 1000} | fields


def pert(low: Any, mode: Any, high: Any) -> dict[str, Any]:
    return {"distribution": "pert", "low": low, "mode": mode, "high": high}


CASES: list[tuple[Any, str, str]] = [
    ([], "", "not_an_object"),
    (BASE | {"investments": {}}, "investments", "not_a_list"),
    (BASE | {"investments": [7]}, "investments[0]", "not_an_object"),
    ({"horizon_years": 3}, "price_year", "required"),
    (BASE | {"investments": [{"actor": "kommun", "year": 1}]}, "investments[0].amount", "required"),
    (BASE | {"outcomes": [real(actor=None)]}, "outcomes[0].actor", "required"),
    (BASE | {"outcomes": [transfer(payer="")]}, "outcomes[0].payer", "required"),
    (BASE | {"outcomes": [{k: v for k, v in real().items() if k != "persons"}]}, "outcomes[0].persons", "required"),
    (BASE | {"deadweigth": 0.2}, "deadweigth", "unknown_field"),
    (BASE | {"outcomes": [real(payer="kommun")]}, "outcomes[0].payer", "unknown_field"),
    (BASE | {"outcomes": [transfer(actor="kommun")]}, "outcomes[0].actor", "unknown_field"),
    (BASE | {"outcomes": [real(persons=pert(1, 2, 3) | {"sd": 1})]}, "outcomes[0].persons.sd", "unknown_field"),
    (BASE | {"investments": [invest(amount="1000")]}, "investments[0].amount", "not_a_number"),
    (BASE | {"investments": [invest(amount=True)]}, "investments[0].amount", "not_a_number"),
    (BASE | {"investments": [invest(amount=float("inf"))]}, "investments[0].amount", "not_a_number"),
    (BASE | {"discount_rate": None}, "discount_rate", "not_a_number"),
    (BASE | {"investments": [invest(year=1.5)]}, "investments[0].year", "not_an_integer"),
    (BASE | {"kpi": {"tjugo": 100}}, "kpi.tjugo", "not_an_integer"),
    (BASE | {"outcomes": [real(name=3)]}, "outcomes[0].name", "not_a_text"),
    (BASE | {"outcomes": [real(name="  ")]}, "outcomes[0].name", "empty_text"),
    (BASE | {"investments": [invest(amount=-1)]}, "investments[0].amount", "negative"),
    (BASE | {"outcomes": [real(persons=pert(-1, 2, 3))]}, "outcomes[0].persons.low", "negative"),
    (BASE | {"pool_split": {"kommun": -0.5, "region": 1.5}}, "pool_split.kommun", "negative"),
    (BASE | {"participants": -3}, "participants", "negative"),
    (BASE | {"outcomes": [real(amount_per_person_year=1e13)]}, "outcomes[0].amount_per_person_year", "too_large"),
    (BASE | {"horizon_years": 0}, "horizon_years", "out_of_range"),
    (BASE | {"price_year": 1800}, "price_year", "out_of_range"),
    (BASE | {"seed": -1}, "seed", "out_of_range"),
    (BASE | {"draws": 200_001}, "draws", "out_of_range"),
    (BASE | {"discount_rate": -0.01}, "discount_rate", "rate_out_of_range"),
    (BASE | {"decay": 1}, "decay", "rate_out_of_range"),
    (BASE | {"deadweight": pert(0.1, 0.2, 1.0)}, "deadweight.high", "rate_out_of_range"),
    (BASE | {"outcomes": [real(deadweight=1.2)]}, "outcomes[0].deadweight", "rate_out_of_range"),
    (BASE | {"kpi": {"2022": 0}}, "kpi.2022", "not_positive"),
    (BASE | {"investments": [invest(year=4)]}, "investments[0].year", "year_after_horizon"),
    (BASE | {"outcomes": [real(start_year=4)]}, "outcomes[0].start_year", "year_after_horizon"),
    (BASE | {"outcomes": [real(end_year=4)]}, "outcomes[0].end_year", "year_after_horizon"),
    (BASE | {"outcomes": [real(start_year=3, end_year=2)]}, "outcomes[0].end_year", "end_before_start"),
    (BASE | {"investments": [invest(actor="Kommun")]}, "investments[0].actor", "unknown_actor"),
    (BASE | {"outcomes": [transfer(receiver="banken")]}, "outcomes[0].receiver", "unknown_actor"),
    (BASE | {"pool_split": {"lansstyrelsen": 1}}, "pool_split.lansstyrelsen", "unknown_actor"),
    (BASE | {"outcomes": [real(kind="saving")]}, "outcomes[0].kind", "unknown_kind"),
    (
        BASE | {"discount_rate": {"distribution": "normal", "low": 0, "mode": 0, "high": 0}},
        "discount_rate.distribution",
        "unknown_distribution",
    ),
    (BASE | {"outcomes": [real(persons=pert(1, 5, 3))]}, "outcomes[0].persons", "range_order"),
    (BASE | {"outcomes": [real(persons={"distribution": "pert", "low": 1})]}, "outcomes[0].persons.mode", "required"),
    (BASE | {"horizon_years": pert(1, 2, 3)}, "horizon_years", "range_not_allowed"),
    (BASE | {"participants": pert(1, 2, 3)}, "participants", "range_not_allowed"),
    (BASE | {"outcomes": [transfer(receiver="kommun")]}, "outcomes[0].receiver", "same_payer_and_receiver"),
    (BASE | {"investments": [invest(price_year=2020)]}, "price_year", "kpi_missing"),
    (BASE | {"kpi": {"2025": 110}, "outcomes": [real(price_year=2020)]}, "outcomes[0].price_year", "kpi_missing"),
    (BASE | {"pool_split": {"kommun": 0.5, "region": 0.25}}, "pool_split", "pool_split_sum"),
    (BASE | {"pool_split": {}}, "pool_split", "pool_split_sum"),
    (BASE | {"pool_split": {"samordningsforbund": 1}}, "pool_split.samordningsforbund", "pool_split_actor"),
    (BASE | {"outcomes": [real()] * 501}, "outcomes", "too_many"),
    (
        BASE | {"horizon_years": 50, "draws": 200_000, "outcomes": [real(persons=pert(1, 2, 3))] * 10},
        "draws",
        "too_much_work",
    ),
]


@pytest.mark.parametrize(("data", "field", "code"), CASES)
def test_a_malformed_scenario_names_its_field_and_code(data: Any, field: str, code: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data)
    assert (caught.value.field, caught.value.code) == (field, code)
    # The Swedish default text names the field (the whole scenario when the field is "").
    assert (field or "Scenariot") in str(caught.value)


def test_every_code_of_the_document_is_pinned_by_a_case() -> None:
    # The other two are the API's and the command's, before there is a document to parse.
    assert {code for _, _, code in CASES} == set(DEFAULT_MESSAGES) - {"invalid_json", "too_big"}


def test_a_whole_float_is_an_integer_and_a_range_may_collapse() -> None:
    sc = parse_scenario(BASE | {"horizon_years": 3.0, "outcomes": [real(persons=pert(2, 2, 2))]})
    assert sc.horizon_years == 3 and sc.outcomes[0].persons.is_range and not sc.outcomes[0].persons.uncertain


def test_the_too_much_work_limit_says_how_many_draws_would_do() -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(CASES[-1][0])
    # (1 + 10 items) × 50 years = 550 per draw: 20 000 000 // 550 = 36 363 draws.
    assert caught.value.params == {"max": 36_363}
    assert "36363" in str(caught.value)


def test_a_monte_carlo_over_several_chunks_is_reproducible_and_brackets_the_mode() -> None:
    from samverkan.economics.calc import CHUNK, simulate

    data = BASE | {"draws": CHUNK * 2 + 7, "outcomes": [real(persons=pert(1, 2, 3))]}
    first = simulate(parse_scenario(data))
    assert simulate(parse_scenario(data)) == first
    # 2 persons × 1 000 a year × 3 years at 3.5 %: 2 000 × (1 + 1/1.035 + 1/1.035²) = 5 799.39.
    assert first["region"]["npv_p5"] < 5_799.39 < first["region"]["npv_p95"]


@pytest.mark.parametrize("horizon", [0, 4, "1"])
def test_evaluate_refuses_a_horizon_outside_the_scenarios(horizon: Any) -> None:
    with pytest.raises(ScenarioError) as caught:
        evaluate(parse_scenario(BASE), horizon_years=horizon)
    assert caught.value.field == "horizon_years"
