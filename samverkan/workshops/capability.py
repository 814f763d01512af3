"""Workshop as a capability: everything the core shows of it, declared once (registered in apps.py).

The functions import the workshop modules they need when called, so registering at
start-up loads nothing heavy (simplemma's dictionaries load with the first word cloud).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from samverkan.common.capabilities import Capability, DemoLoader, KeyFigure

if TYPE_CHECKING:
    from django.http import HttpRequest

    from samverkan.tenancy.models import Association


def key_figures(association: Association) -> list[KeyFigure]:
    from .models import Answer, Workshop

    workshops = Workshop.objects.filter(association=association)
    open_count = workshops.filter(is_open=True).count()
    answers = Answer.objects.visible().filter(prompt__workshop__association=association).count()
    return [
        KeyFigure(
            _("Workshoppar"),
            workshops.count(),
            ngettext("%(counter)s pågår", "%(counter)s pågår", open_count) % {"counter": open_count},
        ),
        KeyFigure(_("Workshopsvar"), answers, _("i alla workshoppar")),
    ]


def start_panel(request: HttpRequest, association: Association) -> str:
    """The running workshop (join code and screen), else the latest one, else "Kom igång"."""
    from .models import Workshop

    workshops = Workshop.objects.filter(association=association)
    context: dict[str, Any] = {
        "association": association,
        "running": workshops.filter(is_open=True).first(),
        "latest": workshops.filter(is_open=False).first(),
        "has_workshops": workshops.exists(),
    }
    return render_to_string("workshops/_start_panel.html", context, request=request)


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo import load_workshops_demo
    from .demo_narrative import load_narrative_demo
    from .demo_themes import load_themes_demo

    workshop = load_workshops_demo(associations, stdout)
    if workshop is not None:
        load_themes_demo(workshop, stdout)
    # The narrative's two questionnaire items are answered in a round of Mät's demo (loaded first).
    load_narrative_demo(associations=associations, stdout=stdout)


WORKSHOP = Capability(
    key="workshop",
    label=gettext_lazy("Workshop"),
    summary=gettext_lazy(
        "En öppen fråga live på deltagarnas telefoner, svaren grupperade i teman, och ramberättelsen."
    ),
    order=20,
    app="samverkan.workshops",
    url_name="workshops:workshop_list",
    urls="samverkan.workshops.urls",
    start_panel=start_panel,
    key_figures=key_figures,
    demo=DemoLoader(load=load_demo, after=("matning",)),
)
