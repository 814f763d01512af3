"""The demo: two Norra Västmanland interventions get scenarios built from their register, and they calculate."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from samverkan.economics import calc
from samverkan.economics.integration import integration_return
from samverkan.economics.models import Scenario, UnitCost
from samverkan.economics.report import kpi_table, report_html
from samverkan.interventions.models import Financing, Form
from samverkan.tenancy.models import Association

pytestmark = pytest.mark.django_db


def test_load_demo_creates_two_scenarios_that_calculate_and_loads_twice_without_change() -> None:
    UnitCost.shared.all().delete()  # as after a flush: the demo brings the shipped example costs back
    call_command("load_demo", stdout=io.StringIO())
    association = Association.objects.get(slug="norra-vastmanland")
    scenarios = list(Scenario.objects.filter(association=association).select_related("intervention"))
    assert len(scenarios) == 2
    by_code = {s.intervention.code: s for s in scenarios if s.intervention}
    assert set(by_code) == {"steg", "team-sala"}
    assert by_code["steg"].intervention.form == Form.PROJECT
    assert by_code["team-sala"].intervention.form == Form.PERMANENT
    for scenario in scenarios:
        parsed = calc.parse_scenario(scenario.data, kpi_table=kpi_table())
        assert calc.has_ranges(parsed)
        result = calc.evaluate(parsed)
        total = result["actors"]["totalt"]
        # The investments are the intervention's financing (all of it within the horizon).
        financed = sum(int(f.amount) for f in Financing.objects.filter(intervention=scenario.intervention))
        assert sum(i["amount"] for i in scenario.data["investments"]) == financed
        assert total["cost"] > 0 and total["return_ratio"] is not None
        # Every outcome names its example source and price year.
        for outcome in scenario.data["outcomes"]:
            assert outcome["source"].startswith("Exempel: ") and outcome["ref"]["example"] is True
            assert UnitCost.shared.filter(pk=outcome["ref"]["unit_cost"], price_year=outcome["price_year"]).exists()
        assert any(o["kind"] == "transfer" for o in scenario.data["outcomes"])
        assert calc.simulate(parsed)["totalt"]["p_return_above_1"] is not None
        assert "Exempel" in report_html(scenario, kpi_table=kpi_table())
    # The permanent team is linked to measurement rounds: it is a point of the integration page.
    rows = integration_return(association).rows
    assert [r.intervention.code for r in rows] == ["team-sala"] and rows[0].plotted
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert Scenario.objects.filter(association=association).count() == 2
    assert "scenarierna finns redan" in output.getvalue()
