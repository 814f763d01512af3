"""The results page: the three-ring picture, the tables beside it, benchmark and free text."""

from __future__ import annotations

import random
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from .benchmark import level_benchmarks
from .charts import benchmark_strip_svg, distribution_svg
from .models import Answer, Campaign, ItemKind
from .results import CampaignResults, campaign_results, ring_markers
from .rings import ring_picture_svg

RING_NAMES = {
    1: gettext_lazy("Samverkan apart"),
    2: gettext_lazy("Samverkan på fredag"),
    3: gettext_lazy("Integrerad samverkan"),
}


def _campaign(association: Association, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.for_association(association).select_related("instrument", "previous"), pk=pk
    )


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",").replace("-", "−")


def level_sentence(label: str, cell: Any) -> str:
    """The picture in words, one sentence per level (also used by the PDF)."""
    if cell.suppressed or cell.summary is None:
        return _("%(level)s: dolt – för få svar.") % {"level": label}
    s = cell.summary
    text = _("%(level)s: medelvärde %(mean)s (ring %(ring)s, %(name)s)") % {
        "level": label,
        "mean": _fmt(s.mean),
        "ring": s.ring,
        "name": RING_NAMES[s.ring],
    }
    if cell.target_mean is not None:
        text += _(", mål om två år %(target)s") % {"target": _fmt(cell.target_mean)}
    if cell.momentum is not None:
        if cell.momentum.detectable:
            text += _(", förflyttning %(diff)s sedan förra omgången") % {"diff": _fmt(cell.momentum.difference)}
        else:
            text += _(", ingen säkerställd förändring sedan förra omgången")
    if s.disagreement:
        text += _(", oenighet")
    return text + "."


def picture_for(results: CampaignResults) -> Any:
    return ring_picture_svg(
        ring_markers(results),
        title=_("Tre ringar: %(campaign)s") % {"campaign": results.campaign.name},
        description=" ".join(level_sentence(level.label, level.total) for level in results.levels),
    )


@association_view()
def results(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = _campaign(association, pk)
    data = campaign_results(campaign=campaign)
    levels = []
    for level in data.levels:
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
        levels.append({"level": level, "rows": rows, "sentence": level_sentence(level.label, level.total)})
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
            "benchmark_state": "off" if not association.benchmark_opt_in else ("shown" if benchmarks else "too_few"),
            "can_export": request.membership.has_role(Role.ANALYST),  # type: ignore[attr-defined]
            "has_text": bool(data.text_items),
        },
    )


def visible_free_texts(results: CampaignResults) -> list[dict[str, Any]]:
    """Free-text answers per text item and group, only for groups with at least the minimum size.

    Shuffled with a fixed seed per campaign so the order says nothing about when someone answered.
    """
    groups = results.visible_text_groups
    labels = {g.group: g.label for g in results.groups}
    out = []
    for item in results.text_items:
        per_group = []
        for group in groups:
            texts = list(
                Answer.objects.filter(response__campaign=results.campaign, response__respondent_group=group, item=item)
                .exclude(text="")
                .values_list("text", flat=True)
            )
            texts.sort()
            random.Random(f"{results.campaign.pk}-{item.code}-{group}").shuffle(texts)
            per_group.append({"group": labels.get(group, group), "texts": texts})
        out.append({"item": item, "groups": per_group})
    return out


@association_view()
def free_texts(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = _campaign(association, pk)
    data = campaign_results(campaign=campaign)
    if not any(i.kind == ItemKind.TEXT for i in data.text_items):
        raise Http404
    hidden = [g for g in data.groups if g.group not in data.visible_text_groups]
    return render(
        request,
        "measure/free_texts.html",
        {"nav": "matning", "campaign": campaign, "results": data, "items": visible_free_texts(data), "hidden": hidden},
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
                "sentences": [level_sentence(level.label, level.total) for level in data.levels],
            }
    return None
