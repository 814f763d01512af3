"""Insatser in the core: registered under the planned key, its key figure, start panel and navigation."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samverkan.common.capabilities import capability_by_key

from .factories import InterventionFactory, money, permanent

pytestmark = pytest.mark.django_db


def test_insatser_replaces_the_planned_entry() -> None:
    capability = capability_by_key("insatser")
    assert capability is not None and capability.app == "samverkan.interventions" and capability.ready


def test_the_start_page_shows_the_key_figure_panel_and_link(actors) -> None:
    project = InterventionFactory(association=actors.association)
    lasting = permanent(actors.association, date(2024, 1, 1))
    money(project, 2025, 250)
    money(lasting, 2025, 750)
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    assert "<dt>Insatser</dt><dd>2</dd>" in html and "1 permanent verksamhet" in html
    assert "2025 gick 75 % av insatsernas pengar till permanent verksamhet." in html
    assert reverse("interventions:intervention_list", args=["alfa"]) in html


def test_the_start_page_has_no_portfolio_panel_without_money(actors) -> None:
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=["alfa"])).content.decode()
    assert "portfolio-start-heading" not in html
