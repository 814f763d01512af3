"""The capabilities of PRODUCT.md that are not built yet, and the navigation built from the registry.

The core knows no capability app: each one registers itself (samverkan/common/capabilities.py)
from its own `AppConfig.ready()`. The ones below are only planned; each leads to a
short "kommer" page until an app registers the same key and replaces it.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samverkan.common.capabilities import Capability, all_capabilities

PLANNED: tuple[Capability, ...] = (
    Capability(
        "insatser",
        _("Insatser och deltagare"),
        _("Portföljen av insatser, finansiering, pseudonymiserade deltagare med samtycke och utfall."),
        order=30,
    ),
    Capability(
        "samhallsekonomi",
        _("Samhällsekonomi"),
        _("Kostnaden för utanförskap per aktör, vem som investerar och vem som vinner, med osäkerhet."),
        order=40,
    ),
    Capability(
        "samverkanskarta",
        _("Samverkanskarta"),
        _("Vem samverkar med vem och hur djupt, och kontaktkatalogen: jag vet vart jag kan ringa."),
        order=50,
    ),
    Capability(
        "rapporter",
        _("Rapporter och data"),
        _("Årsrapport som PDF, exporter till Excel och SPSS och ett API."),
        order=60,
    ),
)


def navigation(slug: str) -> list[dict[str, Any]]:
    """Every capability, installed or planned, as a link for the association with this slug."""
    nav = []
    for capability in all_capabilities():
        if capability.url_name:
            url = reverse(capability.url_name, args=[slug])
        else:
            url = reverse("tenancy:coming", args=[slug, capability.key])
        nav.append(
            {
                "key": capability.key,
                "label": capability.label,
                "summary": capability.summary,
                "url": url,
                "ready": capability.ready,
            }
        )
    return nav
