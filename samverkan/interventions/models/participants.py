"""Intervention models: participants (deltagare), anonymous counts, and who may see them.

A `Participant` is one participation in one intervention, registered with consent (date,
purpose, who recorded it) under a pseudonymous code. It stores exactly what issue 11 lists
and nothing else: gender, age band (not a birth date), start and end, education level,
income source at start and at end, reason for ending, optionally the status 90 days after,
and optionally a keyed hash of a personal identity number (interventions/identity.py; the
number itself is never stored).

Without consent, or with protected identity, only an `AnonymousParticipation` count is
kept: gender, age band, income source at start and end, and the years (no dates, no code).

`InterventionAssignment` gives a user a role for one intervention as in the national
follow-up system: a deltagaransvarig sees and edits its participants, an insatsansvarig
sees the intervention and its aggregates but never a participant row.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from ..vocabulary import AgeBand, Education, EndReason, Gender, IncomeSource
from .interventions import Intervention

__all__ = ["AnonymousParticipation", "AssignmentRole", "InterventionAssignment", "Participant"]


class Participant(models.Model):
    """One consented participation in one intervention, under a pseudonymous code."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="participants")
    code = models.CharField(
        _("deltagarkod"),
        max_length=40,
        help_text=_("En kod som inte avslöjar vem personen är (inte namn, initialer eller födelsedatum)."),
    )
    consent_date = models.DateField(_("samtycke lämnat"))
    consent_purpose = models.CharField(_("samtyckets ändamål"), max_length=300)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("samtycke registrerat av"),
    )
    gender = models.CharField(_("kön"), max_length=20, choices=Gender.choices)
    age_band = models.CharField(_("åldersgrupp"), max_length=10, choices=AgeBand.choices)
    start = models.DateField(_("startdatum"))
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    education = models.CharField(_("utbildningsnivå"), max_length=20, choices=Education.choices)
    income_start = models.CharField(_("försörjning vid start"), max_length=30, choices=IncomeSource.choices)
    income_end = models.CharField(_("försörjning vid avslut"), max_length=30, choices=IncomeSource.choices, blank=True)
    end_reason = models.CharField(_("avslutsorsak"), max_length=20, choices=EndReason.choices, blank=True)
    status_90 = models.CharField(
        _("försörjning 90 dagar efter avslut"), max_length=30, choices=IncomeSource.choices, blank=True
    )
    # HMAC of the normalised personal identity number and the id of the key that made it; never the number.
    identity_hash = models.CharField(max_length=64, blank=True, default="", editable=False, db_index=True)
    identity_key_id = models.CharField(max_length=8, blank=True, default="", editable=False)

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["intervention", "code"]
        verbose_name = _("deltagare")
        verbose_name_plural = _("deltagare")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "code"], name="participant_code_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="participant_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def ended(self) -> bool:
        return self.end is not None

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days if self.end else None


class AnonymousParticipation(models.Model):
    """Participations without consent (or with protected identity): a count per combination, no person.

    Years instead of dates, no code, no identity: a row is the number of participations of one
    intervention with the same start year, end year (None while they go on), gender, age band and
    income sources. Adding one more person increments `count`; no row stands for one person.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="anonymous_counts")
    start_year = models.PositiveSmallIntegerField(
        _("startår"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    end_year = models.PositiveSmallIntegerField(
        _("slutår"), null=True, blank=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    gender = models.CharField(_("kön"), max_length=20, choices=Gender.choices)
    age_band = models.CharField(_("åldersgrupp"), max_length=10, choices=AgeBand.choices)
    income_start = models.CharField(_("försörjning vid start"), max_length=30, choices=IncomeSource.choices)
    income_end = models.CharField(_("försörjning vid avslut"), max_length=30, choices=IncomeSource.choices, blank=True)
    count = models.PositiveIntegerField(_("antal"), default=0)

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["intervention", "start_year", "end_year", "gender", "age_band", "income_start", "income_end"]
        verbose_name = _("anonym deltagarräkning")
        verbose_name_plural = _("anonyma deltagarräkningar")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="anonymous_end_year_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.start_year}: {self.count}"


class AssignmentRole(models.TextChoices):
    PARTICIPANTS = "deltagaransvarig", _("Deltagaransvarig")
    INTERVENTION = "insatsansvarig", _("Insatsansvarig")


class InterventionAssignment(models.Model):
    """A user's role for one intervention; the association's admins manage these."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("roll"), max_length=20, choices=AssignmentRole.choices)

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["intervention", "role", "user__email"]
        verbose_name = _("roll i insats")
        verbose_name_plural = _("roller i insatser")
        constraints = [
            models.UniqueConstraint(fields=["intervention", "user"], name="one_assignment_per_intervention"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.intervention} · {self.get_role_display()}"
