"""Who may see participants: the per-intervention roles of the national follow-up system, and the second factor.

- a **deltagaransvarig** of an intervention sees and edits its participants (after a verified second factor);
- an **insatsansvarig** sees the intervention and its (suppressed) aggregates, never a participant row;
- the association's admins assign these roles; being admin gives no participant-level access by itself.

`participant_view` is the one door to participant-level pages: the association (association_view), then the
intervention of that association (another tenant's id is a 404), then the role (403), then a verified second
factor (to the code page, or to enrolment) — checked here as well as through accounts' requirement registry,
so a participant row is never served to an unverified session even if the registry were not consulted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from samverkan.accounts.otp import has_second_factor
from samverkan.accounts.second_factor import enrolment_url, is_verified, require_second_factor, verification_url
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from .models import AssignmentRole, Intervention, InterventionAssignment


def assignment_role(user: Any, intervention: Intervention) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        InterventionAssignment.objects.filter(intervention=intervention, user=user)
        .values_list("role", flat=True)
        .first()
    )


def can_see_participants(user: Any, intervention: Intervention) -> bool:
    return assignment_role(user, intervention) == AssignmentRole.PARTICIPANTS


def has_participant_role(user: Any, association: Association | None) -> bool:
    """The second factor's requirement: this user is deltagaransvarig of some intervention of the association."""
    if association is None or not getattr(user, "is_authenticated", False):
        return False
    return InterventionAssignment.objects.filter(
        intervention__association=association, user=user, role=AssignmentRole.PARTICIPANTS
    ).exists()


def participant_interventions(user: Any, association: Association) -> list[Intervention]:
    return list(
        Intervention.objects.filter(
            association=association, assignments__user=user, assignments__role=AssignmentRole.PARTICIPANTS
        ).order_by("name")
    )


def participant_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For pages with participant-level data: `view(request, association, intervention, *args)`."""

    @wraps(view)
    def inner(request: HttpRequest, association: Association, intervention_id: int, *args: Any, **kwargs: Any) -> Any:
        intervention: Intervention = get_object_or_404(
            Intervention.objects.filter(association=association), pk=intervention_id
        )
        if not can_see_participants(request.user, intervention):
            raise PermissionDenied
        if not is_verified(request):
            here = request.get_full_path()
            has_app = has_second_factor(request.user)
            return HttpResponseRedirect(verification_url(here) if has_app else enrolment_url(here))
        response = view(request, association, intervention, *args, **kwargs)
        response["Cache-Control"] = "no-store"  # participant data never stays in a shared or browser cache
        return response

    wrapper = association_view(role=Role.MEMBER)(require_second_factor(inner))
    wrapper.participant_level = True  # type: ignore[attr-defined]  # read by the route walk (tenancy/tests)
    return wrapper
