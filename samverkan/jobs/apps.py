from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    """Long jobs with progress and downloadable results (core: imports no capability)."""

    name = "samverkan.jobs"
    label = "jobs"
    verbose_name = _("Långa jobb")
    default_auto_field = "django.db.models.BigAutoField"
