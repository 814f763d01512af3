from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    """Interventions (insatser), their financing, pseudonymous participants with consent, and outcomes."""

    name = "samverkan.interventions"
    label = "interventions"
    verbose_name = _("Insatser och deltagare")
