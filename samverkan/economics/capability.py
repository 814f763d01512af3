"""Samhällsekonomi as a capability: for now only its API router (the pages' part replaces this module).

It registers the core's planned "samhallsekonomi" key with the same label and no pages yet
(url_name None keeps the "kommer" page), so the API can mount `/api/economics/`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from samverkan.common.capabilities import Capability

if TYPE_CHECKING:
    from ninja import Router


def api_router() -> Router:
    from .api import router

    return router


ECONOMICS = Capability(
    key="samhallsekonomi",
    label=gettext_lazy("Samhällsekonomi"),
    summary=gettext_lazy("Kostnaden för utanförskap per aktör, vem som investerar och vem som vinner, med osäkerhet."),
    order=40,
    app="samverkan.economics",
    api_router=api_router,
    api_prefix="/economics",
)
