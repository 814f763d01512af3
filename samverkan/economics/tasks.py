"""Background jobs of Samhällsekonomi: the scenario's PDF report as a long job (samverkan/jobs).

The report runs the Monte Carlo, the tornado and WeasyPrint: one to four seconds on the demo's
scenarios, so the page starts it as a job (POST) and shows the bar and then the download; a GET of the
same address gives the same bytes in the request (report_views.scenario_pdf).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from samverkan.jobs.services import JobRun, job_task

from .models import Scenario
from .report import ReportUnavailable, kpi_table, report_pdf


@job_task()
def scenario_report_build(run: JobRun, scenario_id: int) -> None:
    from .report_views import pdf_filename

    scenario = Scenario.objects.select_related("association", "intervention").filter(pk=scenario_id).first()
    if scenario is None:
        run.fail(_("Scenariot finns inte längre."))
        return
    run.progress(1, 2, _("Räknar och skriver rapporten…"))
    try:
        data = report_pdf(scenario, kpi_table=kpi_table())
    except ReportUnavailable as error:
        run.fail(_("Scenariot går inte att räkna, så det finns ingen rapport: %(reason)s") % {"reason": error})
        return
    run.finish(
        data, filename=pdf_filename(scenario.name), content_type="application/pdf", message=_("Rapporten är klar.")
    )
