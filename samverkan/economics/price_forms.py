"""Forms of the price table and the KPI table: Swedish labels and errors, the typed input kept."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from samverkan.common.text import validate_no_control_characters

from .actors import Actor
from .models import UnitCost


class AmountField(forms.DecimalField):
    """A krona amount as people type it: "162 000", "1 234,50" or "1234.5" (spaces and a decimal comma)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # the stubs give IntegerField's
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.removesuffix("kr").replace(",", ".")
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                _("Skriv beloppet som ett tal i kronor, t.ex. 162 000 eller 1 234,50."), code="invalid"
            ) from None


def _empty_choice(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("– ingen (real resurs) –")), *choices]


class UnitCostForm(forms.ModelForm):
    amount = AmountField(
        label=_("Belopp (kr)"),
        localize=True,  # shown with a decimal comma, as it is typed
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Ange beloppet i kronor."),
            "min_value": _("Beloppet kan inte vara negativt."),
            "max_digits": _("Beloppet är för stort."),
            "max_decimal_places": _("Högst två decimaler (ören)."),
            "max_whole_digits": _("Beloppet är för stort."),
        },
    )
    price_year = forms.IntegerField(
        label=_("Prisår"),
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Ange prisåret."), "invalid": _("Ange prisåret som ett årtal, t.ex. 2023.")},
    )
    source_url = forms.URLField(
        label=_("Länk till källan"),
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": _("Ange en fullständig webbadress, t.ex. https://www.scb.se/…")},
    )
    payer = forms.ChoiceField(
        label=_("Betalare"),
        required=False,
        choices=_empty_choice(list(Actor.choices)),
        help_text=_("För en transferering: den som betalar ut, t.ex. kommunen för försörjningsstöd."),
    )
    receiver = forms.ChoiceField(
        label=_("Mottagare"),
        required=False,
        choices=_empty_choice(list(Actor.choices)),
        help_text=_("För en transferering: den som tar emot, t.ex. individen."),
    )

    class Meta:
        model = UnitCost
        fields = [
            "item",
            "actor",
            "amount",
            "unit",
            "price_year",
            "kind",
            "payer",
            "receiver",
            "source_text",
            "source_url",
            "is_example",
            "notes",
        ]
        labels = {
            "item": _("Post"),
            "actor": _("Aktör"),
            "unit": _("Enhet"),
            "kind": _("Slag"),
            "source_text": _("Källa"),
            "is_example": _("Visa som exempel"),
            "notes": _("Anteckningar"),
        }
        help_texts = {
            "item": _("Vad beloppet gäller, t.ex. Försörjningsstöd per helårsekvivalent."),
            "actor": _("Den aktör som bär kostnaden eller får intäkten."),
            "kind": _(
                "Real resurs: något förbrukas (vård, personaltid, produktion). Transferering: pengar flyttas "
                "från en aktör till en annan och tar ut varandra för samhället som helhet."
            ),
            "source_text": _("Varifrån siffran kommer: rapport, myndighet, år."),
            "is_example": _("Markeras Exempel: ett typvärde, inte förbundets egen uppgift."),
            "notes": _("T.ex. hur säker siffran är och vad den omfattar."),
        }
        error_messages = {
            "item": {"required": _("Ange vad beloppet gäller.")},
            "source_text": {"required": _("Ange källan: varje à-pris behöver en källa.")},
        }
        widgets = {
            "kind": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("item", "source_text", "notes"):
            self.fields[name].validators.append(validate_no_control_characters)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PriceIndexForm(forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        validators=[MinValueValidator(1980), MaxValueValidator(2100)],
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Ange året."), "invalid": _("Ange året som ett årtal, t.ex. 2024.")},
    )
    value = AmountField(
        label=_("KPI, årsmedeltal (1980=100)"),
        localize=True,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": _("Ange indexvärdet."),
            "min_value": _("Indexvärdet måste vara större än noll."),
            "max_digits": _("Indexvärdet är för stort."),
            "max_decimal_places": _("Högst två decimaler, som i SCB:s tabell."),
            "max_whole_digits": _("Indexvärdet är för stort."),
        },
    )
    source = forms.CharField(
        label=_("Källa"),
        max_length=300,
        required=False,
        initial="SCB, Konsumentprisindex (1980=100), fastställda tal, årsmedel",
        validators=[validate_no_control_characters],
    )
