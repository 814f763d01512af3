"""Reads of jobs for pages: the one "job of this association or 404", and a page's latest job."""

from __future__ import annotations

import uuid

from django.http import Http404

from samverkan.tenancy.models import Association

from .models import Job


def job_for_association_or_404(association: Association, job_id: uuid.UUID | str) -> Job:
    # Another association's job is a 404 under any slug: the row is looked up within the association.
    job = Job.objects.filter(association=association, pk=job_id).defer("result", "payload").first()
    if job is None:
        raise Http404
    return job


def latest_job(association: Association, *, kind: str, key: str) -> Job | None:
    """The newest job of this kind and key (active or not), for a page that shows its bar."""
    return Job.objects.filter(association=association, kind=kind, key=key).defer("result", "payload").first()
