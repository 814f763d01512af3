"""Intervention models: interventions (insatser), their financing per year, in-kind resources and head counts.

An `Intervention` belongs to one association. Per year it has money from financiers (`Financing`: the
association's pooled funds, a member agency, or an external financier such as ESF), staff time or other
in-kind resources per agency (`InKind`), and for structural interventions optionally a head count only
(`VolumeCount`, volyminsats). Every model is scoped to the association through django-scopes.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import Agency, TenantManager, TenantModel

__all__ = [
    "FinancierKind",
    "Financing",
    "Form",
    "InKind",
    "InKindUnit",
    "Intervention",
    "Orientation",
    "VolumeCount",
]

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


class Orientation(models.TextChoices):
    """Inriktning."""

    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class Form(models.TextChoices):
    """Form: a time-limited project or a permanent operation."""

    PROJECT = "project", _("Tidsbegränsat projekt")
    PERMANENT = "permanent", _("Permanent verksamhet")


class Intervention(TenantModel):
    """An intervention (insats) of an association."""

    name = models.CharField(_("namn"), max_length=200)
    code = models.SlugField(
        _("kod"), max_length=30, help_text=_("Kort kod, unik inom förbundet (används vid import), t.ex. steg1.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    target_group = models.CharField(_("målgrupp"), max_length=300, blank=True)
    orientation = models.CharField(
        _("inriktning"), max_length=20, choices=Orientation.choices, default=Orientation.INDIVIDUAL
    )
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.PROJECT)
    permanent_since = models.DateField(_("permanent sedan"), null=True, blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("slut"), null=True, blank=True)
    agencies = models.ManyToManyField(
        Agency, related_name="interventions", blank=True, verbose_name=_("medverkande myndigheter")
    )
    campaigns = models.ManyToManyField(
        "measure.Campaign", related_name="interventions", blank=True, verbose_name=_("mätomgångar")
    )
    created = models.DateField(auto_now_add=True)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["name"]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        constraints = [
            models.UniqueConstraint(fields=["association", "code"], name="intervention_code_unique"),
            models.UniqueConstraint(fields=["association", "name"], name="intervention_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = str(_("Slutdatum kan inte vara före startdatum."))
        if self.form == Form.PERMANENT and not self.permanent_since:
            errors["permanent_since"] = str(_("Ange när insatsen blev permanent verksamhet."))
        if self.form == Form.PROJECT and self.permanent_since:
            errors["permanent_since"] = str(_("Ett tidsbegränsat projekt har inget datum för permanent verksamhet."))
        if self.permanent_since and self.start and self.permanent_since < self.start:
            errors["permanent_since"] = str(_("Insatsen kan inte ha blivit permanent före sin start."))
        if errors:
            raise ValidationError(errors)

    def get_additional_data(self) -> dict[str, int]:
        """Written into every audit log entry of the intervention: the log page reads its association's only."""
        return {"association_id": self.association_id, "intervention_id": self.pk}

    def form_in_year(self, year: int) -> str:
        """The form the intervention had during `year`: permanent from the year it became permanent."""
        if self.form == Form.PERMANENT and self.permanent_since and self.permanent_since.year <= year:
            return Form.PERMANENT
        return Form.PROJECT

    def active_in_year(self, year: int) -> bool:
        return self.start.year <= year and (self.end is None or self.end.year >= year)


class FinancierKind(models.TextChoices):
    POOLED = "pooled", _("Förbundets samordnade medel")
    AGENCY = "agency", _("Medlemsmyndighet")
    EXTERNAL = "external", _("Extern finansiär")


class Financing(models.Model):
    """Money for one intervention in one year from one financier, in SEK."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="financing")
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    financier_kind = models.CharField(_("finansiär"), max_length=20, choices=FinancierKind.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("myndighet")
    )
    external_name = models.CharField(_("extern finansiär"), max_length=200, blank=True, help_text=_("T.ex. ESF"))
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=12, decimal_places=0, validators=[MinValueValidator(Decimal(0))]
    )
    budget = models.DecimalField(
        _("budget (kr)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Budgeterat belopp; beloppet ovan är utfallet."),
    )

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["year", "financier_kind", "pk"]
        verbose_name = _("finansiering")
        verbose_name_plural = _("finansiering")

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.financier_label} {self.amount} kr"

    def get_additional_data(self) -> dict[str, int]:
        """The audit log entry's tenant: the intervention's association (audit_views.association_log)."""
        return {"association_id": self.intervention.association_id, "intervention_id": self.intervention_id}

    @property
    def financier_label(self) -> str:
        if self.financier_kind == FinancierKind.AGENCY and self.agency_id:
            return str(self.agency)
        if self.financier_kind == FinancierKind.EXTERNAL:
            return self.external_name or str(FinancierKind.EXTERNAL.label)
        return str(FinancierKind(self.financier_kind).label)

    def clean(self) -> None:
        if self.financier_kind == FinancierKind.AGENCY and not self.agency_id:
            raise ValidationError({"agency": _("Välj vilken myndighet som finansierar.")})
        if self.financier_kind == FinancierKind.EXTERNAL and not self.external_name.strip():
            raise ValidationError({"external_name": _("Ange den externa finansiärens namn, t.ex. ESF.")})
        if self.financier_kind != FinancierKind.AGENCY:
            self.agency = None
        if self.financier_kind != FinancierKind.EXTERNAL:
            self.external_name = ""


class InKindUnit(models.TextChoices):
    HOURS = "hours", _("Timmar")
    FTE = "fte", _("Årsarbetare")


class InKind(models.Model):
    """Staff time or another in-kind resource an agency puts into an intervention in one year."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="in_kind")
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("myndighet"))
    unit = models.CharField(_("enhet"), max_length=10, choices=InKindUnit.choices, default=InKindUnit.HOURS)
    quantity = models.DecimalField(
        _("omfattning"), max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    description = models.CharField(_("beskrivning"), max_length=300, blank=True)

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["year", "agency__name", "pk"]
        verbose_name = _("insats i annan form")
        verbose_name_plural = _("insatser i annan form")

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.agency} {self.quantity} {self.get_unit_display()}"

    def get_additional_data(self) -> dict[str, int]:
        """The audit log entry's tenant: the intervention's association (audit_views.association_log)."""
        return {"association_id": self.intervention.association_id, "intervention_id": self.intervention_id}


class VolumeCount(models.Model):
    """Head count for a structural intervention in one year (volyminsats): no participant-level data."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="volume_counts")
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    head_count = models.PositiveIntegerField(_("antal personer"))

    objects = ScopedManager(association="intervention__association")

    class Meta:
        ordering = ["year"]
        verbose_name = _("volymräkning")
        verbose_name_plural = _("volymräkningar")
        constraints = [models.UniqueConstraint(fields=["intervention", "year"], name="one_volume_count_per_year")]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.head_count}"

    def get_additional_data(self) -> dict[str, int]:
        """The audit log entry's tenant: the intervention's association (audit_views.association_log)."""
        return {"association_id": self.intervention.association_id, "intervention_id": self.intervention_id}
