"""The portfolio: shares per year, who finances what, the agency matrix, budget against outcome, the export."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from samverkan.interventions.models import FinancierKind, Orientation
from samverkan.interventions.portfolio import build_portfolio
from samverkan.interventions.portfolio_counts import participant_totals
from samverkan.tenancy.models import Agency

from .factories import InterventionFactory, heads, money, permanent, time

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio_of_a(actors):
    """A project (2022–2023) and a structural operation, permanent from its start in 2022; head counts."""
    a = actors.association
    fk = Agency.objects.get(name="Försäkringskassan")
    region = Agency.objects.get(name="Region Test")
    project = InterventionFactory(association=a, name="Projektet", code="p", end=date(2023, 12, 31))
    project.agencies.set([fk])
    money(project, 2022, 900, budget=1000)
    money(project, 2023, 300, budget=400, financier_kind=FinancierKind.EXTERNAL, external_name="ESF")
    lasting = permanent(
        a, date(2022, 1, 1), name="Verksamheten", code="v", start=date(2022, 1, 1), orientation=Orientation.STRUCTURAL
    )
    lasting.agencies.set([fk, region])
    money(lasting, 2022, 100)
    money(lasting, 2023, 600, financier_kind=FinancierKind.AGENCY, agency=region, budget=500)
    money(lasting, 2023, 100)
    time(lasting, 2023, fk, "120")
    time(lasting, 2023, fk, "0.5", unit="fte")
    heads(lasting, 2022, 30)
    heads(lasting, 2023, 40)
    heads(project, 2022, 20)  # a structural-style head count on the project, for the participants' split
    # Another association's money never enters.
    theirs = InterventionFactory(association=actors.other_association)
    money(theirs, 2023, 10**9)
    return project, lasting


def test_money_moves_from_projects_to_permanent_operations(actors, portfolio_of_a) -> None:
    portfolio = build_portfolio(actors.association, None)
    assert portfolio.years == [2022, 2023]
    by_year = {r.year: r for r in portfolio.rows}
    assert (by_year[2022].money.project, by_year[2022].money.permanent) == (900, 100)
    assert by_year[2022].money_percent == (90, 10)
    assert (by_year[2023].money.project, by_year[2023].money.permanent) == (300, 700)
    assert by_year[2023].money_percent == (30, 70)
    assert portfolio.year == 2023  # the latest year with money by default


def test_participants_split_by_form_per_year(actors, portfolio_of_a) -> None:
    rows = {r.year: r for r in build_portfolio(actors.association, None).rows}
    assert (rows[2022].participants.project, rows[2022].participants.permanent) == (20, 30)
    assert rows[2022].participants_percent == (40, 60)
    assert (rows[2023].participants.project, rows[2023].participants.permanent) == (0, 40)


def test_a_year_with_too_few_participants_in_one_form_hides_both_parts(actors, portfolio_of_a) -> None:
    project, _lasting = portfolio_of_a
    heads(project, 2023, 3)  # 3 < the minimum group size (5): the total minus one part would give it away
    portfolio = build_portfolio(actors.association, 2023)
    row = next(r for r in portfolio.rows if r.year == 2023)
    assert row.participants_hidden and row.participants is None and row.participants_percent is None
    assert not any(p.year == 2023 for p in portfolio.chart.participants.points)
    html = actors.client_for(actors.member).get(reverse("interventions:portfolio", args=["alfa"])).content.decode()
    assert "för få att visa (under 5)" in html
    assert ">3<" not in html and ">43<" not in html


def test_participant_totals_count_the_head_counts_of_the_association_only(actors, portfolio_of_a) -> None:
    project, lasting = portfolio_of_a
    heads(InterventionFactory(association=actors.other_association), 2022, 999)
    assert participant_totals(actors.association) == {
        (lasting.pk, 2022): 30,
        (lasting.pk, 2023): 40,
        (project.pk, 2022): 20,
    }


def test_who_finances_what_in_the_chosen_year(actors, portfolio_of_a) -> None:
    portfolio = build_portfolio(actors.association, 2023)
    assert [f.label for f in portfolio.financiers] == ["Förbundets samordnade medel", "Region Test", "ESF"]
    table = {r["intervention"].name: r["cells"] for r in portfolio.financing_rows}
    assert table == {"Projektet": [None, None, 300], "Verksamheten": [100, 600, None]}
    assert portfolio.financing_totals == [100, 600, 300]


def test_the_agency_matrix_shows_who_takes_part_and_who_gives_money_or_time(actors, portfolio_of_a) -> None:
    portfolio = build_portfolio(actors.association, 2023)
    names = [a.name for a in portfolio.agencies]
    assert set(names) == {"Försäkringskassan", "Arbetsförmedlingen", "Region Test", "Testby kommun"}
    lasting = next(r for r in portfolio.matrix_rows if r["intervention"].name == "Verksamheten")
    cells = {c["agency"].name: c for c in lasting["cells"]}
    assert cells["Försäkringskassan"]["takes_part"] and cells["Försäkringskassan"]["time"]
    assert cells["Region Test"]["takes_part"] and cells["Region Test"]["money"]
    assert not cells["Arbetsförmedlingen"]["takes_part"]
    assert portfolio.in_kind_rows == [{"agency": "Försäkringskassan", "hours": 120, "fte": 0.5}]


def test_budget_against_outcome(actors, portfolio_of_a) -> None:
    portfolio = build_portfolio(actors.association, 2023)
    rows = {r["intervention"].name: r for r in portfolio.budget_rows}
    assert (rows["Projektet"]["budget"], rows["Projektet"]["outcome"], rows["Projektet"]["difference"]) == (
        400,
        300,
        -100,
    )
    assert rows["Projektet"]["used_percent"] == 75
    # A row without a budget adds nothing to the budget; the outcome counts every krona.
    assert (rows["Verksamheten"]["budget"], rows["Verksamheten"]["outcome"]) == (500, 700)
    assert portfolio.budget_totals == {"budget": 900, "outcome": 1000}


def test_an_association_with_nothing_gets_an_empty_portfolio_not_an_error(actors) -> None:
    portfolio = build_portfolio(actors.association, None)
    assert portfolio.years == [] and portfolio.year is None and portfolio.chart.empty
    response = actors.client_for(actors.member).get(reverse("interventions:portfolio", args=["alfa"]))
    assert response.status_code == 200 and "Ingen finansiering" in response.content.decode()
    export = actors.client_for(actors.member).get(reverse("interventions:portfolio_export", args=["alfa"]))
    assert export.status_code == 200


def test_the_portfolio_page_draws_the_arrow_with_its_table(actors, portfolio_of_a) -> None:
    html = actors.client_for(actors.member).get(reverse("interventions:portfolio", args=["alfa"])).content.decode()
    assert 'role="img"' in html and "marker-end" in html and 'id="shares-table"' in html
    assert "70 %" in html and "Kronor 70 %" in html
    assert "10^9" not in html and "1 000 000 000" not in html.replace("\u00a0", " ")


def test_a_bad_year_in_the_address_falls_back_to_the_latest(actors, portfolio_of_a) -> None:
    for value in ("abc", "99999", "1900", "-1"):
        url = reverse("interventions:portfolio", args=["alfa"])
        response = actors.client_for(actors.member).get(url, {"ar": value})
        assert response.status_code == 200
        assert response.context["portfolio"].year == 2023


def test_the_export_has_swedish_headers_and_the_same_numbers(actors, portfolio_of_a) -> None:
    from openpyxl import load_workbook

    response = actors.client_for(actors.member).get(
        reverse("interventions:portfolio_export", args=["alfa"]), {"ar": "2023"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="portfolj-alfa-2023.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "Andel per år",
        "Finansiering 2023",
        "Medverkande 2023",
        "Personaltid 2023",
        "Budget och utfall 2023",
    ]
    shares = list(workbook["Andel per år"].iter_rows(values_only=True))
    assert shares[0][:3] == ("År", "Kronor i projekt", "Kronor i permanent verksamhet")
    assert shares[0][3] == "Andel kronor i permanent verksamhet (%)"
    assert shares[2][:4] == (2023, 300, 700, 70)
    financing = list(workbook["Finansiering 2023"].iter_rows(values_only=True))
    assert financing[0] == ("Insats", "Form", "Förbundets samordnade medel", "Region Test", "ESF", "Summa (kr)")


def test_the_export_hides_what_the_page_hides(actors, portfolio_of_a) -> None:
    from openpyxl import load_workbook

    project, _lasting = portfolio_of_a
    heads(project, 2023, 3)
    response = actors.client_for(actors.member).get(reverse("interventions:portfolio_export", args=["alfa"]))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True)["Andel per år"].iter_rows(values_only=True))
    row_2023 = next(r for r in rows if r[0] == 2023)
    assert row_2023[4:6] == ("för få", "för få")
    assert len(row_2023) == 6 or row_2023[6] is None
