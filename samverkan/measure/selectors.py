"""Reads for measure pages and exports (no writes)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from samverkan.tenancy.models import Association

from .models import Campaign, Instrument, Item, Response


def campaign_key_figures(*, association: Association) -> tuple[int, int, int]:
    """(campaigns, open campaigns, responses) for the start page."""
    today = timezone.localdate()
    figures = Campaign.objects.for_association(association).aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(closed_on__isnull=True, opens_on__lte=today, closes_on__gte=today)),
    )
    responses = Response.objects.filter(campaign__association=association).count()
    return figures["total"], figures["open"], responses


def campaign_list(*, association: Association) -> list[Campaign]:
    return list(
        Campaign.objects.for_association(association)
        .select_related("instrument", "previous")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_on", "name")
    )


def instruments_available(*, association: Association) -> list[Instrument]:
    return list(Instrument.objects.available_to(association).order_by("association_id", "name", "-version"))


def campaign_response_total(*, campaign: Campaign) -> int:
    return Response.objects.filter(campaign=campaign).count()


def invitation_rates(*, campaign: Campaign) -> list[dict[str, object]]:
    """Response rate per group among personal invitations: counts of used links, never who."""
    from .models import Invitation, RespondentGroup

    rows = (
        Invitation.objects.filter(campaign=campaign)
        .values("respondent_group")
        .annotate(invited=Count("id"), answered=Count("id", filter=Q(used=True)))
        .order_by("respondent_group")
    )
    return [
        {
            "group": RespondentGroup(r["respondent_group"]).label,
            "invited": r["invited"],
            "answered": r["answered"],
            "rate": round(100 * r["answered"] / r["invited"]) if r["invited"] else 0,
        }
        for r in rows
    ]


# A frozen instrument version never changes (editing makes a new version), so its items can be
# kept per process: answering and results then need no query for the questionnaire itself.
_FROZEN_ITEMS: dict[int, tuple[Item, ...]] = {}


def instrument_items(instrument: Instrument) -> tuple[Item, ...]:
    if instrument.frozen and instrument.pk in _FROZEN_ITEMS:
        return _FROZEN_ITEMS[instrument.pk]
    items = tuple(instrument.items.order_by("position"))
    if instrument.frozen or Instrument.objects.filter(pk=instrument.pk, frozen=True).exists():
        _FROZEN_ITEMS[instrument.pk] = items
    return items
