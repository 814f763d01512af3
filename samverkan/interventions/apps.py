from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    """Interventions (insatser), their financing, pseudonymous participants with consent, and outcomes."""

    name = "samverkan.interventions"
    label = "interventions"
    verbose_name = _("Insatser och deltagare")

    def ready(self) -> None:
        # Insatser plugs into the core here and nowhere else (samverkan/common/capabilities.py).
        from samverkan.accounts.second_factor import register_requirement
        from samverkan.common.capabilities import register

        from .audit import register_audited_models
        from .capability import INTERVENTIONS
        from .participant_access import has_participant_role
        from .participant_audit import register_participant_audit

        register(INTERVENTIONS)
        register_audited_models()
        register_participant_audit()
        # Whoever may see participant-level data (a deltagaransvarig) signs in with a second factor (issue 11).
        register_requirement(has_participant_role)
