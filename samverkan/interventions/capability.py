"""Insatser as a capability: everything the core shows of it, declared once (registered in apps.py).

It replaces the core's planned "insatser" entry (samverkan/tenancy/capabilities.py) by registering
the same key. The functions import the app's modules when called, so registering loads nothing heavy.
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
    from .selectors import intervention_key_figures

    total, permanent = intervention_key_figures(association)
    return [
        KeyFigure(
            _("Insatser"),
            total,
            ngettext("%(counter)s permanent verksamhet", "%(counter)s permanenta verksamheter", permanent)
            % {"counter": permanent},
        )
    ]


def start_panel(request: HttpRequest, association: Association) -> str:
    """A short line on the portfolio: how much of this year's money goes to permanent operations."""
    from .selectors import start_panel_summary

    context: dict[str, Any] = {"association": association, "summary": start_panel_summary(association)}
    return render_to_string("interventions/_start_panel.html", context, request=request)


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo import load_interventions_demo

    load_interventions_demo(associations=associations, stdout=stdout)
    from .demo_participants import load_participants_demo

    load_participants_demo(associations=associations, stdout=stdout)


def api_router() -> Router:
    from .api import router

    return router


INTERVENTIONS = Capability(
    key="insatser",
    label=gettext_lazy("Insatser och deltagare"),
    summary=gettext_lazy("Portföljen av insatser, finansiering, pseudonymiserade deltagare med samtycke och utfall."),
    order=30,
    app="samverkan.interventions",
    url_name="interventions:intervention_list",
    urls="samverkan.interventions.urls",
    start_panel=start_panel,
    key_figures=key_figures,
    # The demo links its interventions to Mät's demo campaigns, so Mät's demo comes first.
    demo=DemoLoader(load=load_demo, after=("matning",)),
    api_router=api_router,
    api_prefix="/interventions",
)
