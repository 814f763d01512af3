"""The participants panel on an intervention's page: links to what this user may see (outcomes, participants, roles)."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string

from samverkan.interventions.participant_access import assignment_role

register = template.Library()


@register.simple_tag(takes_context=True)
def participants_panel(context: Any, intervention: Any) -> str:
    request = context.get("request")
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    return render_to_string(
        "interventions/_participants_panel.html",
        {
            "association": intervention.association,
            "intervention": intervention,
            "role": assignment_role(user, intervention),
            "is_admin": bool(membership and membership.has_role("admin")),
        },
        request=request,
    )
