"""Samverkanskarta as a capability: everything the core shows of it, declared once (registered in apps.py).

It replaces the core's planned "samverkanskarta" entry (samverkan/tenancy/capabilities.py) by registering
the same key. The functions import the app's modules when called, so registering loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.common.capabilities import Capability, DemoLoader, KeyFigure

if TYPE_CHECKING:
    from samverkan.tenancy.models import Association


def key_figures(association: Association) -> list[KeyFigure]:
    """The density and the share who know whom to call, of the latest closed network round."""
    from .selectors import latest_closed_round_figures

    figures = latest_closed_round_figures(association)
    if figures is None:
        return []
    name, density, knows = figures
    return [
        KeyFigure(_("Nätverkets täthet"), f"{round(density * 100)} %", _("i %(name)s") % {"name": name}),
        KeyFigure(
            _("Vet vem de ska ringa"), f"{round(knows * 100)} %", _("av kontakterna, i %(name)s") % {"name": name}
        ),
    ]


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo_survey import load_network_survey_demo

    load_network_survey_demo(associations=associations, stdout=stdout)
    from .demo_directory import load_directory_demo

    load_directory_demo(associations=associations, stdout=stdout)


NETWORK = Capability(
    key="samverkanskarta",
    label=gettext_lazy("Samverkanskarta"),
    summary=gettext_lazy("Vem samverkar med vem och hur djupt, och kontaktkatalogen: jag vet vart jag kan ringa."),
    order=50,
    app="samverkan.network",
    url_name="network:home",
    urls="samverkan.network.urls",
    key_figures=key_figures,
    # The network rounds are Mät's campaigns (dates, links, receipts), so Mät's demo comes first.
    demo=DemoLoader(load=load_demo, after=("matning",)),
)
