from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasureConfig(AppConfig):
    name = "samverkan.measure"
    label = "measure"
    verbose_name = _("Mät")

    def ready(self) -> None:
        # Mät plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.common.capabilities import register

        from .capability import MEASURE

        register(MEASURE)
