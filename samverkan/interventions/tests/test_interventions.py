"""Interventions: the form (with its rows per year), the list, the detail page and who may do what."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from samverkan.interventions.models import FinancierKind, Financing, Form, InKind, Intervention, VolumeCount
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit
from samverkan.tenancy.models import Agency

from .factories import InterventionFactory, money, permanent

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    """A valid POST of the intervention form with empty row formsets (financing, in-kind, head counts)."""
    data: dict[str, Any] = {
        "name": "Samverkansteam Testby",
        "code": "team",
        "description": "Ett team från fyra myndigheter.",
        "target_group": "Personer som behöver stöd från flera myndigheter",
        "orientation": "individual",
        "form": "project",
        "permanent_since": "",
        "start": "2023-01-01",
        "end": "",
    }
    for prefix in ("fin", "tid", "vol"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def with_rows(data: dict[str, Any], prefix: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    data = dict(data)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def _create_url(actors: Any) -> str:
    return reverse("interventions:intervention_create", args=[actors.association.slug])


def test_analyst_creates_an_intervention_with_financing_in_kind_and_head_counts(actors) -> None:
    fk = Agency.objects.get(name="Försäkringskassan")
    data = form_data(agencies=[fk.pk], orientation="structural")
    data = with_rows(
        data,
        "fin",
        [
            {"year": "2023", "financier_kind": "pooled", "budget": "500000", "amount": "480000"},
            {"year": "2023", "financier_kind": "agency", "agency": str(fk.pk), "amount": "100000"},
            {"year": "2024", "financier_kind": "external", "external_name": "ESF", "amount": "900000"},
        ],
    )
    data = with_rows(data, "tid", [{"year": "2023", "agency": str(fk.pk), "unit": "fte", "quantity": "0.5"}])
    data = with_rows(data, "vol", [{"year": "2023", "head_count": "40"}])
    response = actors.client_for(actors.analyst).post(_create_url(actors), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    intervention = Intervention.objects.get(association=actors.association, code="team")
    assert list(intervention.agencies.all()) == [fk]
    rows = sorted((f.year, f.financier_kind, f.financier_label, int(f.amount)) for f in intervention.financing.all())
    assert rows == [
        (2023, "agency", "Försäkringskassan", 100000),
        (2023, "pooled", "Förbundets samordnade medel", 480000),
        (2024, "external", "ESF", 900000),
    ]
    assert InKind.objects.get(intervention=intervention).get_unit_display() == "Årsarbetare"
    assert VolumeCount.objects.get(intervention=intervention).head_count == 40


def test_permanent_since_is_required_when_the_form_is_permanent(actors) -> None:
    response = actors.client_for(actors.admin).post(_create_url(actors), form_data(form="permanent"))
    assert response.status_code == 400
    assert "Ange när insatsen blev permanent verksamhet." in response.content.decode()
    assert not Intervention.objects.exists()


def test_dates_must_be_in_order_and_the_form_keeps_what_was_typed(actors) -> None:
    data = form_data(
        name="Bakvänd", start="2024-05-01", end="2023-01-01", form="permanent", permanent_since="2022-01-01"
    )
    response = actors.client_for(actors.admin).post(_create_url(actors), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in html
    assert "Insatsen kan inte ha blivit permanent före sin start." in html
    assert 'value="Bakvänd"' in html and 'value="2024-05-01"' in html  # nothing typed is lost
    assert "Något behöver rättas" in html


def test_rows_outside_the_interventions_years_and_missing_financiers_get_swedish_errors(actors) -> None:
    data = with_rows(
        form_data(end="2024-12-31"),
        "fin",
        [
            {"year": "2021", "financier_kind": "pooled", "amount": "1000"},
            {"year": "2023", "financier_kind": "agency", "amount": "1000"},
            {"year": "2023", "financier_kind": "external", "external_name": " ", "amount": "1000"},
            {"year": "2025", "financier_kind": "pooled", "amount": "-5"},
        ],
    )
    data = with_rows(data, "vol", [{"year": "2023", "head_count": "4"}, {"year": "2023", "head_count": "5"}])
    response = actors.client_for(actors.admin).post(_create_url(actors), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Året är före insatsens start (2023)." in html
    assert "Välj vilken myndighet som finansierar." in html
    assert "Ange den externa finansiärens namn, t.ex. ESF." in html
    assert "Året finns redan på en annan rad." in html
    assert not Intervention.objects.exists() and not Financing.objects.exists()  # nothing half-written


def test_the_code_is_unique_within_the_association_but_not_across(actors) -> None:
    InterventionFactory(association=actors.association, code="team", name="Första")
    InterventionFactory(association=actors.other_association, code="annat", name="Samverkansteam Testby")
    response = actors.client_for(actors.admin).post(_create_url(actors), form_data(code="TEAM"))
    assert response.status_code == 400
    assert "Förbundet har redan en insats med koden ”team”." in response.content.decode()
    ok = actors.client_for(actors.admin).post(_create_url(actors), form_data(code="annat"))
    assert ok.status_code == 302  # the other association's code and name are no obstacle


def test_the_form_offers_only_the_associations_own_agencies_and_campaigns(actors) -> None:
    outside = Agency.objects.create(name="Annan kommun", kind="municipality")
    theirs = open_campaign(actors.other_association, name="Betas mätning")
    ours = open_campaign(actors.association, name="Alfas mätning")
    html = actors.client_for(actors.admin).get(_create_url(actors)).content.decode()
    assert "Alfas mätning" in html and "Betas mätning" not in html and "Annan kommun" not in html
    response = actors.client_for(actors.admin).post(
        _create_url(actors), form_data(campaigns=[theirs.pk], agencies=[outside.pk])
    )
    assert response.status_code == 400
    assert not Intervention.objects.exists()
    assert ours.pk  # the own campaign is a valid choice
    ok = actors.client_for(actors.admin).post(_create_url(actors), form_data(campaigns=[ours.pk]))
    assert ok.status_code == 302


def test_editing_changes_and_deletes_rows(actors) -> None:
    intervention = InterventionFactory(association=actors.association, code="x", name="X", start=date(2022, 1, 1))
    row = money(intervention, 2022, 1000)
    data = form_data(name="X", code="x", start="2022-01-01", form="permanent", permanent_since="2024-01-01")
    data = with_rows(
        data,
        "fin",
        [{"id": str(row.pk), "year": "2022", "financier_kind": "pooled", "amount": "1000", "DELETE": "on"}],
    )
    data["fin-INITIAL_FORMS"] = "1"
    url = reverse("interventions:intervention_edit", args=[actors.association.slug, intervention.pk])
    response = actors.client_for(actors.analyst).post(url, data)
    assert response.status_code == 302
    intervention.refresh_from_db()
    assert intervention.form == Form.PERMANENT and intervention.permanent_since == date(2024, 1, 1)
    assert not Financing.objects.filter(pk=row.pk).exists()


def test_members_read_but_only_analysts_and_admins_edit(actors) -> None:
    intervention = InterventionFactory(association=actors.association)
    list_url = reverse("interventions:intervention_list", args=[actors.association.slug])
    detail_url = reverse("interventions:intervention_detail", args=[actors.association.slug, intervention.pk])
    edit_url = reverse("interventions:intervention_edit", args=[actors.association.slug, intervention.pk])
    member = actors.client_for(actors.member)
    assert member.get(list_url).status_code == 200
    page = member.get(detail_url)
    assert page.status_code == 200 and edit_url not in page.content.decode()
    assert member.get(_create_url(actors)).status_code == 403
    assert member.post(_create_url(actors), form_data()).status_code == 403
    assert member.get(edit_url).status_code == 403
    assert actors.client_for(actors.analyst).get(edit_url).status_code == 200
    assert edit_url in actors.client_for(actors.analyst).get(detail_url).content.decode()


def test_delete_needs_the_confirmation_box(actors) -> None:
    intervention = InterventionFactory(association=actors.association)
    money(intervention, 2022, 1000)
    url = reverse("interventions:intervention_delete", args=[actors.association.slug, intervention.pk])
    client = actors.client_for(actors.analyst)
    client.post(url)
    assert Intervention.objects.filter(pk=intervention.pk).exists()
    assert client.post(url, {"bekrafta": "ja"}).status_code == 302
    assert not Intervention.objects.filter(pk=intervention.pk).exists() and not Financing.objects.exists()
    assert actors.client_for(actors.member).post(url, {"bekrafta": "ja"}).status_code in (403, 404)


def test_another_associations_intervention_is_404_everywhere(actors) -> None:
    theirs = InterventionFactory(association=actors.other_association)
    client = actors.client_for(actors.admin)
    for name in ("intervention_detail", "intervention_edit"):
        assert client.get(reverse(f"interventions:{name}", args=["alfa", theirs.pk])).status_code == 404
    delete = reverse("interventions:intervention_delete", args=["alfa", theirs.pk])
    assert client.post(delete, {"bekrafta": "ja"}).status_code == 404
    assert Intervention.objects.filter(pk=theirs.pk).exists()


def test_the_list_shows_form_orientation_and_agencies(actors) -> None:
    intervention = permanent(actors.association, date(2024, 1, 1), name="Aktivitetshuset", code="akt")
    intervention.agencies.set([Agency.objects.get(name="Region Test")])
    InterventionFactory(association=actors.other_association, name="Betas insats")
    html = actors.client_for(actors.member).get(reverse("interventions:intervention_list", args=["alfa"])).content
    text = html.decode()
    assert "Aktivitetshuset" in text and "Permanent verksamhet" in text and "sedan 2024-01-01" in text
    assert "Region Test" in text and "Betas insats" not in text


def test_detail_shows_the_latest_linked_campaigns_ring_picture(actors) -> None:
    older = open_campaign(actors.association, name="Våren")
    newer = open_campaign(actors.association, name="Hösten")
    for campaign in (older, newer):
        for value in (2, 3, 4, 3, 2, 4):
            submit(campaign, "staff", ring_answers(value))
    intervention = InterventionFactory(association=actors.association)
    intervention.campaigns.set([older, newer])
    url = reverse("interventions:intervention_detail", args=["alfa", intervention.pk])
    html = actors.client_for(actors.member).get(url).content.decode()
    latest = max((older, newer), key=lambda c: (c.opens_on, c.pk))
    assert f"Senaste ringbilden från mätomgången {latest.name}." in html
    assert "<svg" in html and "ring-figure" in html


def test_detail_shows_no_ring_picture_while_the_campaign_has_too_few_answers(actors) -> None:
    campaign = open_campaign(actors.association, name="Liten")
    for value in (2, 3):
        submit(campaign, "staff", ring_answers(value))
    intervention = InterventionFactory(association=actors.association)
    intervention.campaigns.set([campaign])
    html = (
        actors.client_for(actors.member)
        .get(reverse("interventions:intervention_detail", args=["alfa", intervention.pk]))
        .content.decode()
    )
    assert "har ännu inte tillräckligt många svar" in html and "ring-figure" not in html


def test_financing_rows_name_their_financier(actors) -> None:
    intervention = InterventionFactory(association=actors.association)
    fk = Agency.objects.get(name="Försäkringskassan")
    assert money(intervention, 2022, 1, financier_kind=FinancierKind.AGENCY, agency=fk).financier_label == fk.name
    assert money(intervention, 2022, 1, financier_kind="external", external_name="ESF").financier_label == "ESF"
    assert money(intervention, 2022, 1).financier_label == "Förbundets samordnade medel"


def test_the_year_an_intervention_became_permanent_counts_as_permanent() -> None:
    intervention = Intervention(start=date(2022, 3, 1), form=Form.PERMANENT, permanent_since=date(2024, 7, 1))
    assert [intervention.form_in_year(y) for y in (2022, 2023, 2024, 2025)] == [
        "project",
        "project",
        "permanent",
        "permanent",
    ]
    assert Intervention(start=date(2022, 1, 1), form=Form.PROJECT).form_in_year(2030) == "project"
