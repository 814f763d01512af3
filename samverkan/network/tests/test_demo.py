"""The demo: Norra Västmanland's nine agencies in two network rounds, the second denser, one non-respondent."""

from __future__ import annotations

import io

from samverkan.network.demo_survey import load_network_survey_demo
from samverkan.network.models import NetworkAnswer, NetworkRound
from samverkan.network.selectors import round_data
from samverkan.tenancy.demo import load_tenancy_demo


def test_the_demo_has_two_rounds_the_second_denser_and_loading_it_again_changes_nothing(db) -> None:
    associations = load_tenancy_demo()
    load_network_survey_demo(associations=associations, stdout=io.StringIO())
    rounds = list(NetworkRound.objects.order_by("campaign__opens_on"))
    assert [r.campaign.name for r in rounds] == ["Samverkanskarta 2025", "Samverkanskarta 2026"]
    assert rounds[1].campaign.previous == rounds[0].campaign
    first, second = (round_data(r).metrics for r in rounds)
    assert first.nodes == second.nodes == 9
    assert second.density > first.density
    assert first.non_respondents == ("Norbergs kommun",) and second.non_respondents == ("Skinnskattebergs kommun",)
    assert all(r.campaign.status == "closed" for r in rounds)
    count = NetworkAnswer.objects.count()
    assert count == 2 * 8 * 8
    load_network_survey_demo(associations=associations, stdout=io.StringIO())
    assert NetworkRound.objects.count() == 2 and NetworkAnswer.objects.count() == count
