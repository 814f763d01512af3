"""Scenarios end to end: the builder builds the documented object, uploads write all or nothing, the fill
from an intervention copies money and only published counts, and every page keeps to its association."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.economics import scenario_services as services
from samverkan.economics.models import Scenario
from samverkan.economics.scenario_builder import raw_for_scenario, unbound
from samverkan.interventions.models import AnonymousParticipation, FinancierKind, Financing, Intervention
from samverkan.tenancy.models import Agency, AgencyKind

EXAMPLE: dict[str, Any] = {
    "name": "Steg till arbete",
    "price_year": 2025,
    "discount_rate": 0.035,
    "horizon_years": 5,
    "pool_split": {"forsakringskassan": 0.5, "region": 0.25, "kommun": 0.25},
    "participants": 40,
    "investments": [
        {"actor": "samordningsforbund", "year": 1, "amount": 1500000, "price_year": 2025},
        {"actor": "kommun", "year": 2, "amount": {"distribution": "pert", "low": 200000, "mode": 300000, "high": 500000}},
    ],
    "outcomes": [
        {
            "name": "Försörjningsstöd som inte betalas ut",
            "kind": "transfer",
            "payer": "kommun",
            "receiver": "individen",
            "amount_per_person_year": 120000,
            "price_year": 2025,
            "persons": 10,
            "source": "Kommunens årsredovisning",
        },
        {
            "name": "Produktionsvärde",
            "kind": "real",
            "actor": "samhallet",
            "amount_per_person_year": {"distribution": "triangular", "low": 200000, "mode": 300000, "high": 350000},
            "price_year": 2025,
            "persons": {"distribution": "pert", "low": 4, "mode": 8, "high": 12},
            "start_year": 2,
            "ref": {"typfall": "x"},
        },
    ],
    "deadweight": 0.2,
    "decay": {"distribution": "triangular", "low": 0.05, "mode": 0.1, "high": 0.2},
    "draws": 2000,
    "seed": 1,
}


def _post_data(data: dict[str, Any], **overrides: Any) -> dict[str, str]:
    """What the builder page posts when it shows `data` and the person presses a button."""
    forms = unbound(raw_for_scenario(data), interventions=[])
    posted: dict[str, str] = {}
    for form in (forms.basics, *forms.investments.forms, *forms.outcomes.forms):
        for name, field in form.fields.items():
            value = form[name].value()
            posted[form.add_prefix(name)] = "" if value is None else str(value)
    for formset in (forms.investments, forms.outcomes):
        management = formset.management_form
        for name in management.fields:
            posted[management.add_prefix(name)] = str(management[name].value())
    posted.update({k: str(v) for k, v in overrides.items()})
    return posted


@pytest.fixture
def scenario(actors: Any) -> Scenario:
    return services.scenario_create(association=actors.association, data=dict(EXAMPLE), created_by=actors.admin)


def test_the_builder_posts_back_exactly_the_object_it_shows(actors: Any) -> None:
    client = actors.client_for(actors.analyst)
    response = client.post(reverse("economics:scenario_create", args=["alfa"]), _post_data(EXAMPLE, action="save"))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Scenario.objects.get(association=actors.association)
    assert saved.data == EXAMPLE
    assert saved.name == "Steg till arbete"


def test_the_detail_page_shows_results_after_one_year_and_after_the_horizon(actors: Any, scenario: Scenario) -> None:
    response = actors.client_for(actors.member).get(
        reverse("economics:scenario_detail", args=["alfa", scenario.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Efter 1 år" in html and "Efter 5 år" in html
    assert "P(avkastning > 1)" in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "Vem investerar, vem vinner" in html
