"""Downloads for analysts: result tables, anonymous responses and the PDF report."""

from __future__ import annotations

import base64
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import exports
from .models import Campaign
from .results import CampaignResults, campaign_results, results_payload
from .results_views import level_sentence, picture_for, visible_free_texts

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "json": "application/json",
    "pdf": "application/pdf",
}


def _campaign(association: Association, pk: int) -> Campaign:
    return get_object_or_404(
        Campaign.objects.for_association(association).select_related("instrument", "previous"), pk=pk
    )


def _filename(campaign: Campaign, kind: str, fmt: str) -> str:
    return f"{slugify(campaign.name) or 'matning'}-{kind}.{fmt}"


def _download(body: Any, campaign: Campaign, kind: str, fmt: str) -> HttpResponse:
    response_class = StreamingHttpResponse if not isinstance(body, bytes | str) else HttpResponse
    response = response_class(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, kind, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


def export_body(results: CampaignResults, kind: str, fmt: str) -> Any:
    """The bytes (or a stream of bytes) of one export; raises KeyError for an unknown kind/format."""
    import json

    builders = {
        ("resultat", "csv"): lambda: exports.results_csv(results),
        ("resultat", "xlsx"): lambda: exports.results_xlsx(results),
        ("resultat", "sav"): lambda: exports.results_sav(results),
        ("resultat", "json"): lambda: json.dumps(results_payload(results), ensure_ascii=False, indent=2).encode(),
        ("svar", "csv"): lambda: exports.responses_csv_stream(results),
        ("svar", "xlsx"): lambda: exports.responses_xlsx(results),
        ("svar", "sav"): lambda: exports.responses_sav(results),
    }
    return builders[(kind, fmt)]()


@association_view(role=Role.ANALYST)
def export(request: HttpRequest, association: Association, pk: int, kind: str, fmt: str) -> HttpResponse:
    campaign = _campaign(association, pk)
    results = campaign_results(campaign=campaign)
    try:
        body = export_body(results, kind, fmt)
    except KeyError:
        raise Http404 from None
    return _download(body, campaign, "resultat" if kind == "resultat" else "svar", fmt)


def report_html(results: CampaignResults) -> str:
    picture = picture_for(results)
    encoded = base64.b64encode(str(picture).encode()).decode()
    return render_to_string(
        "measure/report_pdf.html",
        {
            "campaign": results.campaign,
            "results": results,
            "picture_data": f"data:image/svg+xml;base64,{encoded}",
            "sentences": [level_sentence(level.label, level.total) for level in results.levels],
            "free_texts": visible_free_texts(results),
            "made_on": timezone.localdate(),
        },
    )


def report_pdf_bytes(results: CampaignResults) -> bytes:
    from weasyprint import HTML

    return HTML(string=report_html(results)).write_pdf()


@association_view(role=Role.ANALYST)
def report_pdf(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = _campaign(association, pk)
    results = campaign_results(campaign=campaign)
    response = HttpResponse(report_pdf_bytes(results), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{_filename(campaign, _("rapport"), "pdf")}"'
    response["Cache-Control"] = "no-store"
    return response
