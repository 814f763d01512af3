from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .capabilities import CAPABILITIES
from .scoping import associations_of


def current_association(request: HttpRequest) -> dict[str, Any]:
    association = getattr(request, "association", None)
    nav = []
    if association is not None:
        for capability in CAPABILITIES:
            if capability.url_name:
                url = reverse(capability.url_name, args=[association.slug])
            else:
                url = reverse("tenancy:coming", args=[association.slug, capability.key])
            nav.append(
                {"key": capability.key, "label": capability.label, "url": url, "ready": bool(capability.url_name)}
            )
    return {
        "association": association,
        "membership": getattr(request, "membership", None),
        "my_associations": associations_of(request.user) if hasattr(request, "user") else [],
        "capabilities_nav": nav,
    }
