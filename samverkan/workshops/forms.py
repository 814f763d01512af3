"""Forms of the live session: a new workshop (facilitator) and an answer (phone)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import DEFAULT_PROMPT
from .services import ANSWER_MAX_CHARACTERS


class WorkshopForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    prompts = forms.CharField(
        label=_("Öppna frågor"),
        help_text=_("En fråga per rad. Deltagarna svarar på telefonen med egna ord."),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=DEFAULT_PROMPT,
        max_length=4000,
    )
    rating_question = forms.CharField(
        label=_("Skattningsfråga 1–5 (valfri)"),
        help_text=_("Till exempel: Hur användbart är integrerad samverkan för er? Lämna tomt om ni inte vill ha den."),
        required=False,
        max_length=500,
    )
    ask_agency = forms.BooleanField(
        label=_("Fråga deltagarna efter myndighet"),
        help_text=_("Av som standard. Med få deltagare per myndighet kan myndigheten peka ut en person."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def prompt_texts(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["prompts"].splitlines() if line.strip()]


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Ditt svar"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": ANSWER_MAX_CHARACTERS}),
        max_length=ANSWER_MAX_CHARACTERS,
        required=False,
    )
