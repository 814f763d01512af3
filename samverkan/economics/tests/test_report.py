"""The scenario's PDF report, rendered by the real WeasyPrint: inputs, results per actor, caveats, access."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.economics import calc
from samverkan.economics.models import Scenario
from samverkan.economics.report import kpi_table, report_html
from samverkan.economics.report import sek as _sek


def sek(value: float) -> str:
    """A figure as the PDF's text gives it (the non-breaking spaces read as spaces)."""
    return _sek(value).replace("\xa0", " ").replace("\u2009", " ")


SCENARIO: dict[str, Any] = {
    "name": "Rapportprov",
    "price_year": 2023,
    "discount_rate": 0.035,
    "horizon_years": 5,
    "kpi": {"2022": 371.91, "2023": 403.7},
    "participants": 40,
    "investments": [
        {"actor": "samordningsforbund", "year": 1, "amount": 1500000, "price_year": 2023, "source": "Budget 2023"}
    ],
    "outcomes": [
        {
            "name": "Försörjningsstöd som upphör",
            "kind": "transfer",
            "payer": "kommun",
            "receiver": "individen",
            "amount_per_person_year": {"distribution": "triangular", "low": 90000, "mode": 120000, "high": 140000},
            "price_year": 2022,
            "persons": 10,
            "source": "Exempel: Finsam Uppsala län, Nyttoanalys (2022)",
        },
        {
            "name": "Produktion",
            "kind": "real",
            "actor": "samhallet",
            "amount_per_person_year": 300000,
            "price_year": 2023,
            "persons": 8,
            "source": "Egen uppskattning",
        },
    ],
    "deadweight": 0.2,
    "decay": 0.1,
    "draws": 2000,
    "seed": 1,
}


def pdf_page_count(body: bytes) -> int:
    """The PDF's page objects, its compressed object streams unpacked (no PDF library is installed)."""
    import re
    import zlib

    unpacked = [body]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", body, flags=re.S):
        try:
            unpacked.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", chunk)) for chunk in unpacked)


def pdf_text(html: str) -> str:
    """The text WeasyPrint lays out on the pages of the PDF (the real renderer, page by page)."""
    from weasyprint import HTML

    document = HTML(string=html).render()
    parts: list[str] = []

    def walk(box: Any) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", ()) or ():
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(" ".join(parts).split())


@pytest.fixture
def scenario(actors: Any) -> Scenario:
    return Scenario.objects.create(association=actors.association, name="Rapportprov", data=SCENARIO)


def _url(slug: str, scenario: Scenario) -> str:
    return reverse("economics:scenario_pdf", args=[slug, scenario.pk])


def test_a_member_downloads_the_scenario_as_a_pdf(actors: Any, scenario: Scenario) -> None:
    response = actors.client_for(actors.member).get(_url(actors.association.slug, scenario))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    assert pdf_page_count(body) >= 2


def test_the_pdf_shows_every_input_with_its_source_and_price_year(actors: Any, scenario: Scenario) -> None:
    text = pdf_text(report_html(scenario, kpi_table=kpi_table()))
    for expected in (
        "Rapportprov",
        "Budget 2023",
        "Försörjningsstöd som upphör",
        "Finsam Uppsala län",
        "Egen uppskattning",
        "Exempel",  # the example row is labelled
        "Kalkylränta",
        "3,5 %",
        "Dödvikt",
        "20 %",
        "Avtagande effekt",
        "10 %",
        "Tidshorisont",
        "371,91",  # the KPI of the outcome's price year
        "Fördelning av förbundets medel",
        "Försäkringskassan",
    ):
        assert expected in text, expected
    # The example row carries the label (once, not "Exempel Exempel:"), the association's own row does not.
    assert "Exempel Finsam Uppsala län" in text and "Exempel Exempel" not in text
    assert "Exempel Egen uppskattning" not in text
    assert "90 000 kr–" in text and "140 000 kr (troligast 120 000 kr" in text  # the range, not only its mode


def test_the_pdf_has_the_results_per_actor_after_one_year_and_after_the_horizon(
    actors: Any, scenario: Scenario
) -> None:
    parsed = calc.parse_scenario(SCENARIO, kpi_table=kpi_table())
    text = pdf_text(report_html(scenario, kpi_table=kpi_table()))
    assert "Efter ett år" in text and "Efter 5 år" in text
    for horizon in (1, None):
        result = calc.evaluate(parsed, horizon_years=horizon)
        assert sek(result["actors"]["totalt"]["npv"]) in text
        assert sek(result["actors"]["kommun"]["gain"]) in text
    simulation = calc.simulate(parsed)
    assert "Sannolikhet att avkastningen > 1" in text
    assert sek(simulation["totalt"]["npv_p50"]) in text


def test_a_ten_year_scenarios_pdf_also_has_the_results_after_five_years(actors: Any) -> None:
    data = {**SCENARIO, "horizon_years": 10}
    long = Scenario.objects.create(association=actors.association, name="Tio år", data=data)
    text = pdf_text(report_html(long, kpi_table=kpi_table()))
    assert "Efter ett år" in text and "Efter fem år" in text and "Efter 10 år" in text
    five = calc.evaluate(calc.parse_scenario(data, kpi_table=kpi_table()), horizon_years=5)
    assert sek(five["actors"]["totalt"]["npv"]) in text


def test_a_transfer_nets_to_zero_for_the_total_and_the_pdf_says_so(actors: Any, scenario: Scenario) -> None:
    only_transfer = {**SCENARIO, "outcomes": SCENARIO["outcomes"][:1]}
    parsed = calc.parse_scenario(only_transfer, kpi_table=kpi_table())
    result = calc.evaluate(parsed)
    assert result["actors"]["totalt"]["gain"] == pytest.approx(0, abs=0.01)
    scenario.data = only_transfer
    scenario.save()
    text = pdf_text(report_html(scenario, kpi_table=kpi_table()))
    assert "tar ut sig själv i summan för samhället" in text
    assert "ingen skattning av insatsens effekt" in text


def test_a_scenario_without_ranges_has_no_monte_carlo_table(actors: Any, scenario: Scenario) -> None:
    fixed = {**SCENARIO, "outcomes": [SCENARIO["outcomes"][1]]}
    scenario.data = fixed
    scenario.save()
    text = pdf_text(report_html(scenario, kpi_table=kpi_table()))
    assert "Monte Carlo" not in text and "Efter ett år" in text


def test_a_stored_scenario_that_does_not_calculate_is_a_400_with_the_reason(actors: Any, scenario: Scenario) -> None:
    scenario.data = {**SCENARIO, "discount_rate": "hög"}
    scenario.save()
    response = actors.client_for(actors.member).get(_url(actors.association.slug, scenario))
    assert response.status_code == 400
    assert "discount_rate" in response.content.decode()


def test_another_associations_user_gets_404_and_an_anonymous_visitor_the_login(actors: Any, scenario: Scenario) -> None:
    outsider = actors.client_for(actors.outsider)
    assert outsider.get(_url(actors.association.slug, scenario)).status_code == 404
    assert outsider.get(_url(actors.other_association.slug, scenario)).status_code == 404
    anonymous = Client().get(_url(actors.association.slug, scenario))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/konto/logga-in/")


def test_a_post_makes_the_same_pdf_as_a_long_job_with_its_download(actors: Any, scenario: Scenario) -> None:
    from samverkan.jobs.models import Job

    client = actors.client_for(actors.member)
    started = client.post(_url(actors.association.slug, scenario))
    job = Job.objects.get(kind="economics.report")
    assert started.status_code == 302
    assert started["Location"] == reverse("jobs:status", args=[actors.association.slug, job.pk])
    page = client.get(started["Location"]).content.decode()
    assert "Rapport (PDF): Rapportprov" in page and "rapportprov-rapport.pdf" in page
    download = client.get(reverse("jobs:download", args=[actors.association.slug, job.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content.startswith(b"%PDF-")
    assert pdf_page_count(download.content) >= 2
    assert actors.client_for(actors.outsider).post(_url(actors.association.slug, scenario)).status_code == 404
    assert Job.objects.count() == 1
