"""Samhällsekonomi: the price table (unit costs) and the consumer price index (KPI).

`PriceIndex` is one shared table (the KPI's yearly averages, 1980=100, from SCB): it belongs to no
association, every signed-in user reads it and only the site's staff edit it.

`UnitCost` holds both the shared example figures the platform ships (``association`` is null) and an
association's own unit costs. The two are reached through two managers, so the tenant scoping stays
fail-closed:

- ``UnitCost.objects`` is scoped (django-scopes): without an active scope a query raises, and inside an
  association's scope it returns that association's own rows only. A shared row can therefore never be
  found, edited or deleted through a tenant view: a view that looks a row up with ``objects`` gets a 404.
- ``UnitCost.shared`` returns the shared rows (``association`` null) and nothing else, with or without a
  scope. It is the only way to read them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.economics.actors import Actor
from samverkan.tenancy.models import Association, TenantManager

__all__ = ["CostKind", "PriceIndex", "Unit", "UnitCost"]

PRICE_YEAR_VALIDATORS = [MinValueValidator(1980), MaxValueValidator(2100)]


class PriceIndex(models.Model):
    """The consumer price index (KPI, totalindex) for one year: SCB's yearly average, 1980=100. Shared."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True, validators=PRICE_YEAR_VALIDATORS)
    value = models.DecimalField(
        _("KPI (1980=100)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Årsmedeltal, 1980=100."),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("konsumentprisindex")
        verbose_name_plural = _("konsumentprisindex")

    def __str__(self) -> str:
        return f"KPI {self.year}: {self.value}"


class Unit(models.TextChoices):
    """What one amount of a unit cost is for."""

    PER_YEAR = "per_year", _("per år")
    PER_FULL_YEAR_EQUIVALENT = "per_fye", _("per helårsekvivalent")
    PER_MONTH = "per_month", _("per månad")
    PER_DAY = "per_day", _("per dag")
    PER_HOUR = "per_hour", _("per timme")
    PER_VISIT = "per_visit", _("per besök")
    PER_CASE = "per_case", _("per ärende")
    PER_PERSON = "per_person", _("per person")
    PER_LIFETIME = "per_lifetime", _("per person och livstid")
    ONCE = "once", _("engångsbelopp")


class CostKind(models.TextChoices):
    """A real resource used up, or money moved from one actor to another (nets to zero for society)."""

    REAL = "real", _("Real resurs")
    TRANSFER = "transfer", _("Transferering")


class SharedUnitCostManager(models.Manager["UnitCost"]):
    """The shared table only: rows of no association, readable with or without a tenant scope."""

    def get_queryset(self) -> models.QuerySet[UnitCost]:
        return super().get_queryset().filter(association__isnull=True)


class UnitCost(models.Model):
    """A unit cost (à-pris) with its source, price year and actor; a shared example or an association's own."""

    association = models.ForeignKey(
        Association,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Tomt: den gemensamma tabellen, som förbunden bara kan läsa."),
    )
    item = models.CharField(_("post"), max_length=200, help_text=_("T.ex. Försörjningsstöd per helårsekvivalent."))
    actor = models.CharField(
        _("aktör"),
        max_length=30,
        choices=Actor.choices,
        help_text=_("Den aktör som bär kostnaden eller får intäkten."),
    )
    amount = models.DecimalField(
        _("belopp (kr)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    unit = models.CharField(_("enhet"), max_length=20, choices=Unit.choices, default=Unit.PER_YEAR)
    price_year = models.PositiveSmallIntegerField(
        _("prisår"), validators=PRICE_YEAR_VALIDATORS, help_text=_("Det år beloppets priser gäller.")
    )
    source_text = models.CharField(_("källa"), max_length=500)
    source_url = models.URLField(_("länk till källan"), max_length=500, blank=True)
    kind = models.CharField(_("slag"), max_length=10, choices=CostKind.choices, default=CostKind.REAL)
    payer = models.CharField(
        _("betalare"),
        max_length=30,
        choices=Actor.choices,
        blank=True,
        help_text=_("För en transferering: den som betalar ut, t.ex. kommunen för försörjningsstöd."),
    )
    receiver = models.CharField(
        _("mottagare"),
        max_length=30,
        choices=Actor.choices,
        blank=True,
        help_text=_("För en transferering: den som tar emot, t.ex. individen för försörjningsstöd."),
    )
    is_example = models.BooleanField(
        _("exempel"), default=False, help_text=_("Visas som Exempel: ett typvärde, inte förbundets egen siffra.")
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("kopierad från")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    # The default manager: scoped, an association's own rows only (see the module's docstring).
    objects = ScopedManager(association="association", _manager_class=TenantManager)
    # The shared table (association null), for every association to read.
    shared = SharedUnitCostManager()

    class Meta:
        ordering = ["item", "price_year", "pk"]
        verbose_name = _("à-pris")
        verbose_name_plural = _("à-priser")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=CostKind.REAL, payer="", receiver="")
                    | (Q(kind=CostKind.TRANSFER) & ~Q(payer="") & ~Q(receiver="") & ~Q(payer=models.F("receiver")))
                ),
                name="unit_cost_transfer_parties",
                violation_error_message=_(
                    "En transferering behöver en betalare och en mottagare som är olika aktörer; "
                    "en real resurs har ingen av dem."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="unit_cost_amount_not_negative",
                violation_error_message=_("Beloppet kan inte vara negativt."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} ({self.price_year})"

    @property
    def is_shared(self) -> bool:
        return self.association_id is None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.kind == CostKind.TRANSFER:
            if not self.payer:
                errors["payer"] = _("En transferering behöver en betalare.")
            if not self.receiver:
                errors["receiver"] = _("En transferering behöver en mottagare.")
            if self.payer and self.receiver and self.payer == self.receiver:
                errors["receiver"] = _("Betalare och mottagare måste vara olika aktörer.")
        else:
            # A real resource has no payer and receiver: they are cleared rather than refused.
            self.payer = ""
            self.receiver = ""
        if errors:
            raise ValidationError(errors)
