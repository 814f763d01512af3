"""Reads for tenancy pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from samverkan.common.capabilities import KeyFigure, installed_capabilities

from .models import Agency, ApiToken, Association, Membership, MembershipInvitation, Role, hash_token


def association_key_figures(*, association: Association) -> list[KeyFigure]:
    """The start page's figures: the members, each installed capability's figures, the users."""
    figures = [KeyFigure(_("Medlemmar"), association.agencies.count(), _("myndigheter och kommuner"))]
    for capability in installed_capabilities():
        if capability.key_figures is not None:
            figures.extend(capability.key_figures(association))
    users = Membership.objects.filter(association=association).count()
    figures.append(KeyFigure(_("Användare"), users, _("med tillgång till förbundet")))
    return figures


def start_page_panels(request: HttpRequest, *, association: Association) -> list[SafeString]:
    """Each installed capability's part of the start page (its own template, rendered by itself)."""
    panels = []
    for capability in installed_capabilities():
        if capability.start_panel is not None:
            html = capability.start_panel(request, association)
            if html:
                panels.append(mark_safe(html))  # noqa: S308 — rendered from the capability's own template
    return panels


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
    # The link's secret is what tells us the association: its lookup is across tenants by nature.
    with scopes_disabled():
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


def membership_exists(*, association: Association, membership_id: int) -> bool:
    """Whether this membership belongs to the association (another association's is treated as missing)."""
    return Membership.objects.filter(association=association, pk=membership_id).exists()
