"""The scenario's PDF report and the integration-and-return page (issue 12).

Everyone in the association reads both (as the scenario pages): a scenario holds no personal data, and
the integration page reads Mät's results only through its suppression choke point. Another
association's scenario is a 404 (the scenario is looked up within the URL's association).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.jobs.services import JobAlreadyRunning, job_start
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from .integration import integration_return as integration_data
from .models import Scenario
from .report import ReportUnavailable, kpi_table, report_pdf
from .scenario_selectors import scenario_for_association_or_404

REPORT_JOB = "economics.report"


def _optional_url(name: str, slug: str) -> str | None:
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


def pdf_filename(name: str) -> str:
    return f"{slugify(name) or 'scenario'}-{_('rapport')}.pdf"


def report_start(request: HttpRequest, association: Association, scenario: Scenario) -> HttpResponse:
    """The report as a long job (it takes seconds) and its page; the same report twice at once goes to the first."""
    from .tasks import scenario_report_build

    back = reverse("economics:scenario_detail", args=[association.slug, scenario.pk])
    try:
        job = job_start(
            association=association,
            kind=REPORT_JOB,
            key=f"scenario:{scenario.pk}",
            title=_("Rapport (PDF): %(name)s") % {"name": scenario.name},
            task=scenario_report_build,
            args=[scenario.pk],
            role=Role.MEMBER,
            created_by=request.user,
            total=2,
            return_url=back,
        )
    except JobAlreadyRunning as busy:
        messages.error(request, busy.messages[0])
        if busy.job is None:
            return redirect(back)
        job = busy.job
    return redirect("jobs:status", slug=association.slug, job_id=job.pk)


@association_view()
def scenario_pdf(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    """GET: the PDF in the request. POST: the same bytes made by a long job, with its progress page."""
    scenario = scenario_for_association_or_404(association, scenario_id)
    if request.method == "POST":
        return report_start(request, association, scenario)
    try:
        pdf = report_pdf(scenario, kpi_table=kpi_table())
    except ReportUnavailable as error:
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
