"""Workshop models: the association's framework narrative (ramberättelse), its personas and I-statements.

Every change is kept as a `NarrativeVersion`: a snapshot of the whole narrative (text, personas,
statements) with its date and author, so any two versions can be compared and nothing is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import TenantManager, TenantModel

__all__ = ["IStatement", "Narrative", "NarrativeVersion", "Persona"]


class Narrative(TenantModel):
    """The association's one ramberättelse."""

    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    # The number of the latest version; every write raises it under a row lock, so two edits never share one.
    version = models.PositiveIntegerField(default=0)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["association"], name="one_narrative_per_association")]

    def __str__(self) -> str:
        return self.title


class Persona(models.Model):
    """A person the agencies keep in mind, like Torbay's Mrs Smith: who, their situation, what they need."""

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="personas")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("namn"), max_length=120)
    situation = models.TextField(_("situation"))
    needs = models.TextField(_("vad hen behöver, och från vem"))

    objects = ScopedManager(association="narrative__association")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class IStatement(models.Model):
    """A sentence in the person's own voice ("Jag behöver bara berätta min historia en gång").

    `item` is set once the statement is a local item of the association's participant questionnaire;
    the item's code and instrument name find its results in every later version of that questionnaire.
    """

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="statements")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("jag-påstående"), max_length=300)
    item = models.ForeignKey("measure.Item", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager(association="narrative__association")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text


class NarrativeVersion(models.Model):
    """The whole narrative as it was after one change: {"title", "text", "personas", "statements"}."""

    narrative = models.ForeignKey(Narrative, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept beside the key, so the history still names the author after the account is removed.
    author_name = models.CharField(max_length=200, blank=True)
    change = models.CharField(max_length=300)
    snapshot = models.JSONField(default=dict)

    objects = ScopedManager(association="narrative__association")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["narrative", "number"], name="one_narrative_version_number")]

    def __str__(self) -> str:
        return f"{self.narrative} v{self.number}"
