"""Results pages and exports (placeholder until the results views land)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view


@association_view()
def results(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    raise Http404


@association_view()
def free_texts(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    raise Http404


@association_view(role=Role.ANALYST)
def report_pdf(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    raise Http404


@association_view(role=Role.ANALYST)
def export(request: HttpRequest, association: Association, pk: int, kind: str, fmt: str) -> HttpResponse:
    raise Http404
