from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    """Interventions (insatser), their financing, pseudonymous participants with consent, and outcomes."""

    name = "samverkan.interventions"
    label = "interventions"
    verbose_name = _("Insatser och deltagare")

    def ready(self) -> None:
        # Insatser plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.common.capabilities import register

        from .audit import register_audited_models
        from .capability import INTERVENTIONS

        register(INTERVENTIONS)
        register_audited_models()
