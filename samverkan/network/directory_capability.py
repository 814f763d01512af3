"""A stand-in registration of Samverkanskarta until the survey part's capability.py (which owns the key)
registers the app: it leads to the directory and loads its demo. Drop it when capability.py exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from samverkan.common.capabilities import Capability, DemoLoader

if TYPE_CHECKING:
    from samverkan.tenancy.models import Association


def load_demo(*, associations: list[Association], stdout: Any = None) -> None:
    from .demo_directory import load_directory_demo

    load_directory_demo(associations=associations, stdout=stdout)


DIRECTORY = Capability(
    key="samverkanskarta",
    label=gettext_lazy("Samverkanskarta"),
    summary=gettext_lazy("Vem samverkar med vem och hur djupt, och kontaktkatalogen: jag vet vart jag kan ringa."),
    order=50,
    app="samverkan.network",
    url_name="network:directory",
    urls="samverkan.network.urls",
    demo=DemoLoader(load=load_demo),
)
