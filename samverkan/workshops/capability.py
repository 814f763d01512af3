"""Workshop as a capability (placeholder in the narrative branch h-wnarr: the live-session branch owns the
real declaration; at merge keep its fields and add the narrative demo to its demo loader)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from samverkan.common.capabilities import Capability, DemoLoader


def load_demo(*, associations: list[Any], stdout: Any = None) -> None:
    from .demo_narrative import load_narrative_demo

    load_narrative_demo(associations=associations, stdout=stdout)


WORKSHOP = Capability(
    key="workshop",
    label=gettext_lazy("Workshop"),
    summary=gettext_lazy(
        "En öppen fråga live på deltagarnas telefoner, svaren grupperade i teman, och ramberättelsen."
    ),
    order=20,
    app="samverkan.workshops",
    url_name="workshops:narrative",
    urls="samverkan.workshops.urls",
    demo=DemoLoader(load=load_demo, after=("matning",)),
)
