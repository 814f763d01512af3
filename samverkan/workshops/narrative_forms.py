"""Forms of the narrative pages; the rules themselves are the services' (workshops/narrative.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samverkan.common.text import validate_no_control_characters

from .narrative import NAME_MAX, STATEMENT_MAX, TEXT_MAX, TITLE_MAX


class TextField(forms.CharField):
    default_validators = [validate_no_control_characters]


class NarrativeForm(forms.Form):
    title = TextField(label=_("Rubrik"), max_length=TITLE_MAX)
    text = TextField(
        label=_("Berättelsen"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Vanlig text. En tom rad börjar ett nytt stycke, ”## ” en rubrik, ”### ” en underrubrik "
            "och ”- ” en punkt i en lista."
        ),
    )
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PersonaForm(forms.Form):
    name = TextField(label=_("Namn"), max_length=NAME_MAX, help_text=_("T.ex. ”Maria, 34”."))
    situation = TextField(
        label=_("Situation"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vem hen är och var hen står i dag."),
    )
    needs = TextField(
        label=_("Vad hen behöver, och från vem"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StatementForm(forms.Form):
    text = TextField(
        label=_("Jag-påstående"),
        max_length=STATEMENT_MAX,
        help_text=_("I personens egen röst, t.ex. ”Jag behöver bara berätta min historia en gång.”"),
    )
