from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .capabilities import navigation
from .scoping import associations_of


def current_association(request: HttpRequest) -> dict[str, Any]:
    association = getattr(request, "association", None)
    nav = navigation(association.slug) if association is not None else []
    return {
        "association": association,
        "membership": getattr(request, "membership", None),
        "my_associations": associations_of(request.user) if hasattr(request, "user") else [],
        "capabilities_nav": nav,
    }
