"""The results page: the three-ring picture, the tables beside it, benchmark and free text."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from samverkan.jobs.models import Job
from samverkan.jobs.services import JobAlreadyRunning, job_start
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors
from .benchmark import benchmark_min_peers, level_benchmarks
from .charts import benchmark_strip_svg, distribution_svg
from .export_tables import visible_text_answers
from .models import Campaign, ItemKind
from .presentation import level_sentences, picture_for
from .results import campaign_results, results_from_snapshot
from .snapshot import snapshot_rebuild_in_background

REBUILD_JOB = "measure.results"


def _rebuild_started(request: HttpRequest, association: Association, campaign: Campaign) -> Job:
    """Start the job that rebuilds the results (tasks.results_rebuild), or find the one already running."""
    from .tasks import results_rebuild

    try:
        return job_start(
            association=association,
            kind=REBUILD_JOB,
            key=f"campaign:{campaign.pk}",
            title=_("Resultaten för %(name)s uppdateras") % {"name": campaign.name},
            task=results_rebuild,
            args=[campaign.pk],
            role=Role.MEMBER,
            created_by=request.user,
            total=3,
            return_url=reverse("measure:results", args=[association.slug, campaign.pk]),
        )
    except JobAlreadyRunning as busy:
        if busy.job is None:
            raise
        return busy.job


@association_view()
def results(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    rebuild_job = None
    stale = snapshot_rebuild_in_background(campaign)
    if stale is not None:
        # A large open round: show the last published figures now and rebuild them in a job (with its bar).
        rebuild_job = _rebuild_started(request, association, campaign)
        data = results_from_snapshot(campaign, stale.data)
    else:
        data = campaign_results(campaign=campaign)
    levels = []
    for level, sentence in zip(data.levels, level_sentences(data), strict=True):
        rows = []
        for cell in [*level.rows, level.total]:
            rows.append(
                {
                    "cell": cell,
                    "chart": distribution_svg(cell.counts or {}, label=f"{level.label}, {cell.label}", width=150)
                    if not cell.suppressed
                    else "",
                }
            )
        levels.append({"level": level, "rows": rows, "sentence": sentence})
    items = [
        {
            "item": item,
            "chart": distribution_svg(item.total.counts or {}, label=item.text, width=150)
            if not item.total.suppressed
            else "",
        }
        for item in data.items
    ]
    benchmarks = level_benchmarks(association=association, campaign=campaign) if data.levels else None
    benchmark_rows = []
    for b in benchmarks or []:
        benchmark_rows.append(
            {
                "b": b,
                "chart": benchmark_strip_svg(
                    [p.mean for p in b.peers],
                    b.own,
                    label=_("%(level)s: vårt medelvärde bland de andra förbundens") % {"level": b.label},
                ),
                "named": [p for p in b.peers if p.name],
            }
        )
    has_previous = any(level.total.momentum is not None for level in data.levels)
    return render(
        request,
        "measure/results.html",
        {
            "nav": "matning",
            "campaign": campaign,
            "results": data,
            "picture": picture_for(data) if data.levels and not data.total_suppressed else None,
            "levels": levels,
            "items": items,
            "has_previous": has_previous,
            "benchmarks": benchmark_rows,
            "benchmark_min_peers": benchmark_min_peers(),
            "benchmark_state": "own_instrument"
            if campaign.instrument.association_id is not None
            else "off"
            if not association.benchmark_opt_in
            else ("shown" if benchmarks else "too_few"),
            "can_export": request.membership.has_role(Role.ANALYST),  # type: ignore[attr-defined]
            "rebuild_job": rebuild_job,
            "has_text": bool(data.text_items),
        },
    )


@association_view()
def free_texts(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    data = campaign_results(campaign=campaign)
    if not any(i.kind == ItemKind.TEXT for i in data.text_items):
        raise Http404
    hidden = [g for g in data.groups if g.group not in data.visible_text_groups]
    return render(
        request,
        "measure/free_texts.html",
        {
            "nav": "matning",
            "campaign": campaign,
            "results": data,
            "items": visible_text_answers(data),
            "hidden": hidden,
        },
    )


def start_page_summary(association: Association) -> dict[str, Any] | None:
    """The latest campaign whose results can be shown, as a small picture for the association's start page."""
    campaigns = Campaign.objects.for_association(association).select_related("instrument", "previous")
    for campaign in campaigns.order_by("-opens_on", "-pk")[:5]:
        data = campaign_results(campaign=campaign)
        if data.levels and not data.total_suppressed:
            return {
                "campaign": campaign,
                "picture": picture_for(data),
                "sentences": level_sentences(data),
            }
    return None
