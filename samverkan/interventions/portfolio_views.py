"""The portfolio page and its XLSX export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_view

from .portfolio import build_portfolio, portfolio_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("ar", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


@association_view()
def portfolio(request: HttpRequest, association: Association) -> HttpResponse:
    data = build_portfolio(association, _year(request))
    return render(request, "interventions/portfolio.html", {"nav": "insatser", "portfolio": data})


@association_view()
def portfolio_export(request: HttpRequest, association: Association) -> HttpResponse:
    data = build_portfolio(association, _year(request))
    response = HttpResponse(portfolio_xlsx(data), content_type=XLSX)
    name = f"portfolj-{association.slug}-{data.year or 'tom'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
