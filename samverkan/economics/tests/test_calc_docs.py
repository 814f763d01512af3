"""docs/economics-scenario.md: its scenario (the first JSON block) gives its worked figures; every code listed."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from samverkan.economics.calc import calculate, parse_scenario
from samverkan.economics.scenario_format import DEFAULT_MESSAGES

DOC = Path(__file__).resolve().parents[3] / "docs" / "economics-scenario.md"


def documented_scenario() -> dict[str, Any]:
    block = re.search(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)
    assert block is not None
    return json.loads(block.group(1))


def test_the_worked_example_gives_the_documented_figures() -> None:
    out = calculate(parse_scenario(documented_scenario()))
    actors = out["actors"]
    # Weights 1 + 0.966184 × 0.9 + 0.933511 × 0.81 = 2.625709; transfer 5 × 110 000 × 0.8 = 440 000 a year.
    assert (actors["kommun"]["cost"], actors["kommun"]["gain"]) == (250_000, 1_155_311.91)
    assert actors["kommun"]["npv"] == 905_311.91
    assert (actors["kommun"]["return_ratio"], actors["kommun"]["payback_months"]) == (4.6212, 1)
    assert actors["individen"]["gain"] == -1_155_311.91
    assert actors["samhallet"]["gain"] == 2_100_567.11
    assert (actors["forsakringskassan"]["cost"], actors["region"]["cost"]) == (500_000, 250_000)
    total = actors["totalt"]
    assert (total["cost"], total["gain"], total["npv"]) == (1_000_000, 2_100_567.11, 1_100_567.11)
    assert (total["return_ratio"], total["payback_months"]) == (2.1006, 16)
    assert out["years"][1]["actors"]["totalt"]["net"] == 695_652.17
    assert [(i["field"], i["present_value"]) for i in out["items"]] == [
        ("investments[0]", 1_000_000),
        ("outcomes[0]", 1_155_311.91),
        ("outcomes[1]", 2_100_567.11),
    ]
    bar = out["tornado"][0]
    assert (bar["npv_low"], bar["npv_high"], bar["swing"]) == (260_340.26, 1_520_680.53, 1_260_340.26)
    assert round(total["npv_p5"]) == 621_846 and round(total["npv_p50"]) == 1_049_241
    assert round(total["npv_p95"]) == 1_385_905 and total["p_return_above_1"] == 1.0


def test_the_document_lists_every_error_code() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert [code for code in DEFAULT_MESSAGES if f"`{code}`" not in text] == []
