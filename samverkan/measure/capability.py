"""Mät as a capability: everything the core shows of it, declared once (registered in apps.py).

The core never imports this app; it reads this declaration from the registry
(samverkan/common/capabilities.py). The functions import the measure modules
they need when called, so registering at start-up loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.common.capabilities import Capability, DemoLoader, KeyFigure

if TYPE_CHECKING:
    from django.http import HttpRequest
    from ninja import Router

    from samverkan.tenancy.models import Association


def key_figures(association: Association) -> list[KeyFigure]:
    from .selectors import campaign_key_figures

    campaigns, open_campaigns, responses = campaign_key_figures(association=association)
    return [
        KeyFigure(
            _("Mätomgångar"),
            campaigns,
            ngettext("%(counter)s öppen just nu", "%(counter)s öppna just nu", open_campaigns)
            % {"counter": open_campaigns},
        ),
        KeyFigure(_("Svar"), responses, _("i alla mätomgångar")),
    ]


def start_panel(request: HttpRequest, association: Association) -> str:
    """ "Kom igång" while there is no campaign, then the latest results that can be shown, as a small ring picture."""
    from .models import Campaign
    from .results_views import start_page_summary

    context: dict[str, Any] = {
        "association": association,
        "has_campaigns": Campaign.objects.for_association(association).exists(),
        "latest": start_page_summary(association),
    }
    return render_to_string("measure/_start_panel.html", context, request=request)


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo import load_measure_demo

    load_measure_demo(associations=associations, stdout=stdout)


def api_router() -> Router:
    from .api import router

    return router


MEASURE = Capability(
    key="matning",
    label=gettext_lazy("Mät"),
    summary=gettext_lazy(
        "Enkäten om integrerad samverkan på fyra nivåer, kännetecken och öppen fråga, i återkommande mätomgångar."
    ),
    order=10,
    app="samverkan.measure",
    url_name="measure:campaign_list",
    urls="samverkan.measure.urls",
    start_panel=start_panel,
    key_figures=key_figures,
    demo=DemoLoader(load=load_demo),
    api_router=api_router,
    api_prefix="/measure",
)
