from __future__ import annotations

import csv
import io
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.tenancy.models import Association

from . import stats
from .models import Campaign, Instrument, ItemKind, RespondentGroup


class DateInput(forms.DateInput):
    input_type = "date"


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, help_text=_("T.ex. ”Mätning hösten 2026”."))
    instrument = forms.ModelChoiceField(label=_("Enkät"), queryset=Instrument.objects.none())
    respondent_groups = forms.MultipleChoiceField(
        label=_("Respondentgrupper"),
        choices=RespondentGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Varje grupp får en egen öppen länk och redovisas för sig när den har tillräckligt många svar."),
    )
    opens_on = forms.DateField(label=_("Öppnar"), widget=DateInput)
    closes_on = forms.DateField(label=_("Stänger"), widget=DateInput)
    min_group_size = forms.IntegerField(
        label=_("Minsta gruppstorlek"),
        min_value=stats.ABSOLUTE_MIN_GROUP_SIZE,
        max_value=50,
        initial=stats.DEFAULT_MIN_GROUP_SIZE,
        help_text=_("Grupper med färre svar visas aldrig, inte heller fritextsvar. Lägst 3."),
    )
    previous = forms.ModelChoiceField(
        label=_("Fortsätter serien efter"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("– Ingen, detta är första mätningen –"),
        help_text=_("Välj föregående mätomgång med samma enkät, så visar pilen förändringen sedan dess."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        instruments = Instrument.objects.available_to(association)
        self.fields["instrument"].queryset = instruments
        # Most rounds use the core ring-model survey: preselect it.
        self.fields["instrument"].initial = (
            instruments.filter(association=None, kind="staff").order_by("-version").values_list("pk", flat=True).first()
        )
        self.fields["previous"].queryset = Campaign.objects.for_association(association)
        self.fields["min_group_size"].initial = max(association.min_group_size, stats.ABSOLUTE_MIN_GROUP_SIZE)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timezone.timedelta(days=28)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Campaign.objects.for_association(self.association).filter(name=name).exists():
            raise ValidationError(_("Det finns redan en mätomgång med det namnet."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Slutdatum kan inte vara före startdatum."))
        previous, instrument = data.get("previous"), data.get("instrument")
        if previous and instrument and previous.instrument.name != instrument.name:
            self.add_error("previous", _("Föregående mätomgång måste använda samma enkät för att kunna jämföras."))
        return data


class InvitationForm(forms.Form):
    respondent_group = forms.ChoiceField(label=_("Respondentgrupp"))
    emails = forms.CharField(
        label=_("E-postadresser"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("En adress per rad (eller åtskilda med komma eller semikolon)."),
    )
    file = forms.FileField(
        label=_("…eller en CSV-fil"), required=False, help_text=_("En kolumn med e-postadresser; rubrikrad valfri.")
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["respondent_group"].choices = [
            (g, RespondentGroup(g).label) for g in campaign.respondent_groups if g in RespondentGroup.values
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("emails") or ""
        upload = data.get("file")
        if upload:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("Filen måste vara sparad som UTF-8."))
                return data
            rows = csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",")
            raw += "\n" + "\n".join(cell for row in rows for cell in row)
        candidates = [p.strip() for p in raw.replace(";", "\n").replace(",", "\n").splitlines() if p.strip()]
        candidates = [c for c in candidates if c.lower() not in ("e-post", "epost", "email", "e-mail")]
        bad = []
        for candidate in candidates:
            try:
                validate_email(candidate)
            except ValidationError:
                bad.append(candidate)
        if bad:
            self.add_error(
                "emails", _("Ogiltiga adresser: %(list)s. Inga inbjudningar skickades.") % {"list": ", ".join(bad[:20])}
            )
        elif not candidates:
            self.add_error("emails", _("Ange minst en e-postadress."))
        data["addresses"] = candidates
        return data


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av fråga"),
        choices=[
            (ItemKind.LIKERT, _("Instämmande 1–5")),
            (ItemKind.CHOICE, _("Enkelval")),
            (ItemKind.TEXT, _("Fritext")),
        ],
    )
    text = forms.CharField(label=_("Frågetext"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    options = forms.CharField(
        label=_("Svarsalternativ (enkelval)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ett alternativ per rad. Bara för enkelval."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        options = [o.strip() for o in (data.get("options") or "").splitlines() if o.strip()]
        if data.get("kind") == ItemKind.CHOICE and len(options) < 2:
            self.add_error("options", _("Ett enkelval behöver minst två alternativ."))
        data["option_list"] = options if data.get("kind") == ItemKind.CHOICE else []
        return data


class InstrumentCopyForm(forms.Form):
    name = forms.CharField(label=_("Namn på er version"), max_length=200)
