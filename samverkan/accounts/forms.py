from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
