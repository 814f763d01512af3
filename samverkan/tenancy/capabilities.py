"""The six capabilities of PRODUCT.md, for navigation.

A capability with no `url_name` is not built yet: the navigation leads to a
short "kommer" page instead of a broken link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Capability:
    key: str
    label: str | Promise
    summary: str | Promise
    url_name: str | None = None


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        "matning",
        _("Mät"),
        _("Enkäten om integrerad samverkan på fyra nivåer, kännetecken och öppen fråga, i återkommande mätomgångar."),
        "measure:campaign_list",
    ),
    Capability(
        "workshop",
        _("Workshop"),
        _("En öppen fråga live på deltagarnas telefoner, svaren på storskärm, grupperade i teman."),
    ),
    Capability(
        "insatser",
        _("Insatser och deltagare"),
        _("Portföljen av insatser, finansiering, pseudonymiserade deltagare med samtycke och utfall."),
    ),
    Capability(
        "samhallsekonomi",
        _("Samhällsekonomi"),
        _("Kostnaden för utanförskap per aktör, vem som investerar och vem som vinner, med osäkerhet."),
    ),
    Capability(
        "samverkanskarta",
        _("Samverkanskarta"),
        _("Vem samverkar med vem och hur djupt, och kontaktkatalogen: jag vet vart jag kan ringa."),
    ),
    Capability(
        "rapporter",
        _("Rapporter och data"),
        _("Årsrapport som PDF, exporter till Excel och SPSS och ett API."),
    ),
)


def capability_by_key(key: str) -> Capability | None:
    return next((c for c in CAPABILITIES if c.key == key), None)
