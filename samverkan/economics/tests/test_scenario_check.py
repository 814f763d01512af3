"""scenario_check: every bad field of a scenario is named at once, in the parser's own words (pure)."""

from __future__ import annotations

import copy
from typing import Any

from samverkan.economics.scenario_check import scenario_errors
from samverkan.economics.scenario_format import parse_scenario

GOOD: dict[str, Any] = {
    "name": "Bra",
    "price_year": 2025,
    "horizon_years": 5,
    "investments": [{"actor": "samordningsforbund", "year": 1, "amount": 1000}],
    "outcomes": [
        {"name": "A", "kind": "real", "actor": "samhallet", "amount_per_person_year": 10, "persons": 2},
        {
            "name": "B",
            "kind": "transfer",
            "payer": "kommun",
            "receiver": "individen",
            "amount_per_person_year": 5,
            "persons": 1,
        },
    ],
}


def _fields(data: Any) -> list[str]:
    return [e.field for e in scenario_errors(data)]


def test_a_good_scenario_has_no_errors() -> None:
    parse_scenario(GOOD)
    assert scenario_errors(GOOD) == []


def test_every_bad_field_is_named_not_only_the_first() -> None:
    bad = copy.deepcopy(GOOD)
    bad["discount_rate"] = 2
    bad["draws"] = 0
    bad["investments"][0]["actor"] = "banken"
    bad["investments"][0]["amount"] = -1
    bad["outcomes"][0]["persons"] = {"distribution": "normal", "low": 1, "mode": 2, "high": 3}
    bad["outcomes"][1]["receiver"] = "kommun"
    assert _fields(bad) == [
        "discount_rate",
        "draws",
        "investments[0].actor",
        "investments[0].amount",
        "outcomes[0].persons.distribution",
        "outcomes[1].receiver",
    ]


def test_each_error_keeps_the_parsers_code_and_parameters() -> None:
    bad = copy.deepcopy(GOOD)
    bad["investments"][0]["year"] = 9
    (error,) = scenario_errors(bad)
    assert (error.field, error.code, error.params) == ("investments[0].year", "year_after_horizon", {"horizon": 5})


def test_a_bad_price_year_does_not_make_every_row_wrong_too() -> None:
    bad = copy.deepcopy(GOOD)
    bad["price_year"] = "2025"
    assert _fields(bad) == ["price_year"]


def test_a_missing_kpi_year_is_named_on_the_row_that_needs_it() -> None:
    bad = copy.deepcopy(GOOD)
    bad["outcomes"][1]["price_year"] = 2019
    assert [e.field for e in scenario_errors(bad, kpi_table={2025: 400.0})] == ["outcomes[1].price_year"]
    assert scenario_errors(bad, kpi_table={2019: 300.0, 2025: 400.0}) == []


def test_not_an_object_at_all_is_one_error() -> None:
    assert [e.code for e in scenario_errors([1, 2])] == ["not_an_object"]
    assert _fields({**GOOD, "outcomes": "x"}) == ["outcomes"]
    assert _fields({**GOOD, "outcomes": [1]}) == ["outcomes[0]"]


def test_what_only_the_whole_shows_is_reported_too() -> None:
    big = copy.deepcopy(GOOD)
    big["draws"] = 200_000
    big["horizon_years"] = 50
    ranged = {"distribution": "pert", "low": 1, "mode": 2, "high": 3}
    big["outcomes"] = [
        {"name": f"O{i}", "kind": "real", "actor": "samhallet", "amount_per_person_year": ranged, "persons": ranged}
        for i in range(400)
    ]
    codes = [e.code for e in scenario_errors(big)]
    assert codes == ["too_much_work"]
