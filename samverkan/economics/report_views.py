"""The scenario's PDF report and the integration-and-return page (issue 12).

Everyone in the association reads both (as the scenario pages): a scenario holds no personal data, and
the integration page reads Mät's results only through its suppression choke point. Another
association's scenario is a 404 (the scenario is looked up within the URL's association).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_view

from . import calc
from .integration import integration_return as integration_data
from .report import kpi_table, report_pdf
from .scenario_selectors import scenario_for_association_or_404


def _optional_url(name: str, slug: str) -> str | None:
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


def pdf_filename(name: str) -> str:
    return f"{slugify(name) or 'scenario'}-{_('rapport')}.pdf"


@association_view()
def scenario_pdf(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    scenario = scenario_for_association_or_404(association, scenario_id)
    try:
        pdf = report_pdf(scenario, kpi_table=kpi_table())
    except calc.ScenarioError as error:
        return HttpResponse(
            _("Scenariot går inte att räkna, så det finns ingen rapport: %(reason)s") % {"reason": error},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(scenario.name)}"'
    response["Cache-Control"] = "no-store"
    return response


@association_view()
def integration_return(request: HttpRequest, association: Association) -> HttpResponse:
    data = integration_data(association)
    return render(
        request,
        "economics/integration_return.html",
        {
            "nav": "samhallsekonomi",
            "data": data,
            "chart": data.chart,
            "price_url": _optional_url("economics:price_list", association.slug),
            "integration_url": reverse("economics:integration_return", args=[association.slug]),
        },
    )
