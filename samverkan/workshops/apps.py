from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkshopsConfig(AppConfig):
    """A live open question on everyone's phone, answers grouped into themes, the narrative and personas."""

    name = "samverkan.workshops"
    label = "workshops"
    verbose_name = _("Workshop")
