"""The intervention form and its rows per year: financing, in-kind resources, head counts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from samverkan.common.text import validate_no_control_characters
from samverkan.measure.models import Campaign
from samverkan.tenancy.models import Association

from .models import FinancierKind, Financing, InKind, Intervention, Orientation, VolumeCount


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class InterventionForm(forms.ModelForm):
    # Declared here: the model field's default queryset would read every tenant's campaigns (and is refused).
    campaigns = forms.ModelMultipleChoiceField(
        label=_("Kopplade mätomgångar"),
        queryset=Campaign.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Insatsens sida visar den senaste ringbilden från dessa mätomgångar."),
    )

    class Meta:
        model = Intervention
        fields = [
            "name",
            "code",
            "description",
            "target_group",
            "orientation",
            "form",
            "permanent_since",
            "start",
            "end",
            "agencies",
            "campaigns",
        ]
        labels = {
            "name": _("Namn"),
            "code": _("Kod"),
            "description": _("Beskrivning"),
            "target_group": _("Målgrupp"),
            "orientation": _("Inriktning"),
            "form": _("Form"),
            "permanent_since": _("Permanent verksamhet sedan"),
            "start": _("Start"),
            "end": _("Slut"),
            "agencies": _("Medverkande myndigheter"),
            "campaigns": _("Kopplade mätomgångar"),
        }
        help_texts = {
            "permanent_since": _("Krävs när formen är permanent verksamhet."),
            "end": _("Lämna tomt för en verksamhet som pågår."),
            "campaigns": _("Insatsens sida visar den senaste ringbilden från dessa mätomgångar."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "orientation": forms.RadioSelect,
            "form": forms.RadioSelect,
            "permanent_since": DateInput,
            "start": DateInput,
            "end": DateInput,
            "agencies": forms.CheckboxSelectMultiple,
            "campaigns": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.instance.association = association
        self.fields["agencies"].queryset = association.agencies.order_by("kind", "name")
        self.fields["campaigns"].queryset = Campaign.objects.for_association(association).order_by("-opens_on")
        self.fields["orientation"].choices = Orientation.choices
        for name in ("name", "description", "target_group"):
            self.fields[name].validators.append(validate_no_control_characters)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"].lower()
        taken = Intervention.objects.for_association(self.association).filter(code=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Förbundet har redan en insats med koden ”%(code)s”.") % {"code": code})
        return code

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Intervention.objects.for_association(self.association).filter(name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Förbundet har redan en insats som heter ”%(name)s”.") % {"name": name})
        return name


class YearRowsFormSet(BaseInlineFormSet):
    """Rows per year: each year must lie within the intervention's years (start to end)."""

    def __init__(self, *args: Any, association: Association, period: tuple[int | None, int | None], **kwargs: Any):
        self.association = association
        self.period = period
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "association": self.association}

    def live_forms(self) -> list[forms.Form]:
        return [
            f
            for f in self.forms
            if f.has_changed() and f.is_valid() and not (self.can_delete and self._should_delete_form(f))
        ]

    def clean(self) -> None:
        super().clean()
        first, last = self.period
        for form in self.live_forms():
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            if first is not None and year < first:
                form.add_error("year", _("Året är före insatsens start (%(year)s).") % {"year": first})
            elif last is not None and year > last:
                form.add_error("year", _("Året är efter insatsens slut (%(year)s).") % {"year": last})


class RowForm(forms.ModelForm):
    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = association.agencies.order_by("kind", "name")
        if "agency" in self.fields:
            self.fields["agency"].queryset = agencies
            self.fields["agency"].empty_label = _("– Välj –")


class FinancingForm(RowForm):
    class Meta:
        model = Financing
        fields = ["year", "financier_kind", "agency", "external_name", "budget", "amount"]
        labels = {
            "year": _("År"),
            "financier_kind": _("Finansiär"),
            "agency": _("Myndighet"),
            "external_name": _("Extern finansiär"),
            "budget": _("Budget (kr)"),
            "amount": _("Utfall (kr)"),
        }
        help_texts = {"external_name": "", "budget": ""}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["financier_kind"].choices = [("", _("– Välj –")), *FinancierKind.choices]


class InKindForm(RowForm):
    class Meta:
        model = InKind
        fields = ["year", "agency", "unit", "quantity", "description"]
        labels = {
            "year": _("År"),
            "agency": _("Myndighet"),
            "unit": _("Enhet"),
            "quantity": _("Omfattning"),
            "description": _("Vad (t.ex. två handläggare på halvtid)"),
        }


class VolumeCountForm(RowForm):
    class Meta:
        model = VolumeCount
        fields = ["year", "head_count"]
        labels = {"year": _("År"), "head_count": _("Antal personer")}


class VolumeCountFormSet(YearRowsFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[int] = set()
        for form in self.live_forms():
            year = form.cleaned_data.get("year")
            if year in seen:
                form.add_error("year", _("Året finns redan på en annan rad."))
            if year is not None:
                seen.add(year)


FinancingFormSet = inlineformset_factory(
    Intervention, Financing, form=FinancingForm, formset=YearRowsFormSet, extra=3, can_delete=True
)
InKindFormSet = inlineformset_factory(
    Intervention, InKind, form=InKindForm, formset=YearRowsFormSet, extra=2, can_delete=True
)
VolumeCountFormSet_ = inlineformset_factory(
    Intervention, VolumeCount, form=VolumeCountForm, formset=VolumeCountFormSet, extra=2, can_delete=True
)


def intervention_forms(
    data: Any, *, association: Association, instance: Intervention | None
) -> tuple[InterventionForm, dict[str, BaseInlineFormSet]]:
    """The intervention form and its three formsets, bound to `data` (None: unbound)."""
    instance = instance or Intervention(association=association)
    form = InterventionForm(data, instance=instance, association=association)
    period: tuple[int | None, int | None] = (instance.start.year if instance.start else None, None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data.get("start"), form.cleaned_data.get("end")
        period = (start.year if start else None, end.year if end else None)
    elif instance.pk:
        period = (instance.start.year, instance.end.year if instance.end else None)
    kwargs = {"instance": instance, "association": association, "period": period}
    formsets: dict[str, BaseInlineFormSet] = {
        "financing": FinancingFormSet(data, prefix="fin", **kwargs),
        "in_kind": InKindFormSet(data, prefix="tid", **kwargs),
        "volume": VolumeCountFormSet_(data, prefix="vol", **kwargs),
    }
    return form, formsets
