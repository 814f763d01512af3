"""The socioeconomic calculation, pinned by cases a reader can recompute by hand (issue 12)."""

from __future__ import annotations

from typing import Any

import pytest

from samverkan.economics import calc
from samverkan.economics.actors import TOTAL as ACTORS_TOTAL
from samverkan.economics.actors import Actor
from samverkan.economics.calc import ACTORS, RESULT_ACTORS, TOTAL, calculate, evaluate, parse_scenario


def scenario(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name": "Prov", "price_year": 2025, "discount_rate": 0.0, "horizon_years": 1}
    return base | fields


def result(**fields: Any) -> dict[str, Any]:
    return evaluate(parse_scenario(scenario(**fields)))


def test_the_actor_codes_are_the_ones_of_the_actor_choices() -> None:
    assert tuple(Actor.values) == ACTORS
    assert TOTAL == ACTORS_TOTAL
    assert set(RESULT_ACTORS) == set(ACTORS) - {"samordningsforbund"}


def test_every_result_actor_and_the_total_is_listed_even_with_nothing() -> None:
    actors = result()["actors"]
    assert list(actors) == [*RESULT_ACTORS, TOTAL]
    assert actors["staten"] == {"cost": 0.0, "gain": 0.0, "npv": 0.0, "return_ratio": None, "payback_months": None}


def test_npv_and_return_of_one_investment_and_one_real_gain() -> None:
    # kommun invests 100 000 in year 1; 2 persons × 60 000 = 120 000 real gain to kommun in year 1, r = 0:
    # cost 100 000, gain 120 000, npv 20 000, return 1.2.
    actors = result(
        investments=[{"actor": "kommun", "year": 1, "amount": 100_000}],
        outcomes=[{"name": "Vård", "kind": "real", "actor": "kommun", "amount_per_person_year": 60_000, "persons": 2}],
    )["actors"]
    assert actors["kommun"]["cost"] == 100_000
    assert actors["kommun"]["gain"] == 120_000
    assert actors["kommun"]["npv"] == 20_000
    assert actors["kommun"]["return_ratio"] == 1.2
    assert actors["totalt"]["npv"] == 20_000


def test_a_flow_in_year_y_is_discounted_by_one_plus_r_to_the_power_one_minus_y() -> None:
    # 100 000 invested by region in year 3 at r = 10 %: 100 000 / 1.1² = 82 644.628… → 82 644.63.
    actors = result(
        horizon_years=3, discount_rate=0.1, investments=[{"actor": "region", "year": 3, "amount": 100_000}]
    )["actors"]
    assert actors["region"]["cost"] == 82_644.63
    assert actors["totalt"]["cost"] == 82_644.63


def test_a_transfer_nets_to_zero_for_the_total() -> None:
    # kommun pays 10 persons × 12 000 less försörjningsstöd: +120 000 to kommun, −120 000 to individen, 0 in total.
    actors = result(
        outcomes=[
            {
                "name": "Försörjningsstöd",
                "kind": "transfer",
                "payer": "kommun",
                "receiver": "individen",
                "amount_per_person_year": 12_000,
                "persons": 10,
            }
        ]
    )["actors"]
    assert actors["kommun"]["gain"] == 120_000
    assert actors["individen"]["gain"] == -120_000
    assert actors["totalt"]["gain"] == 0


def test_the_associations_investment_is_split_by_the_finsam_pool_by_default() -> None:
    # 1 000 000 from the association: FK half, region and kommun a quarter each; the association is not listed.
    actors = result(investments=[{"actor": "samordningsforbund", "year": 1, "amount": 1_000_000}])["actors"]
    assert "samordningsforbund" not in actors
    assert actors["forsakringskassan"]["cost"] == 500_000
    assert actors["region"]["cost"] == 250_000
    assert actors["kommun"]["cost"] == 250_000
    assert actors["totalt"]["cost"] == 1_000_000


def test_a_given_pool_split_replaces_the_default() -> None:
    actors = result(
        pool_split={"kommun": 0.6, "region": 0.4},
        investments=[{"actor": "samordningsforbund", "year": 1, "amount": 1_000}],
    )["actors"]
    assert (actors["kommun"]["cost"], actors["region"]["cost"], actors["forsakringskassan"]["cost"]) == (600, 400, 0)


def test_an_amount_is_converted_to_the_scenarios_price_year_by_the_kpi_ratio() -> None:
    # 100 000 in 2022 prices, KPI 2022 = 100, 2025 = 110: 100 000 × 110 / 100 = 110 000 in 2025 prices.
    actors = result(
        kpi={"2022": 100.0, "2025": 110.0},
        investments=[{"actor": "staten", "year": 1, "amount": 100_000, "price_year": 2022}],
    )["actors"]
    assert actors["staten"]["cost"] == 110_000


def test_the_scenarios_kpi_overrides_the_table_year_by_year() -> None:
    data = scenario(
        kpi={"2025": 120.0}, investments=[{"actor": "staten", "year": 1, "amount": 100, "price_year": 2022}]
    )
    # The table's 2022 = 100 is kept, its 2025 = 110 is replaced by 120: 100 × 120 / 100 = 120.
    actors = evaluate(parse_scenario(data, kpi_table={2022: 100.0, 2025: 110.0}))["actors"]
    assert actors["staten"]["cost"] == 120


def test_deadweight_and_decay_reduce_the_outcome_year_by_year() -> None:
    # 1 person × 100 000, deadweight 0.2, decay 0.5, r = 0, 3 years:
    # year 1: 100 000 × 0.8 = 80 000; year 2: × 0.5 = 40 000; year 3: × 0.25 = 20 000; total 140 000.
    out = result(
        horizon_years=3,
        deadweight=0.2,
        decay=0.5,
        outcomes=[
            {"name": "Arbete", "kind": "real", "actor": "samhallet", "amount_per_person_year": 100_000, "persons": 1}
        ],
    )
    assert [y["actors"]["samhallet"]["gain"] for y in out["years"]] == [80_000, 40_000, 20_000]
    assert out["actors"]["samhallet"]["gain"] == 140_000


def test_payback_is_the_first_month_whose_cumulative_discounted_net_is_not_negative() -> None:
    # kommun invests 300 000 in year 1 and gains 120 000 a year, r = 0, 3 years.
    # Year 1 net −180 000, year 2 net +120 000 (cumulative −60 000), year 3 net +120 000 = 10 000 a month:
    # at the end of month 6 of year 3 the cumulative is −60 000 + 60 000 = 0 → month 24 + 6 = 30.
    out = result(
        horizon_years=3,
        investments=[{"actor": "kommun", "year": 1, "amount": 300_000}],
        outcomes=[{"name": "Vård", "kind": "real", "actor": "kommun", "amount_per_person_year": 120_000, "persons": 1}],
    )
    assert out["actors"]["kommun"]["payback_months"] == 30
    assert [y["actors"]["kommun"]["cumulative_net"] for y in out["years"]] == [-180_000, -60_000, 60_000]


def test_payback_within_the_first_year_counts_the_months_of_year_one() -> None:
    # Invest 60 000 and gain 120 000 in year 1: net 60 000 = 5 000 a month, ≥ 0 from the end of month 1.
    # With the gain in year 2 only (start_year 2): −60 000 after year 1, +10 000 a month → month 12 + 6 = 18.
    base = {"name": "Vård", "kind": "real", "actor": "kommun", "amount_per_person_year": 120_000, "persons": 1}
    invest = [{"actor": "kommun", "year": 1, "amount": 60_000}]
    assert result(investments=invest, outcomes=[base])["actors"]["kommun"]["payback_months"] == 1
    later = result(horizon_years=2, investments=invest, outcomes=[base | {"start_year": 2}])
    assert later["actors"]["kommun"]["payback_months"] == 18


def test_payback_is_the_month_from_which_the_cumulative_net_stays_non_negative() -> None:
    # kommun gains 12 000 a year from year 1 (1 000 a month) and invests 30 000 in year 2, r = 0:
    # after year 1 +12 000; year 2 nets −18 000 (−1 500 a month), below 0 from the end of its month 9 to −6 000
    # at its end; year 3 +1 000 a month reaches 0 at the end of its month 6 → 24 + 6 = 30, and stays ≥ 0.
    # Not month 1, when nothing had been invested yet.
    out = result(
        horizon_years=3,
        investments=[{"actor": "kommun", "year": 2, "amount": 30_000}],
        outcomes=[{"name": "Vård", "kind": "real", "actor": "kommun", "amount_per_person_year": 12_000, "persons": 1}],
    )
    assert out["actors"]["kommun"]["payback_months"] == 30


def test_an_investment_in_year_two_with_gains_after_it_pays_back_after_it() -> None:
    # region invests 12 000 in year 2 and gains 24 000 in year 2 (start_year 2), r = 0: year 2 nets +12 000,
    # never below 0, but nothing is paid back before the first year with a cost: its first month, 12 + 1 = 13.
    # With the gain only in year 3: −12 000 at the end of year 2, +2 000 a month → 24 + 6 = 30.
    base = {"name": "Vård", "kind": "real", "actor": "region", "amount_per_person_year": 24_000, "persons": 1}
    invest = [{"actor": "region", "year": 2, "amount": 12_000}]
    same_year = result(horizon_years=3, investments=invest, outcomes=[base | {"start_year": 2, "end_year": 2}])
    assert same_year["actors"]["region"]["payback_months"] == 13
    later = result(horizon_years=3, investments=invest, outcomes=[base | {"start_year": 3}])
    assert later["actors"]["region"]["payback_months"] == 30


def test_no_payback_within_the_horizon_is_none() -> None:
    actors = result(investments=[{"actor": "kommun", "year": 1, "amount": 1_000}])["actors"]
    assert actors["kommun"]["payback_months"] is None
    assert actors["kommun"]["return_ratio"] == 0


def test_a_shorter_horizon_shows_the_result_after_the_first_years() -> None:
    # 100 000 a year to samhallet over 5 years, r = 0: after 1 year 100 000, after 5 years 500 000.
    sc = parse_scenario(
        scenario(
            horizon_years=5,
            outcomes=[
                {"name": "A", "kind": "real", "actor": "samhallet", "amount_per_person_year": 100_000, "persons": 1}
            ],
        )
    )
    assert evaluate(sc, horizon_years=1)["actors"]["totalt"]["gain"] == 100_000
    assert len(evaluate(sc, horizon_years=1)["years"]) == 1
    assert evaluate(sc)["actors"]["totalt"]["gain"] == 500_000


def test_calculate_without_ranges_has_no_monte_carlo_fields_and_an_empty_tornado() -> None:
    out = calculate(parse_scenario(scenario()))
    assert out["tornado"] == []
    assert "npv_p50" not in out["actors"]["totalt"]
    assert "monte_carlo" not in out


def test_the_public_names_exist() -> None:
    for name in ("ScenarioError", "parse_scenario", "evaluate", "simulate", "has_ranges", "tornado", "calculate"):
        assert hasattr(calc, name)
    assert calc.DEFAULT_POOL_SPLIT == {"forsakringskassan": 0.5, "region": 0.25, "kommun": 0.25}


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"price_year": "2025"}, "price_year", "not_an_integer"),
        ({"discount_rate": 1.0}, "discount_rate", "rate_out_of_range"),
        ({"deadweight": -0.1}, "deadweight", "rate_out_of_range"),
        ({"horizon_years": 51}, "horizon_years", "out_of_range"),
        ({"draws": 0}, "draws", "out_of_range"),
        (
            {"investments": [{"actor": "kommun", "year": 1, "amount": 1, "price_year": 2019}]},
            "price_year",
            "kpi_missing",
        ),
        ({"draws": 200_001}, "draws", "out_of_range"),
        ({"investments": [{"actor": "kommunen", "year": 1, "amount": 1}]}, "investments[0].actor", "unknown_actor"),
        ({"investments": [{"actor": "kommun", "year": 1, "amount": -1}]}, "investments[0].amount", "negative"),
        ({"investments": [{"actor": "kommun", "year": 2, "amount": 1}]}, "investments[0].year", "year_after_horizon"),
        (
            {"kpi": {"2025": 110}, "investments": [{"actor": "kommun", "year": 1, "amount": 1, "price_year": 2019}]},
            "investments[0].price_year",
            "kpi_missing",
        ),
        (
            {
                "outcomes": [
                    {"name": "x", "kind": "transfer", "payer": "kommun", "amount_per_person_year": 1, "persons": 1}
                ]
            },
            "outcomes[0].receiver",
            "required",
        ),
        (
            {
                "outcomes": [
                    {
                        "name": "x",
                        "kind": "transfer",
                        "payer": "kommun",
                        "receiver": "kommun",
                        "amount_per_person_year": 1,
                        "persons": 1,
                    }
                ]
            },
            "outcomes[0].receiver",
            "same_payer_and_receiver",
        ),
        (
            {
                "outcomes": [
                    {
                        "name": "x",
                        "kind": "real",
                        "actor": "kommun",
                        "amount_per_person_year": {"distribution": "pert", "low": 3, "mode": 2, "high": 4},
                        "persons": 1,
                    }
                ]
            },
            "outcomes[0].amount_per_person_year",
            "range_order",
        ),
    ],
)
def test_a_bad_scenario_names_the_field(change: dict[str, Any], field: str, code: str) -> None:
    with pytest.raises(calc.ScenarioError) as caught:
        parse_scenario(scenario(**change))
    assert (caught.value.field, caught.value.code) == (field, code)
    assert field in str(caught.value)
