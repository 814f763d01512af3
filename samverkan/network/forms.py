"""The staff forms of the network survey: a new round, reopening one, inviting the representatives."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.measure.forms import DateInput, TextField
from samverkan.tenancy.models import Agency, Association

from .models import NetworkRound


class NetworkRoundForm(forms.Form):
    name = TextField(label=_("Namn"), max_length=200, help_text=_("T.ex. ”Samverkanskarta 2026”."))
    opens_on = forms.DateField(label=_("Öppnar"), widget=DateInput)
    closes_on = forms.DateField(label=_("Stänger"), widget=DateInput)
    previous = forms.ModelChoiceField(
        label=_("Föregående omgång"),
        queryset=NetworkRound.objects.none(),
        required=False,
        empty_label=_("Ingen (första omgången)"),
        help_text=_("Resultaten visar förändringen sedan den omgången."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = NetworkRound.objects.for_association(association).select_related("campaign")


class ReopenForm(forms.Form):
    closes_on = forms.DateField(label=_("Nytt slutdatum"), widget=DateInput)


class InvitationsForm(forms.Form):
    """One address per member agency (its representative); agencies already invited are shown, not asked."""

    def __init__(self, *args: Any, agencies: list[Agency], invited: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for agency in agencies:
            if agency.pk in invited:
                continue
            self.fields[f"email-{agency.pk}"] = forms.CharField(
                label=agency.name, required=False, max_length=254, widget=forms.EmailInput
            )

    def emails(self) -> dict[int, str]:
        return {
            int(name.removeprefix("email-")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("email-") and value
        }
