"""Intervention models: the record of each participant file read in (who, when, how many; no participant data).

The record is the import's audit entry and what makes an import idempotent: `digest` is a hash of the file's
rows as read (the same rows in another order, or saved as XLSX instead of CSV, give the same digest), so the
same file read in twice changes nothing, also not the anonymous counts, which no row can be recognised by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.tenancy.models import TenantModel

__all__ = ["ParticipantImport", "PendingParticipantFile"]


class ParticipantImport(TenantModel):
    digest = models.CharField(max_length=64, editable=False)
    imported_on = models.DateField(_("inläst"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.PositiveIntegerField(_("nya deltagare"), default=0)
    updated = models.PositiveIntegerField(_("ändrade deltagare"), default=0)
    anonymous = models.PositiveIntegerField(_("anonyma deltaganden"), default=0)

    # objects: TenantModel's ScopedManager (scoped to the association).

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


class PendingParticipantFile(TenantModel):
    """A checked file waiting for its confirmation, for an hour at most, then deleted (and always after it).

    Encrypted (AES-GCM) under a key that is not stored here: it travels only in the preview page's confirm form,
    so the database or a backup alone never holds the file readable, identity numbers included.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=300)
    data = models.BinaryField()

    # objects: TenantModel's ScopedManager (scoped to the association).

    class Meta:
        verbose_name = _("deltagarfil som väntar på bekräftelse")
        verbose_name_plural = _("deltagarfiler som väntar på bekräftelse")

    def __str__(self) -> str:
        return f"{self.association} {self.created:%Y-%m-%d}"
