from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("T.ex. vilket system eller vilken utvärderare som ska använda den."),
    )


class AssociationSharingForm(forms.ModelForm):
    class Meta:
        from .models import Association

        model = Association
        fields = ["benchmark_opt_in", "benchmark_named", "min_group_size"]
        labels = {
            "benchmark_opt_in": _("Dela aggregerade resultat för jämförelse mellan förbund"),
            "benchmark_named": _("Visa vårt namn i jämförelsen"),
            "min_group_size": _("Minsta gruppstorlek för nya mätomgångar"),
        }
        help_texts = {
            "benchmark_opt_in": _(
                "Bara medelvärden för hela förbundet delas, aldrig enskilda svar eller små grupper. "
                "Ni ser då er position bland de andra som delar."
            ),
            "benchmark_named": _("Annars visas ni anonymt."),
            "min_group_size": _("Grupper med färre svar visas aldrig. Aldrig under 3."),
        }
