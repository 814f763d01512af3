from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomicsConfig(AppConfig):
    """Socioeconomic evaluation: unit costs, the price index, scenarios, who invests and who gains."""

    name = "samverkan.economics"
    label = "economics"
    verbose_name = _("Samhällsekonomi")

    def ready(self) -> None:
        # Samhällsekonomi plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.common.capabilities import register

        from .capability import ECONOMICS

        register(ECONOMICS)
