"""Intervention models: the record of each participant file read in (who, when, how many; no participant data).

The record is the import's audit entry and what makes an import idempotent: `digest` is a hash of the file's
rows as read (the same rows in another order, or saved as XLSX instead of CSV, give the same digest), so the
same file read in twice changes nothing, also not the anonymous counts, which no row can be recognised by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import TenantManager, TenantModel

__all__ = ["ParticipantImport"]


class ParticipantImport(TenantModel):
    digest = models.CharField(max_length=64, editable=False)
    imported_on = models.DateField(_("inläst"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField(_("nya deltagare"), default=0)
    updated = models.PositiveIntegerField(_("ändrade deltagare"), default=0)
    anonymous = models.PositiveIntegerField(_("anonyma deltaganden"), default=0)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["-imported_on", "-pk"]
        verbose_name = _("deltagarimport")
        verbose_name_plural = _("deltagarimporter")
        constraints = [
            # Two people confirming the same file at once: the second transaction fails instead of counting twice.
            models.UniqueConstraint(fields=["association", "digest"], name="participant_import_once_per_file"),
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.imported_on}"
