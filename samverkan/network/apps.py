from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    """The collaboration map: network rounds and their metrics, and the directory of services (vem ringer jag?)."""

    name = "samverkan.network"
    label = "network"
    verbose_name = _("Samverkanskarta")

    def ready(self) -> None:
        # Stand-in until the survey part's capability.py registers the app (it then includes directory_urls
        # and calls demo_directory.load_directory_demo from its own demo loader).
        from samverkan.common.capabilities import register

        from .directory_capability import DIRECTORY

        register(DIRECTORY)
