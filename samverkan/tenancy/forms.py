from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import Role


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


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-post"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("Personen får ett mejl med en länk som fungerar en gång."),
    )
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)


class AssociationCreateForm(forms.Form):
    name = forms.CharField(label=_("Förbundets namn"), max_length=200)
    county = forms.CharField(label=_("Län"), max_length=100)
    slug = forms.CharField(
        label=_("Kortnamn i adressen"),
        max_length=50,
        required=False,
        help_text=_("Bildas av namnet om du lämnar det tomt, t.ex. samordningsforbundet-norra-vastmanland."),
    )
    agencies = forms.CharField(
        label=_("Medlemmar"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "En per rad, t.ex. Försäkringskassan, Arbetsförmedlingen, Region Västmanland, Sala kommun. "
            "En medlem som redan finns på plattformen återanvänds."
        ),
    )
    admin_email = forms.EmailField(
        label=_("Första administratörens e-post"),
        max_length=254,
        help_text=_("Personen får en inbjudan med e-post och väljer sitt eget lösenord."),
    )


class PlatformInviteForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Förbund"), queryset=None)  # type: ignore[arg-type]
    email = forms.EmailField(label=_("Administratörens e-post"), max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import Association

        self.fields["association"].queryset = Association.objects.order_by("name")  # type: ignore[attr-defined]


class ExistingAccountForm(forms.Form):
    """The invited person has an account: their password, to log in and join in one step."""

    password = forms.CharField(
        label=_("Lösenord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class NewAccountForm(forms.Form):
    """The invited person has no account yet: a name and a password of their own choice."""

    name = forms.CharField(
        label=_("Ditt namn"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Visas för andra i förbundet."),
    )
    password1 = forms.CharField(
        label=_("Välj lösenord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 10 tecken; inte bara siffror och inte ett vanligt lösenord."),
    )
    password2 = forms.CharField(
        label=_("Skriv lösenordet igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Lösenorden är inte lika."))
        elif first:
            from django.contrib.auth import get_user_model

            # The validators compare the password with the person's e-mail and name, as Django's own forms do.
            candidate = get_user_model()(email=self.email, name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
