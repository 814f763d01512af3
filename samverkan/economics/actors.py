"""The actors of a socioeconomic scenario, with their Swedish names (issue 12, PRODUCT.md "Socioeconomic rules").

The codes are the ones of the documented scenario format; the pure calculation (calc.py) uses the same
codes as plain strings, and a test keeps the two lists equal.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Actor(models.TextChoices):
    KOMMUN = "kommun", _("Kommunen")
    REGION = "region", _("Regionen")
    FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
    ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
    STATEN = "staten", _("Staten")
    INDIVIDEN = "individen", _("Individen")
    SAMHALLET = "samhallet", _("Samhället i övrigt")
    SAMORDNINGSFORBUND = "samordningsforbund", _("Samordningsförbundet")


# The total over every actor, as the result format names it.
TOTAL = "totalt"
TOTAL_LABEL = _("Totalt")
