"""Downloads for analysts: result tables, anonymous responses and the PDF report.

Every download reads `campaign_results` (the suppressed figures) and nothing
else, so a group below the minimum size never appears in any format. Only the
analyst role (and admin) may download; the campaign is looked up within the
association of the URL, so another association's campaign is a 404.

A GET gives the file in the request. The results page does that only for the
result tables, which are small whatever the number of answers (they come from
the snapshot). The anonymous responses (a row per answer: 100,000 rows in a
large round) and the PDF report (WeasyPrint, seconds) are POSTed instead: that
starts a long job (samverkan/jobs, tasks.export_build) and shows its page with
the bar and then the download link. The job writes exactly the bytes the GET
gives (export_bytes), so the suppression rules are the same.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_scopes import scope

from samverkan.common.pdf import pdf_bytes
from samverkan.jobs.services import JobAlreadyRunning, job_start
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import export_tables, exports, selectors
from .models import Campaign
from .presentation import level_sentences, picture_for
from .published import results_payload
from .results import CampaignResults, campaign_results

KINDS = ("resultat", "svar")
FORMATS = ("csv", "xlsx", "sav", "json")

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
    "json": "application/json",
    "pdf": "application/pdf",
}


EXPORT_JOB = "measure.export"
REPORT = "rapport"  # the kind of the PDF report among the export jobs


def filename_for(campaign: Campaign, kind: str, fmt: str) -> str:
    return f"{slugify(campaign.name) or 'matning'}-{_('rapport') if kind == REPORT else kind}.{fmt}"


def _in_scope(body: Iterable[Any], campaign: Campaign) -> Iterator[Any]:
    """A stream is read after the view has returned, outside its scope: each chunk is made in the scope of the
    campaign's association again (set and cleared around each chunk, so nothing is left behind)."""
    chunks = iter(body)
    while True:
        with scope(association=campaign.association_id):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def _download(body: Any, campaign: Campaign, kind: str, fmt: str) -> HttpResponse | StreamingHttpResponse:
    response: HttpResponse | StreamingHttpResponse
    if isinstance(body, bytes | str):
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    else:
        response = StreamingHttpResponse(_in_scope(body, campaign), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename_for(campaign, kind, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


def export_body(results: CampaignResults, kind: str, fmt: str) -> Any:
    """The bytes (or, for the responses CSV, a stream of bytes) of one export.

    Raises KeyError for a kind/format pair that does not exist (responses have no JSON).
    """
    builders: dict[tuple[str, str], Callable[[], Any]] = {
        ("resultat", "csv"): lambda: exports.results_csv(results),
        ("resultat", "xlsx"): lambda: exports.results_xlsx(results),
        ("resultat", "sav"): lambda: exports.results_sav(results),
        ("resultat", "json"): lambda: json.dumps(results_payload(results), ensure_ascii=False, indent=2).encode(),
        ("svar", "csv"): lambda: exports.responses_csv_stream(results),
        ("svar", "xlsx"): lambda: exports.responses_xlsx(results),
        ("svar", "sav"): lambda: exports.responses_sav(results),
    }
    return builders[(kind, fmt)]()


def export_bytes(results: CampaignResults, kind: str, fmt: str) -> bytes:
    """The whole file of one export, or (kind "rapport") of the PDF report: what a long job stores."""
    if kind == REPORT:
        return report_pdf_bytes(results)
    body = export_body(results, kind, fmt)
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes):
        return body
    return b"".join(chunk.encode() if isinstance(chunk, str) else chunk for chunk in body)


def _export_title(campaign: Campaign, kind: str, fmt: str) -> str:
    names = {"xlsx": "Excel", "csv": "CSV", "sav": "SPSS", "json": "JSON", "pdf": "PDF"}
    what = {"resultat": _("Resultat"), "svar": _("Anonyma svar"), REPORT: _("Rapport")}[kind]
    return f"{what} ({names[fmt]}): {campaign.name}"


def export_start(
    request: HttpRequest, association: Association, campaign: Campaign, kind: str, fmt: str
) -> HttpResponse:
    """Start the export as a long job and go to its page; the same export twice at once goes to the first."""
    from .tasks import export_build

    results_url = reverse("measure:results", args=[association.slug, campaign.pk])
    try:
        job = job_start(
            association=association,
            kind=EXPORT_JOB,
            key=f"campaign:{campaign.pk}:{kind}.{fmt}",
            title=_export_title(campaign, kind, fmt),
            task=export_build,
            args=[campaign.pk, kind, fmt],
            role=Role.ANALYST,
            created_by=request.user,
            total=3,
            return_url=results_url,
        )
    except JobAlreadyRunning as busy:
        messages.error(request, busy.messages[0])
        if busy.job is None:  # it ended between the refusal and the look-up: the person may start it again
            return redirect(results_url)
        job = busy.job
    return redirect("jobs:status", slug=association.slug, job_id=job.pk)


@association_view(role=Role.ANALYST)
def export(
    request: HttpRequest, association: Association, pk: int, kind: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if kind not in KINDS or fmt not in FORMATS or (kind, fmt) == ("svar", "json"):
        raise Http404
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if request.method == "POST":
        return export_start(request, association, campaign, kind, fmt)
    results = campaign_results(campaign=campaign)
    try:
        body = export_body(results, kind, fmt)
    except KeyError:
        raise Http404 from None
    return _download(body, campaign, kind, fmt)


# --- the PDF report ------------------------------------------------------------------------------


def _picture_data_uri(results: CampaignResults) -> str:
    svg = str(picture_for(results)).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def report_html(results: CampaignResults) -> str:
    """The report as HTML for WeasyPrint (not served to browsers; its CSS is inline)."""
    sentences = level_sentences(results)
    show = bool(results.levels) and not results.total_suppressed
    return render_to_string(
        "measure/report_pdf.html",
        {
            "campaign": results.campaign,
            "results": results,
            "picture_data": _picture_data_uri(results) if show else None,
            "sentences": sentences,
            "levels": [
                {"level": level, "cells": [*level.rows, level.total], "sentence": sentence}
                for level, sentence in zip(results.levels, sentences, strict=True)
            ],
            "hallmarks": [{"hallmark": h, "cells": [*h.rows, h.total]} for h in results.hallmarks],
            "free_texts": export_tables.visible_text_answers(results),
            "made_on": timezone.localdate(),
        },
    )


def report_pdf_bytes(results: CampaignResults) -> bytes:
    return pdf_bytes(report_html(results))


@association_view(role=Role.ANALYST)
def report_pdf(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_association_or_404(association, pk)
    if request.method == "POST":
        return export_start(request, association, campaign, REPORT, "pdf")
    results = campaign_results(campaign=campaign)
    response = HttpResponse(report_pdf_bytes(results), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="{filename_for(campaign, REPORT, "pdf")}"'
    response["Cache-Control"] = "no-store"
    return response
