"""Forms of the directory: search, a service with its contact routes and opening hours, a place, a meeting
request (de-identified), the contact's answer and the confirmation page's corrections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.common.text import validate_no_control_characters
from samverkan.tenancy.models import Association

from . import directory_selectors as selectors
from . import directory_text
from .directory_services import CORRECTABLE_FIELDS
from .models import (
    BYDAY_CHOICES,
    LANGUAGE_CHOICES,
    NEED_CHOICES,
    ContactRoute,
    Location,
    MeetingRequest,
    Schedule,
    Service,
)

IDENTIFYING_NAMES = {
    "personnummer": gettext_lazy("ett personnummer eller samordningsnummer"),
    "telefon": gettext_lazy("ett telefonnummer"),
    "e-post": gettext_lazy("en e-postadress"),
    "adress": gettext_lazy("en gatuadress"),
}


def validate_deidentified(value: str) -> None:
    """Refuse a case description that names a person by number, phone, e-mail or street address."""
    found = directory_text.identifying_parts(value)
    if found:
        parts = ", ".join(str(IDENTIFYING_NAMES[kind]) for kind in found)
        raise forms.ValidationError(
            _(
                "Texten ser ut att innehålla %(parts)s. Beskriv ärendet utan namn, personnummer, adress eller "
                "kontaktuppgifter till personen: ta bort uppgiften och skicka igen. Det du skrev finns kvar."
            )
            % {"parts": parts},
            code="identifying",
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Vad behöver personen?"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("T.ex. arbetsträning, skulder, psykiatri. Stavfel går bra."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
    )
    behov = forms.ChoiceField(label=gettext_lazy("Behov"), required=False)
    myndighet = forms.TypedChoiceField(label=gettext_lazy("Myndighet"), required=False, coerce=int, empty_value=None)
    kommun = forms.ChoiceField(label=gettext_lazy("Kommun"), required=False)

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Alla"))]
        self.fields["behov"].choices = everything + NEED_CHOICES  # type: ignore[attr-defined]
        self.fields["myndighet"].choices = everything + [  # type: ignore[attr-defined]
            (a.pk, a.name) for a in selectors.association_agencies(association)
        ]
        municipalities = [(m, m) for m in selectors.association_municipalities(association)]
        self.fields["kommun"].choices = everything + municipalities  # type: ignore[attr-defined]

    def query(self) -> selectors.DirectoryQuery:
        data = self.cleaned_data
        return selectors.DirectoryQuery(
            text=data.get("q") or "",
            need=data.get("behov") or "",
            agency_id=data.get("myndighet"),
            municipality=data.get("kommun") or "",
        )


class ServiceForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Webbplats"), required=False, assume_scheme="https")
    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Behov"),
        choices=NEED_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Det man söker på: välj alla som passar."),
    )
    municipalities = forms.MultipleChoiceField(
        label=gettext_lazy("Kommuner"), required=False, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Språk"), required=False, choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    locations: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Platser"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirmed_today = forms.BooleanField(
        label=gettext_lazy("Uppgifterna är kontrollerade med verksamheten i dag"), required=False
    )

    class Meta:
        model = Service
        fields = [
            "agency",
            "name",
            "description",
            "target_group",
            "application_process",
            "eligibility",
            "needs",
            "municipalities",
            "languages",
            "status",
            "url",
            "email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = association.agencies.order_by("kind", "name")  # type: ignore[attr-defined]
        self.fields["municipalities"].choices = [(m, m) for m in selectors.association_municipalities(association)]  # type: ignore[attr-defined]
        self.fields["locations"].queryset = selectors.locations_of(association)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["locations"].initial = [sal.location_id for sal in self.instance.service_at_locations.all()]
        else:
            del self.fields["confirmed_today"]
        for name in ("name", "description", "target_group", "application_process", "eligibility"):
            self.fields[name].validators.append(validate_no_control_characters)


class ContactRouteForm(forms.ModelForm):
    class Meta:
        model = ContactRoute
        fields = ["kind", "name", "title", "phone", "phone_hours", "email", "consent_on"]
        widgets = {
            "consent_on": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }


ContactRouteFormSet = inlineformset_factory(
    Service, ContactRoute, form=ContactRouteForm, extra=1, can_delete=True, min_num=1, validate_min=True
)


class ScheduleForm(forms.ModelForm):
    days = forms.MultipleChoiceField(
        label=gettext_lazy("Dagar"), choices=BYDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Schedule
        fields = ["opens_at", "closes_at", "description"]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    field_order = ["days", "opens_at", "closes_at", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["days"].initial = self.instance.days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.instance.byday = ",".join(day for day, _label in BYDAY_CHOICES if day in data.get("days", []))
        return data


ScheduleFormSet = inlineformset_factory(Service, Schedule, form=ScheduleForm, extra=1, can_delete=True)


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["agency", "name", "street", "postal_code", "city", "municipality", "accessibility"]
        widgets = {"accessibility": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = association.agencies.order_by("kind", "name")  # type: ignore[attr-defined]
        municipalities = selectors.association_municipalities(association)
        self.fields["municipality"] = forms.ChoiceField(
            label=_("Kommun"), choices=[("", "–")] + [(m, m) for m in municipalities], required=False
        )


class MeetingRequestForm(forms.ModelForm):
    # Declared here: the model field's default queryset would read every tenant's routes (and is refused).
    contact_route: forms.ModelChoiceField = forms.ModelChoiceField(
        label=gettext_lazy("Till"), queryset=ContactRoute.objects.none(), empty_label=None
    )

    class Meta:
        model = MeetingRequest
        fields = ["contact_route", "requesting_agency", "description"]
        labels = {"requesting_agency": gettext_lazy("Du skriver från")}
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "description": gettext_lazy(
                "Utan namn, personnummer, adress eller kontaktuppgifter till personen. "
                "Skriv t.ex. ålder, situation och vad ni behöver hjälp med."
            )
        }

    def __init__(self, *args: Any, association: Association, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        routes = ContactRoute.objects.filter(service=service).exclude(email="")
        self.fields["contact_route"].queryset = routes  # type: ignore[attr-defined]
        self.fields["requesting_agency"].queryset = association.agencies.order_by("kind", "name")  # type: ignore[attr-defined]
        self.fields["requesting_agency"].empty_label = _("Ingen angiven")  # type: ignore[attr-defined]
        self.fields["description"].validators += [validate_no_control_characters, validate_deidentified]
        self.fields["description"].max_length = 2000  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs["maxlength"] = 2000


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=gettext_lazy("Kan ni ses?"),
        choices=[("ja", gettext_lazy("Ja, vi kan ses")), ("nej", gettext_lazy("Nej, inte den här gången"))],
        widget=forms.RadioSelect,
        coerce=lambda value: value == "ja",
    )
    text = forms.CharField(
        label=gettext_lazy("Ditt svar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("T.ex. förslag på tid och hur ni når varandra, eller vart de kan vända sig i stället."),
        validators=[validate_no_control_characters, validate_deidentified],
    )


class CorrectionForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("Webbplats"), required=False, assume_scheme="https")

    class Meta:
        model = Service
        fields = list(CORRECTABLE_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "application_process": forms.Textarea(attrs={"rows": 2}),
            "eligibility": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("description", "target_group", "application_process", "eligibility"):
            self.fields[name].validators.append(validate_no_control_characters)
