from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    """Interventions (insatser), their financing, pseudonymous participants with consent, and outcomes."""

    name = "samverkan.interventions"
    label = "interventions"
    verbose_name = _("Insatser och deltagare")

    def ready(self) -> None:
        from samverkan.accounts.second_factor import register_requirement
        from samverkan.common.capabilities import Capability, register

        from .participant_access import has_participant_role

        # Whoever may see participant-level data signs in with a second factor (issue 11).
        register_requirement(has_participant_role)
        # Temporary until h-iport's capability is merged (it registers "insatser" with its own pages).
        register(
            Capability(
                "insatser",
                _("Insatser och deltagare"),
                _("Portföljen av insatser, finansiering, pseudonymiserade deltagare med samtycke och utfall."),
                order=30,
                app="samverkan.interventions",
                urls="samverkan.interventions.urls",
            )
        )
