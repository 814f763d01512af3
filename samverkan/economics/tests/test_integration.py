"""Integration and return: the ring score of staff and participants against the scenario's return ratio."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.economics import calc
from samverkan.economics.integration import integration_return, intervention_integration
from samverkan.economics.integration_chart import Entry, nice_ceiling, scatter
from samverkan.economics.models import Scenario
from samverkan.interventions.models import Intervention
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

SCENARIO: dict[str, Any] = {
    "name": "Teamets kalkyl",
    "price_year": 2023,
    "horizon_years": 5,
    "investments": [{"actor": "kommun", "year": 1, "amount": 1000000, "price_year": 2023}],
    "outcomes": [
        {
            "name": "Produktion",
            "kind": "real",
            "actor": "samhallet",
            "amount_per_person_year": 100000,
            "price_year": 2023,
            "persons": 5,
        }
    ],
    "deadweight": 0.2,
    "decay": 0.1,
}


def _intervention(association: Any, name: str = "Teamet", code: str = "team") -> Intervention:
    return Intervention.objects.create(association=association, name=name, code=code, start=datetime.date(2023, 1, 1))


def _campaign(association: Any, *, staff: int, board: int = 6, value: int = 4, name: str = "Hösten") -> Any:
    campaign = open_campaign(association, name=name, groups=("board", "staff"))
    for _ in range(staff):
        submit(campaign, "staff", ring_answers(value))
    for _ in range(board):
        submit(campaign, "board", ring_answers(1))
    return campaign


# --- the pure chart ---------------------------------------------------------------------------------


def test_a_point_without_both_values_is_not_drawn_but_keeps_its_number() -> None:
    chart = scatter([Entry("a", "A", None, 2.0), Entry("b", "B", 3.0, 1.5), Entry("c", "C", 4.0, None)])
    assert [(d.key, d.number) for d in chart.dots] == [("b", 2)]
    assert not chart.empty


def test_the_break_even_line_sits_at_a_return_of_one_and_higher_returns_are_higher_up() -> None:
    chart = scatter([Entry("a", "A", 2.0, 0.5), Entry("b", "B", 4.5, 3.0)])
    low, high = chart.dots
    assert high.y < chart.break_even_y < low.y  # type: ignore[operator]
    assert chart.plot_left <= low.x < high.x <= chart.plot_right
    assert [b.ring for b in chart.bands] == [1, 2, 3]
    assert chart.y_ticks[0][1] == "0" and chart.y_ticks[-1][1] == "5"


def test_the_axis_top_is_a_round_number_at_or_above_the_largest_return() -> None:
    assert nice_ceiling(0.3) == 2.0
    assert nice_ceiling(2.2) == 2.5
    assert nice_ceiling(7.1) == 10.0
    assert nice_ceiling(11.0) == 20.0


# --- the integration level through Mät's choke point ---------------------------------------------------


def test_the_integration_level_is_the_mean_ring_score_of_the_staff_only(actors: Any) -> None:
    campaign = _campaign(actors.association, staff=6, board=6, value=4)
    level = intervention_integration([campaign])
    assert level.mean == pytest.approx(4.0)  # the board's 1s are not the intervention's staff
    assert level.respondents == 6 and level.ring == 3


def test_below_the_minimum_group_size_there_is_no_value(actors: Any) -> None:
    campaign = _campaign(actors.association, staff=3, board=8, value=5)
    level = intervention_integration([campaign])
    assert level.mean is None and level.respondents == 0
    assert "För få svar" in level.reason


def test_a_staff_group_hidden_to_protect_another_group_gives_no_value(actors: Any) -> None:
    # Board 2 answers is hidden; staff (6) is then hidden too, so the board cannot be had from the total.
    campaign = _campaign(actors.association, staff=6, board=2, value=5)
    level = intervention_integration([campaign])
    assert level.mean is None


def test_of_a_series_only_the_latest_linked_round_counts(actors: Any) -> None:
    first = _campaign(actors.association, staff=6, value=2, name="Första")
    second = _campaign(actors.association, staff=6, value=4, name="Andra")
    second.previous = first
    second.save()
    level = intervention_integration([first, second])
    assert level.mean == pytest.approx(4.0) and [c.pk for c in level.campaigns] == [second.pk]


def test_the_return_ratio_is_the_totals_from_the_calculation(actors: Any) -> None:
    intervention = _intervention(actors.association)
    intervention.campaigns.set([_campaign(actors.association, staff=6)])
    Scenario.objects.create(association=actors.association, name="K", data=SCENARIO, intervention=intervention)
    data = integration_return(actors.association)
    (row,) = data.rows
    expected = calc.evaluate(calc.parse_scenario(SCENARIO))["actors"]["totalt"]["return_ratio"]
    assert row.ratio == pytest.approx(expected)
    assert row.plotted and len(data.chart.dots) == 1  # type: ignore[union-attr]


def test_interventions_missing_a_scenario_or_rounds_are_listed_not_plotted(actors: Any) -> None:
    rounds_only = _intervention(actors.association, "Bara mätning", "m")
    rounds_only.campaigns.set([_campaign(actors.association, staff=6)])
    scenario_only = _intervention(actors.association, "Bara kalkyl", "k")
    Scenario.objects.create(association=actors.association, name="K", data=SCENARIO, intervention=scenario_only)
    data = integration_return(actors.association)
    assert data.rows == []
    assert data.missing_scenario == [rounds_only] and data.missing_rounds == [scenario_only]


# --- the page ---------------------------------------------------------------------------------------


def test_the_page_shows_the_chart_its_table_n_and_the_caveat(actors: Any) -> None:
    intervention = _intervention(actors.association)
    intervention.campaigns.set([_campaign(actors.association, staff=7)])
    Scenario.objects.create(association=actors.association, name="K", data=SCENARIO, intervention=intervention)
    url = reverse("economics:integration_return", args=[actors.association.slug])
    response = actors.client_for(actors.member).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<svg class="scatter-chart"' in html and 'role="img"' in html
    assert 'id="integration-table"' in html and "Teamet" in html
    assert ">7<" in html  # seven respondents
    assert "ingen skattning av ett orsakssamband" in html
    assert "1 insats i diagrammet" in html


def test_the_page_shows_no_figure_of_a_group_below_the_minimum(actors: Any) -> None:
    intervention = _intervention(actors.association)
    intervention.campaigns.set([_campaign(actors.association, staff=3, board=9, value=5)])
    Scenario.objects.create(association=actors.association, name="K", data=SCENARIO, intervention=intervention)
    html = (
        actors.client_for(actors.member)
        .get(reverse("economics:integration_return", args=[actors.association.slug]))
        .content.decode()
    )
    assert "För få svar" in html and "5,00" not in html and "5.00" not in html
    assert '<svg class="scatter-chart"' not in html


def test_another_associations_user_gets_404_and_an_anonymous_visitor_the_login(actors: Any) -> None:
    url = reverse("economics:integration_return", args=[actors.association.slug])
    assert actors.client_for(actors.outsider).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")


def test_another_associations_interventions_never_appear(actors: Any) -> None:
    theirs = _intervention(actors.other_association, "Betas team", "beta")
    theirs.campaigns.set([_campaign(actors.other_association, staff=6)])
    Scenario.objects.create(association=actors.other_association, name="B", data=SCENARIO, intervention=theirs)
    html = (
        actors.client_for(actors.member)
        .get(reverse("economics:integration_return", args=[actors.association.slug]))
        .content.decode()
    )
    assert "Betas team" not in html


def test_a_round_without_ring_questions_adds_no_respondents(actors: Any) -> None:
    from samverkan.measure.tests.factories import participant_instrument

    staff = _campaign(actors.association, staff=6, value=4)
    questionnaire = open_campaign(
        actors.association, name="Deltagarenkät", groups=("participants",), instrument=participant_instrument()
    )
    for _ in range(6):
        submit(questionnaire, "participants", {"delt_1": "5"})
    level = intervention_integration([staff, questionnaire])
    assert level.mean == pytest.approx(4.0) and level.respondents == 6
