"""Samhällsekonomi as a capability: everything the core shows of it, declared once (registered in apps.py).

It replaces the core's planned "samhallsekonomi" entry (samverkan/tenancy/capabilities.py) by registering
the same key: its pages (economics/urls.py, first the scenario list), its key figure on the start page and
its API router (`/api/economics/`, api.py). The functions import the app's modules when called, so
registering loads nothing heavy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.common.capabilities import Capability, DemoLoader, KeyFigure

if TYPE_CHECKING:
    from ninja import Router

    from samverkan.tenancy.models import Association


def key_figures(association: Association) -> list[KeyFigure]:
    from .scenario_selectors import scenario_count

    count = scenario_count(association)
    return [
        KeyFigure(
            _("Scenarier"),
            count,
            ngettext("%(counter)s samhällsekonomisk kalkyl", "%(counter)s samhällsekonomiska kalkyler", count)
            % {"counter": count},
        )
    ]


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo import load_economics_demo

    load_economics_demo(associations=associations, stdout=stdout)


def api_router() -> Router:
    from .api import router

    return router


ECONOMICS = Capability(
    key="samhallsekonomi",
    label=gettext_lazy("Samhällsekonomi"),
    summary=gettext_lazy("Kostnaden för utanförskap per aktör, vem som investerar och vem som vinner, med osäkerhet."),
    order=40,
    app="samverkan.economics",
    url_name="economics:scenario_list",
    urls="samverkan.economics.urls",
    key_figures=key_figures,
    # The demo's scenarios are built from the interventions demo's register (financing, transitions).
    demo=DemoLoader(load=load_demo, after=("insatser",)),
    api_router=api_router,
    api_prefix="/economics",
)
