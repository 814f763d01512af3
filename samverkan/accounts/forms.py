from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    """Login with e-mail; the field keeps Django's name "username" so axes sees it."""

    username = forms.EmailField(
        label=_("E-post"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _("Fel e-postadress eller lösenord. Båda fälten skiljer på stora och små bokstäver."),
        "inactive": _("Kontot är inaktiverat."),
    }


def _unique_email(form: forms.ModelForm, value: str) -> str:
    """Lower case, and not already taken in any case: logins match e-mail case-insensitively
    (UserManager.get_by_natural_key), so two addresses differing only in case lock both people out."""
    email = User.objects.normalize_email(value or "").lower()
    taken = User.objects.filter(email__iexact=email)
    if form.instance.pk is not None:
        taken = taken.exclude(pk=form.instance.pk)
    if taken.exists():
        raise ValidationError(
            _("Det finns redan en användare med e-postadressen %(email)s (stora och små bokstäver räknas som lika)."),
            code="unique_email",
            params={"email": email},
        )
    return email


class AdminUserCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's "add user" form: the e-mail address is the username, unique whatever its case."""

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        return _unique_email(self, self.cleaned_data.get("email", ""))


class AdminUserChangeForm(auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return _unique_email(self, self.cleaned_data.get("email", ""))


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app (six digits) or, where allowed, a recovery code."""

    code = forms.CharField(
        label=_("Kod"),
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("Skriv koden.")},
    )

    def __init__(self, *args: object, recovery_allowed: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["code"]
        if recovery_allowed:
            field.help_text = _(
                "Sex siffror från autentiseringsappen, eller en av dina reservkoder (till exempel 7KQ2-M9XD-4HTR)."
            )
        else:
            field.help_text = _("Sex siffror från autentiseringsappen.")
            field.widget.attrs["inputmode"] = "numeric"
        field.widget.attrs["aria-describedby"] = f"{self['code'].auto_id}_help"  # the help text (field.html)
