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
    "kpi": {"2024": 399.5, "2025": 404.2},  # no input on the page: carried along as it came
    "pool_split": {"forsakringskassan": 0.5, "region": 0.25, "kommun": 0.25},
    "participants": 40,
    "investments": [
        {"actor": "samordningsforbund", "year": 1, "amount": 1500000, "price_year": 2025},
        {
            "actor": "kommun",
            "year": 2,
            "amount": {"distribution": "pert", "low": 200000, "mode": 300000, "high": 500000},
        },
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
        for name in form.fields:
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
    response = actors.client_for(actors.member).get(reverse("economics:scenario_detail", args=["alfa", scenario.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Efter 1 år" in html and "Efter 5 år" in html
    assert "P(avkastning > 1)" in html
    assert "<svg" in html and "<title" in html and "<desc" in html
    assert "Vem investerar, vem vinner" in html


# --- the builder without JavaScript -------------------------------------------------------------------------


def test_adding_and_removing_rows_keeps_everything_typed(actors: Any) -> None:
    client = actors.client_for(actors.analyst)
    url = reverse("economics:scenario_create", args=["alfa"])
    posted = _post_data(EXAMPLE, action="add_outcome")
    posted["s-name"] = "Skrivet men inte sparat"
    html = client.post(url, posted).content.decode()
    assert 'value="Skrivet men inte sparat"' in html
    assert 'name="out-2-name"' in html  # a third, empty outcome row
    assert not Scenario.objects.exists()
    posted = _post_data(EXAMPLE, action="remove_outcome:0")
    html = client.post(url, posted).content.decode()
    assert "Försörjningsstöd som inte betalas ut" not in html
    assert 'value="Produktionsvärde"' in html


def test_a_blank_added_row_is_ignored_when_saving(actors: Any) -> None:
    posted = _post_data(EXAMPLE, action="save")
    posted["out-TOTAL_FORMS"] = "3"
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    assert response.status_code == 302
    assert len(Scenario.objects.get().data["outcomes"]) == 2


def test_a_calculation_error_is_shown_next_to_its_field_and_the_input_is_kept(actors: Any) -> None:
    posted = _post_data(EXAMPLE, action="save")
    posted["inv-1-year"] = "9"  # after the five-year horizon
    posted["out-1-persons__low"] = "20"  # low above the most likely value
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    html = response.content.decode()
    assert response.status_code == 400
    assert not Scenario.objects.exists()
    assert 'id="id_inv-1-year_error"' in html and "tidshorisonten" in html
    assert 'name="inv-1-year" value="9"' in html
    assert "intervallet måste uppfylla" in html


def test_the_form_refuses_a_range_without_its_bounds(actors: Any) -> None:
    posted = _post_data(EXAMPLE, action="save")
    posted["out-0-amount_per_person_year__dist"] = "pert"
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    assert response.status_code == 400
    assert "Ange lägsta och högsta värde" in response.content.decode()


def test_a_typfall_adds_its_outcome_rows_for_the_persons_typed(actors: Any) -> None:
    posted = _post_data(EXAMPLE, action="add_typfall", typfall="forsorjningsstod_arbete", typfall_persons="3")
    html = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    text = html.content.decode()
    assert "Från försörjningsstöd till arbete: Försörjningsstöd som inte längre betalas ut" in text
    assert 'name="out-2-persons" value="3"' in text
    assert 'name="out-3-actor"' in text


# --- upload and download ------------------------------------------------------------------------------------


def test_a_downloaded_scenario_uploads_to_the_same_object(actors: Any, scenario: Scenario) -> None:
    client = actors.client_for(actors.analyst)
    download = client.get(reverse("economics:scenario_json", args=["alfa", scenario.pk]))
    assert download["Content-Type"].startswith("application/json")
    upload = SimpleUploadedFile("s.json", download.content, content_type="application/json")
    response = client.post(reverse("economics:scenario_upload", args=["alfa"]), {"file": upload})
    assert response.status_code == 302
    copy = Scenario.objects.exclude(pk=scenario.pk).get()
    assert copy.data == scenario.data == EXAMPLE


def test_a_bad_upload_reports_every_bad_field_and_writes_nothing(actors: Any) -> None:
    bad = json.loads(json.dumps(EXAMPLE))
    bad["discount_rate"] = 3.5  # per cent instead of a fraction
    bad["investments"][0]["actor"] = "banken"
    bad["investments"][1]["year"] = 7
    bad["outcomes"][0]["receiver"] = "kommun"  # the same as the payer
    bad["outcomes"][1]["persons"] = {"distribution": "pert", "low": 9, "mode": 8, "high": 12}
    bad["okänt"] = 1
    upload = SimpleUploadedFile("s.json", json.dumps(bad).encode(), content_type="application/json")
    response = actors.client_for(actors.analyst).post(
        reverse("economics:scenario_upload", args=["alfa"]), {"file": upload}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert not Scenario.objects.exists()
    for field in (
        "discount_rate",
        "investments[0].actor",
        "investments[1].year",
        "outcomes[0].receiver",
        "outcomes[1].persons",
        "okänt",
    ):
        assert f"<code>{field}</code>" in html, field
    assert "6 fel" in html


def test_an_upload_that_is_not_json_says_where_and_writes_nothing(actors: Any) -> None:
    upload = SimpleUploadedFile("s.json", b'{"name": "x",,}', content_type="application/json")
    response = actors.client_for(actors.analyst).post(
        reverse("economics:scenario_upload", args=["alfa"]), {"file": upload}
    )
    assert response.status_code == 400
    assert "rad 1" in response.content.decode()
    assert not Scenario.objects.exists()


# --- fill from an intervention ------------------------------------------------------------------------------


@pytest.fixture
def intervention(actors: Any) -> Intervention:
    intervention = Intervention.objects.create(
        association=actors.association, name="Steget", code="steget", start=date(2022, 3, 1)
    )
    fk = Agency.objects.get(kind=AgencyKind.FK)
    Financing.objects.create(
        intervention=intervention, year=2022, financier_kind=FinancierKind.POOLED, amount=Decimal(900000)
    )
    Financing.objects.create(
        intervention=intervention, year=2023, financier_kind=FinancierKind.AGENCY, agency=fk, amount=Decimal(200000)
    )
    Financing.objects.create(
        intervention=intervention,
        year=2024,
        financier_kind=FinancierKind.EXTERNAL,
        external_name="ESF",
        amount=Decimal(50000),
    )

    def ended(year: int, start: str, end: str, count: int) -> None:
        AnonymousParticipation.objects.create(
            intervention=intervention,
            start_year=2023,
            end_year=year,
            gender="kvinna",
            age_band="30-39",
            income_start=start,
            income_end=end,
            count=count,
        )

    # 2024: every move big enough to be shown.
    ended(2024, "forsorjningsstod", "lon", 12)
    ended(2024, "a_kassa", "a_kassa", 9)
    ended(2024, "sjukpenning", "sjukpenning", 8)
    # 2025: two people went from sjukersättning to work, below the minimum group size of 5.
    ended(2025, "forsorjningsstod", "lon", 12)
    ended(2025, "forsorjningsstod", "forsorjningsstod", 6)
    ended(2025, "sjukersattning", "lon", 2)
    ended(2025, "sjukersattning", "sjukersattning", 7)
    return intervention


def test_fill_from_an_intervention_copies_its_financing_per_year(actors: Any, intervention: Intervention) -> None:
    posted = _post_data(EXAMPLE, action="fill_intervention", fill_from=f"{intervention.pk}:2024")
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    forms = response.context["forms"]
    investments = [f.initial for f in forms.investments.forms]
    assert [(r["actor"], r["year"], r["amount"], r["price_year"]) for r in investments] == [
        ("samordningsforbund", "1", "900000", "2022"),
        ("forsakringskassan", "2", "200000", "2023"),
        ("staten", "3", "50000", "2024"),
    ]
    assert forms.basics.initial["intervention"] == str(intervention.pk)


def _filled_outcomes(actors: Any, intervention: Intervention, year: int) -> tuple[dict[str, Any], str]:
    posted = _post_data(EXAMPLE, action="fill_intervention", fill_from=f"{intervention.pk}:{year}")
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    outcomes = {f.initial["name"]: f.initial for f in response.context["forms"].outcomes.forms}
    return outcomes, response.content.decode()


def test_fill_from_an_intervention_copies_the_shown_count_of_each_move(actors: Any, intervention: Intervention) -> None:
    outcomes, _html = _filled_outcomes(actors, intervention, 2024)
    row = outcomes["Från försörjningsstöd till arbete: Försörjningsstöd som inte längre betalas ut"]
    assert row["persons"] == "12"
    assert json.loads(row["extra"])["ref"] == {
        "intervention": intervention.pk,
        "year": 2024,
        "typfall": "forsorjningsstod_arbete",
    }
    assert (
        "Från sjuk- eller aktivitetsersättning till arbete: Sjuk- eller aktivitetsersättning som inte längre betalas ut"
        not in outcomes
    )  # nobody made that move
    # The rows typed before the fill stay.
    assert "Produktionsvärde" in outcomes


def test_fill_from_an_intervention_never_copies_a_count_the_outcome_page_hides(
    actors: Any, intervention: Intervention
) -> None:
    from samverkan.economics.typfall import TYPFALL_BY_KEY
    from samverkan.interventions.participant_selectors import outcome_page

    cells = outcome_page(intervention, 2025).transition.cells
    assert cells[("sjukersattning", "lon")] is None  # hidden on the outcome page itself
    outcomes, html = _filled_outcomes(actors, intervention, 2025)
    filled = [row for row in outcomes.values() if '"intervention"' in row.get("extra", "")]
    assert filled
    for row in filled:
        typfall = TYPFALL_BY_KEY[json.loads(row["extra"])["ref"]["typfall"]]
        shown = [cells[(a, b)] for a in typfall.from_sources for b in typfall.to_sources]
        expected = "" if None in shown else str(sum(shown))
        assert row["persons"] == expected, row["name"]
    hidden = outcomes[
        "Från sjuk- eller aktivitetsersättning till arbete: Sjuk- eller aktivitetsersättning som inte längre betalas ut"
    ]
    assert hidden["persons"] == ""
    assert "2" not in {row["persons"] for row in filled}
    assert "För få för att visas" in html


def test_fill_from_an_intervention_whose_year_is_too_small_copies_no_counts(actors: Any) -> None:
    intervention = Intervention.objects.create(
        association=actors.association, name="Liten", code="liten", start=date(2023, 1, 1)
    )
    AnonymousParticipation.objects.create(
        intervention=intervention,
        start_year=2023,
        end_year=2024,
        gender="man",
        age_band="20-24",
        income_start="forsorjningsstod",
        income_end="lon",
        count=3,
    )
    posted = _post_data(EXAMPLE, action="fill_intervention", fill_from=f"{intervention.pk}:2024")
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    assert "för få för att visas" in response.content.decode()
    assert all(f.initial.get("persons") != "3" for f in response.context["forms"].outcomes.forms)


def test_another_associations_intervention_cannot_be_filled_from(actors: Any) -> None:
    theirs = Intervention.objects.create(
        association=actors.other_association, name="Betas", code="betas", start=date(2022, 1, 1)
    )
    Financing.objects.create(intervention=theirs, year=2022, financier_kind=FinancierKind.POOLED, amount=Decimal(777))
    posted = _post_data(EXAMPLE, action="fill_intervention", fill_from=f"{theirs.pk}:")
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    assert "777" not in response.content.decode()
    assert "Välj en insats" in response.content.decode()


# --- access ---------------------------------------------------------------------------------------------------


def _urls(scenario: Scenario) -> list[str]:
    return [
        reverse("economics:scenario_list", args=["alfa"]),
        reverse("economics:scenario_create", args=["alfa"]),
        reverse("economics:scenario_upload", args=["alfa"]),
        reverse("economics:scenario_detail", args=["alfa", scenario.pk]),
        reverse("economics:scenario_edit", args=["alfa", scenario.pk]),
        reverse("economics:scenario_json", args=["alfa", scenario.pk]),
        reverse("economics:scenario_duplicate", args=["alfa", scenario.pk]),
        reverse("economics:scenario_delete", args=["alfa", scenario.pk]),
    ]


def test_every_page_sends_the_anonymous_visitor_to_login(client: Any, scenario: Scenario) -> None:
    for url in _urls(scenario):
        response = client.post(url) if url.endswith(("kopiera/", "radera/")) else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), url


def test_another_associations_user_gets_404_on_every_page(actors: Any, scenario: Scenario) -> None:
    client = actors.client_for(actors.outsider)
    for url in _urls(scenario):
        assert client.post(url).status_code == 404, url
        if f"/{scenario.pk}/" not in url:
            continue
        theirs = url.replace("/alfa/", "/beta/")
        assert client.post(theirs).status_code == 404, theirs  # A's scenario id under B's own slug
        if not url.endswith(("kopiera/", "radera/")):
            assert client.get(theirs).status_code == 404, theirs
    assert Scenario.objects.count() == 1


def test_a_member_reads_but_only_analysts_and_admins_change(actors: Any, scenario: Scenario) -> None:
    member = actors.client_for(actors.member)
    detail = member.get(reverse("economics:scenario_detail", args=["alfa", scenario.pk])).content.decode()
    assert "Ändra scenariot" not in detail and "Radera scenariot" not in detail
    assert member.get(reverse("economics:scenario_json", args=["alfa", scenario.pk])).status_code == 200
    for url in _urls(scenario)[1:]:
        if (
            "/scenarier/" in url
            and url.endswith(("/", ".json"))
            and not url.endswith(("ny/", "las-in/", "andra/", "kopiera/", "radera/"))
        ):
            continue
        assert member.post(url, {"bekrafta": "ja"}).status_code == 403, url
    assert Scenario.objects.filter(pk=scenario.pk).exists()
    analyst = actors.client_for(actors.analyst)
    assert analyst.post(reverse("economics:scenario_duplicate", args=["alfa", scenario.pk])).status_code == 302
    assert Scenario.objects.count() == 2
    response = analyst.post(reverse("economics:scenario_delete", args=["alfa", scenario.pk]), {"bekrafta": "ja"})
    assert response.status_code == 302
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_deleting_needs_the_confirmation(actors: Any, scenario: Scenario) -> None:
    response = actors.client_for(actors.admin).post(reverse("economics:scenario_delete", args=["alfa", scenario.pk]))
    assert response.status_code == 302
    assert Scenario.objects.filter(pk=scenario.pk).exists()


def test_a_stored_scenario_that_no_longer_calculates_says_why_instead_of_failing(actors: Any) -> None:
    broken = Scenario.objects.create(association=actors.association, name="Trasig", data={"price_year": "x"})
    response = actors.client_for(actors.member).get(reverse("economics:scenario_detail", args=["alfa", broken.pk]))
    assert response.status_code == 200
    assert "kan inte räknas" in response.content.decode()


def test_an_outcome_from_the_price_table_copies_amount_price_year_parties_and_source(actors: Any) -> None:
    from samverkan.economics.models import UnitCost

    unit_cost = UnitCost.objects.create(
        association=actors.association,
        item="Försörjningsstöd per hushåll och månad",
        actor="kommun",
        amount=Decimal("9000"),
        unit="per_month",
        price_year=2023,
        source_text="Testby kommun, socialtjänstens budget",
        kind="transfer",
        payer="kommun",
        receiver="individen",
    )
    posted = _post_data(EXAMPLE, action="add_price", price_id=unit_cost.pk, price_persons="4")
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    row = response.context["forms"].outcomes.forms[-1].initial
    assert (row["name"], row["kind"], row["payer"], row["receiver"]) == (
        "Försörjningsstöd per hushåll och månad",
        "transfer",
        "kommun",
        "individen",
    )
    assert (row["amount_per_person_year"], row["price_year"], row["persons"]) == ("108000", "2023", "4")
    assert row["source"] == "Testby kommun, socialtjänstens budget"
    assert "multiplicerat med 12" in response.content.decode()


def test_the_list_shows_each_scenarios_total_result(actors: Any, scenario: Scenario) -> None:
    Scenario.objects.create(association=actors.association, name="Trasig", data={"price_year": "x"})
    html = actors.client_for(actors.member).get(reverse("economics:scenario_list", args=["alfa"])).content.decode()
    assert "Steg till arbete" in html and "Trasig" in html
    assert "kan inte räknas" in html
    assert "Nytt scenario" not in html  # a member reads only
    assert (
        "Nytt scenario"
        in actors.client_for(actors.analyst).get(reverse("economics:scenario_list", args=["alfa"])).content.decode()
    )


def test_numbers_may_be_typed_the_swedish_way(actors: Any) -> None:
    posted = _post_data(EXAMPLE, action="save")
    posted["inv-0-amount"] = "1 500 000"
    posted["s-discount_rate"] = "3,5"
    posted["out-1-amount_per_person_year__low"] = "200\u00a0000"
    response = actors.client_for(actors.analyst).post(reverse("economics:scenario_create", args=["alfa"]), posted)
    assert response.status_code == 302
    assert Scenario.objects.get().data == EXAMPLE


def test_the_matrix_splits_the_associations_money_and_nets_transfers_to_zero(actors: Any, scenario: Scenario) -> None:
    from samverkan.economics.scenario_results import scenario_results

    results = scenario_results(scenario)
    rows = {row["label"]: row for row in results.matrix}
    pooled = rows["Investering: Samordningsförbundet"]["cells"]
    assert pooled["forsakringskassan"] == pytest.approx(-750_000)
    assert pooled["region"] == pooled["kommun"] == pytest.approx(-375_000)
    transfer = rows["Försörjningsstöd som inte betalas ut"]
    assert transfer["cells"]["kommun"] == -transfer["cells"]["individen"] > 0
    assert transfer["total"] == 0
    # Each actor's column adds up to its present value in the per-actor table.
    for row in results.rows:
        if row.is_total:
            continue
        column = sum(m["cells"][row.code] for m in results.matrix)
        assert column == pytest.approx(row.horizon["npv"], abs=2)


def test_a_horizon_longer_than_five_years_also_shows_the_result_after_five_years(actors: Any) -> None:
    # Issue 12: "Results after 1 and 5 years". With a ten-year horizon the page shows year 1, year 5 and year 10,
    # and the five-year figures are calc's own for a five-year horizon.
    from samverkan.economics import calc

    data = {**EXAMPLE, "horizon_years": 10}
    long = services.scenario_create(association=actors.association, data=data, created_by=actors.admin)
    html = (
        actors.client_for(actors.member)
        .get(reverse("economics:scenario_detail", args=["alfa", long.pk]))
        .content.decode()
    )
    assert "Efter 1 år" in html and "Efter 5 år" in html and "Efter 10 år" in html
    five = calc.evaluate(calc.parse_scenario(data), horizon_years=5)["actors"]["totalt"]
    from samverkan.economics.templatetags.economics_tags import kronor

    assert kronor(five["npv"]) in html
    assert kronor(five["npv"]) != kronor(calc.evaluate(calc.parse_scenario(data))["actors"]["totalt"]["npv"])


def test_a_five_year_horizon_shows_no_separate_five_year_table(actors: Any, scenario: Scenario) -> None:
    html = (
        actors.client_for(actors.member)
        .get(reverse("economics:scenario_detail", args=["alfa", scenario.pk]))
        .content.decode()
    )
    assert html.count("Efter 5 år") == 1  # the horizon's own table
