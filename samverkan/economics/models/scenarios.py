"""Samhällsekonomi: scenarios, one documented scenario object each (docs/economics-scenario.md).

A `Scenario` keeps the whole scenario as the JSON object the pure calculation reads (`calc.parse_scenario`):
the builder's forms, the JSON upload and the download all write and read that one object, so what the board
sees is exactly what can be downloaded and recalculated. It may point at the intervention it evaluates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import TenantManager, TenantModel

__all__ = ["Scenario"]


class Scenario(TenantModel):
    """A socioeconomic scenario of an association: investments, outcomes per actor, uncertainty."""

    name = models.CharField(_("namn"), max_length=200)
    intervention = models.ForeignKey(
        "interventions.Intervention",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
        verbose_name=_("insats"),
    )
    data = models.JSONField(_("scenario"), default=dict)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_on = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_on = models.DateTimeField(_("ändrad"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarier")

    def __str__(self) -> str:
        return self.name
