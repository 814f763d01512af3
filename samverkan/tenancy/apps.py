from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "samverkan.tenancy"
    label = "tenancy"
    verbose_name = _("Samordningsförbund")

    def ready(self) -> None:
        from samverkan.common.capabilities import declare_planned

        from .capabilities import PLANNED

        declare_planned(PLANNED)
