"""Forms for participants: register with consent (and optionally a personal identity number, never stored)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AssignmentRole, Participant
from .vocabulary import AgeBand, Gender, IncomeSource

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ParticipantForm(forms.ModelForm):
    identity_number = forms.CharField(
        label=_("Personnummer (frivilligt)"),
        required=False,
        max_length=20,
        help_text=_(
            "Bara för att upptäcka dubbelregistreringar. Numret kontrolleras och sparas aldrig – "
            "bara en nyckelkodad kontrollsumma."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Participant
        fields = [
            "code",
            "consent_date",
            "consent_purpose",
            "gender",
            "age_band",
            "education",
            "start",
            "income_start",
            "end",
            "income_end",
            "end_reason",
            "status_90",
        ]
        widgets = {"consent_date": DATE, "start": DATE, "end": DATE}

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["code"].help_text = _("Lämna tomt så skapas en slumpad kod.")
        if editing:
            del self.fields["identity_number"]
        for name in ("income_end", "end_reason", "status_90"):
            self.fields[name].required = False

    def _get_validation_exclusions(self) -> set[str]:
        # The end-after-start constraint is the service's to explain (per field, in Swedish), not the model's.
        return {*super()._get_validation_exclusions(), "end"}

    def validate_unique(self) -> None:
        """The service checks the code and the dates with Swedish messages per field (participant_services._check);
        the model's constraints stay as the database's last word."""


class AnonymousForm(forms.Form):
    start_year = forms.IntegerField(label=_("Startår"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Slutår"), min_value=2000, max_value=2100, required=False)
    gender = forms.ChoiceField(label=_("Kön"), choices=Gender.choices)
    age_band = forms.ChoiceField(label=_("Åldersgrupp"), choices=AgeBand.choices)
    income_start = forms.ChoiceField(label=_("Försörjning vid start"), choices=IncomeSource.choices)
    income_end = forms.ChoiceField(
        label=_("Försörjning vid avslut"), choices=[("", "—"), *IncomeSource.choices], required=False
    )
    count = forms.IntegerField(label=_("Antal"), min_value=1, max_value=1000, initial=1)


class AssignmentForm(forms.Form):
    user = forms.ChoiceField(label=_("Person"))
    role = forms.ChoiceField(label=_("Roll"), choices=[("", _("Ingen roll")), *AssignmentRole.choices], required=False)

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = members
