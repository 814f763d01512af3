"""The audit log of interventions, for the association's admins: who changed what, and when."""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from .audit import AUDITED

PAGE_SIZE = 50


def association_log(association: Association) -> QuerySet[LogEntry]:
    """The log entries of this association's interventions (and their rows, and whatever else registered).

    LogEntry has no tenant of its own; each audited model writes its association's id into the entry's
    `additional_data` (`get_additional_data`), and only the entries carrying this association's id are read.
    """
    types = ContentType.objects.get_for_models(*AUDITED).values()
    return (
        LogEntry.objects.filter(content_type__in=types, additional_data__association_id=association.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def _shown(value: Any) -> str:
    return "" if value in (None, "None") else str(value)


def entry_changes(entry: LogEntry) -> list[dict[str, str]]:
    """(field's Swedish name, before, after) per changed field; many-to-many as what was added or removed."""
    rows = []
    for field, change in (entry.changes_display_dict or {}).items():
        if isinstance(change, dict):
            rows.append({"field": field, "old": "", "new": ", ".join(str(o) for o in change.get("objects", []))})
        else:
            old, new = [*list(change), "", ""][:2]
            rows.append({"field": field, "old": _shown(old), "new": _shown(new)})
    return rows


def _kind(entry: LogEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else entry.content_type.model


@association_view(role=Role.ADMIN)
def audit_log(request: HttpRequest, association: Association) -> HttpResponse:
    page = Paginator(association_log(association), PAGE_SIZE).get_page(request.GET.get("sida"))
    entries = [{"entry": e, "kind": _kind(e), "changes": entry_changes(e)} for e in page.object_list]
    return render(request, "interventions/audit_log.html", {"nav": "insatser", "page": page, "entries": entries})
