from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """A live open question on everyone's phone, answers grouped into themes, the narrative and personas."""

    name = "samverkan.workshops"
    label = "workshops"
    verbose_name = _("Workshop")

    def ready(self) -> None:
        # Plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.common.capabilities import register

        from .capability import WORKSHOP

        register(WORKSHOP)
