"""Reads for tenancy pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Count, Prefetch
from django.utils import timezone

from .models import Agency, ApiToken, Association, Membership, MembershipInvitation, Role, hash_token


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


def association_open_invitations(*, association: Association) -> list[MembershipInvitation]:
    """Invitations not yet accepted (expired ones too, so they can be sent again), newest first."""
    return list(
        MembershipInvitation.objects.for_association(association)
        .filter(accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-sent_at", "email")
    )


def invitation_by_token(*, token: str) -> MembershipInvitation | None:
    """The invitation a link's secret belongs to, in whatever state (only the hash is compared)."""
    if not token or len(token) > 100:
        return None
    return (
        MembershipInvitation.objects.select_related("association", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )


def invitation_is_expired(invitation: MembershipInvitation) -> bool:
    return invitation.expires_at <= timezone.now()


def user_by_email(*, email: str) -> Any | None:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email.strip()).first()


def platform_associations() -> list[Association]:
    """Every association for the platform operator: counts, its admins and its open invitations."""
    return list(
        Association.objects.annotate(
            member_count=Count("memberships", distinct=True),
            agency_count=Count("agencies", distinct=True),
        )
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.ADMIN).select_related("user").order_by("user__email"),
                to_attr="admin_memberships",
            ),
        )
        .order_by("name")
    )


def platform_open_invitations() -> list[MembershipInvitation]:
    return list(
        MembershipInvitation.objects.filter(accepted_at__isnull=True)
        .select_related("association")
        .order_by("association__name", "email")
    )


def platform_agency_names() -> list[str]:
    return list(Agency.objects.order_by("name").values_list("name", flat=True))
