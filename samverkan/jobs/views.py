"""A job's page (full, or its bar alone for htmx's poll) and the download of its file."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_view

from .models import Job, JobStatus
from .selectors import job_for_association_or_404


def _job_for(request: HttpRequest, association: Association, job_id: uuid.UUID) -> Job:
    job = job_for_association_or_404(association, job_id)
    # Each job names the least role that may watch it (an export: analyst; an invitation list: admin).
    if not request.membership.has_role(job.role):  # type: ignore[attr-defined]
        raise PermissionDenied
    return job


@association_view()
def job_status(request: HttpRequest, association: Association, job_id: uuid.UUID) -> HttpResponse:
    job = _job_for(request, association, job_id)
    # What the page that includes the bar wants once the job is over: to be reloaded, or a link back.
    then = {"ladda-om": "reload", "lank": "link"}.get(request.GET.get("sedan", ""), "")
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "jobs/_progress.html", {"job": job, "then": then})
        if then == "reload" and not job.active:
            response["HX-Refresh"] = "true"  # the page shows the job's outcome itself: load it again
        return response
    return render(request, "jobs/job.html", {"job": job})


@association_view()
def job_download(request: HttpRequest, association: Association, job_id: uuid.UUID) -> HttpResponse:
    job = _job_for(request, association, job_id)
    expired = job.expires_at is not None and job.expires_at <= timezone.now()
    if job.status != JobStatus.DONE or not job.result_name or expired:
        return render(request, "jobs/gone.html", {"job": job, "expired": expired}, status=410 if expired else 404)
    data = Job.objects.filter(pk=job.pk).values_list("result", flat=True).get()
    response = HttpResponse(bytes(data or b""), content_type=job.result_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.result_name}"'
    response["Cache-Control"] = "no-store"
    return response
