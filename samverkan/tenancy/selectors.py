"""Reads for tenancy pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps

from .models import Agency, ApiToken, Association, Membership


@dataclass(frozen=True)
class KeyFigures:
    agency_count: int
    user_count: int
    campaign_count: int
    open_campaign_count: int
    response_count: int


def association_key_figures(*, association: Association) -> KeyFigures:
    campaign_count = open_count = response_count = 0
    if apps.is_installed("samverkan.measure"):
        from samverkan.measure.selectors import campaign_key_figures

        campaign_count, open_count, response_count = campaign_key_figures(association=association)
    return KeyFigures(
        agency_count=association.agencies.count(),
        user_count=Membership.objects.filter(association=association).count(),
        campaign_count=campaign_count,
        open_campaign_count=open_count,
        response_count=response_count,
    )


def association_agencies(*, association: Association) -> list[Agency]:
    return list(association.agencies.all())


def association_memberships(*, association: Association) -> list[Membership]:
    return list(
        Membership.objects.filter(association=association).select_related("user").order_by("role", "user__email")
    )


def association_tokens(*, association: Association) -> list[Any]:
    return list(ApiToken.objects.for_association(association).order_by("-created", "name"))
