"""Reads of interventions, always for one association."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from samverkan.measure.models import Campaign
from samverkan.tenancy.models import Association

from .models import Financing, Form, InKind, Intervention, VolumeCount


def intervention_list(association: Association) -> QuerySet[Intervention]:
    return Intervention.objects.for_association(association).prefetch_related("agencies").order_by("name")


def intervention_for_association_or_404(association: Association, pk: int) -> Intervention:
    """The association's intervention with this id; another association's id is a 404, as if it did not exist."""
    intervention = Intervention.objects.for_association(association).filter(pk=pk).first()
    if intervention is None:
        raise Http404
    return intervention


def intervention_detail(association: Association, pk: int) -> Intervention:
    intervention = intervention_for_association_or_404(association, pk)
    return (
        Intervention.objects.for_association(association)
        .prefetch_related(
            "agencies",
            Prefetch("financing", queryset=Financing.objects.select_related("agency")),
            Prefetch("in_kind", queryset=InKind.objects.select_related("agency")),
            Prefetch("volume_counts", queryset=VolumeCount.objects.all()),
            Prefetch("campaigns", queryset=Campaign.objects.select_related("instrument", "previous")),
        )
        .get(pk=intervention.pk)
    )


def intervention_key_figures(association: Association) -> tuple[int, int]:
    """(interventions, of which permanent operations) for the start page."""
    interventions = Intervention.objects.for_association(association)
    return interventions.count(), interventions.filter(form=Form.PERMANENT).count()


def start_panel_summary(association: Association) -> dict[str, Any] | None:
    """This year's (or the latest year's) money, and the share of it in permanent operations."""
    from .portfolio import build_portfolio

    if not Financing.objects.filter(intervention__association=association).exists():
        return None
    portfolio = build_portfolio(association, year=None)
    current = portfolio.current_share
    if current is None or current.money.total == 0:
        return None
    today = timezone.localdate()
    return {"share": current, "year": current.year, "this_year": current.year == today.year}


def financing_years(association: Association) -> list[int]:
    """Every year that has money, staff time or a head count registered, ascending."""
    years: set[int] = set()
    for model in (Financing, InKind, VolumeCount):
        years.update(
            model.objects.filter(intervention__association=association).values_list("year", flat=True).distinct()
        )
    return sorted(years)


def money_by_intervention_year(association: Association) -> list[dict[str, Any]]:
    return list(
        Financing.objects.filter(intervention__association=association)
        .values("intervention_id", "year")
        .annotate(amount=Sum("amount"), budget=Sum("budget"))
        .order_by("intervention_id", "year")
    )
