"""Samverkanskarta: the network survey (issue 13).

A network round asks one representative of each member agency about every other member agency. It
borrows a Measure campaign (dates, opening and closing, the previous round of the series) and its
personal invitations and receipts for exactly-once answering; the answers themselves live here.

Unlike Measure's rounds these answers are **not anonymous**: they are about organisations and are shown
per agency to the association, and the respondent is told so before starting. One submission per agency
and round (`one_answer_per_pair` and the invitation's receipt).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.measure.models import Campaign, Invitation
from samverkan.tenancy.models import Agency, TenantManager, TenantModel

__all__ = ["Depth", "Frequency", "NetworkAnswer", "NetworkInvitation", "NetworkRound"]


class Frequency(models.IntegerChoices):
    NEVER = 0, _("Aldrig")
    YEARLY = 1, _("Årligen")
    QUARTERLY = 2, _("Kvartalsvis")
    MONTHLY = 3, _("Månadsvis")
    WEEKLY = 4, _("Veckovis")
    DAILY = 5, _("Dagligen")


class Depth(models.IntegerChoices):
    """Levels of Collaboration (Frey, Lohmeier, Lee & Tollefson 2006), 0 = no collaboration."""

    NONE = 0, _("Ingen")
    NETWORKING = 1, _("Nätverkande")
    COOPERATION = 2, _("Samarbete")
    COORDINATION = 3, _("Samordning")
    COALITION = 4, _("Koalition")
    INTEGRATED = 5, _("Integrerad samverkan")


class NetworkRound(TenantModel):
    """One network round: a Measure campaign (name, dates, `previous`) whose answers live in this app."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="network_round")
    created = models.DateField(auto_now_add=True)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["-campaign__opens_on", "-pk"]

    def __str__(self) -> str:
        return self.campaign.name


class NetworkInvitation(models.Model):
    """The personal invitation of one agency's representative: Measure's invitation, and the agency it
    answers for. Answering never writes here either; the receipt says the link was used."""

    round = models.ForeignKey(NetworkRound, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(association="round__association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "agency"], name="one_network_invitation_per_agency")]


class NetworkAnswer(models.Model):
    """What the respondent agency (`source`) said about one other agency (`target`) in a round.

    Trust is three items (reliability, support of the shared mission, openness to discussion) and the
    contribution one, each 1–4 or empty ("vet ej"); the edge's trust is the mean of the answered items.
    """

    round = models.ForeignKey(NetworkRound, on_delete=models.CASCADE, related_name="answers")
    source = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    frequency = models.PositiveSmallIntegerField(_("kontakt"), choices=Frequency.choices)
    depth = models.PositiveSmallIntegerField(_("samverkansnivå"), choices=Depth.choices)
    trust_reliability = models.PositiveSmallIntegerField(_("pålitlighet"), null=True, blank=True)
    trust_mission = models.PositiveSmallIntegerField(_("stöd för det gemensamma uppdraget"), null=True, blank=True)
    trust_openness = models.PositiveSmallIntegerField(_("öppenhet för diskussion"), null=True, blank=True)
    value = models.PositiveSmallIntegerField(_("bidrag"), null=True, blank=True)
    knows_whom_to_call = models.BooleanField(_("vet vem jag ska ringa"))
    submitted_on = models.DateField()

    objects = ScopedManager(association="round__association")

    class Meta:
        ordering = ["round", "source", "target"]
        constraints = [
            models.UniqueConstraint(fields=["round", "source", "target"], name="one_answer_per_pair"),
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="no_answer_about_oneself"),
        ]

    @property
    def trust(self) -> float | None:
        items = [v for v in (self.trust_reliability, self.trust_mission, self.trust_openness) if v is not None]
        return sum(items) / len(items) if items else None
