from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The collaboration map: network rounds and their metrics, and the directory of services (vem ringer jag?)."""

    name = "samverkan.network"
    label = "network"
    verbose_name = _("Samverkanskarta")

    def ready(self) -> None:
        # Samverkanskarta plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.common.capabilities import register

        from .capability import NETWORK

        register(NETWORK)
