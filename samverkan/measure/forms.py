from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.common.text import TextFileError, decode_text_file, validate_no_control_characters
from samverkan.tenancy.models import Association

from . import stats
from .models import Campaign, Instrument, ItemKind, RespondentGroup


class DateInput(forms.DateInput):
    input_type = "date"


class TextField(forms.CharField):
    """A CharField that refuses NUL and the other C0 control characters in Swedish (common/text.py)."""

    default_validators = [validate_no_control_characters]


class UniqueMultipleChoiceField(forms.MultipleChoiceField):
    """Checkboxes: a value sent twice (a hand-made request) counts once."""

    def clean(self, value: Any) -> list[str]:
        return list(dict.fromkeys(super().clean(value)))


class CampaignForm(forms.Form):
    name = TextField(label=_("Namn"), max_length=200, help_text=_("T.ex. ”Mätning hösten 2026”."))
    instrument = forms.ModelChoiceField(label=_("Enkät"), queryset=Instrument.objects.none())
    respondent_groups = UniqueMultipleChoiceField(
        label=_("Respondentgrupper"),
        choices=RespondentGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Varje grupp får en egen öppen länk och redovisas för sig när den har tillräckligt många svar."),
    )
    opens_on = forms.DateField(label=_("Öppnar"), widget=DateInput)
    closes_on = forms.DateField(label=_("Stänger"), widget=DateInput)
    # The floor (SAMVERKAN_MIN_GROUP_SIZE) is a rule of services.campaign_create/update; the form only shows it.
    min_group_size = forms.IntegerField(
        label=_("Minsta gruppstorlek"),
        max_value=50,
        initial=stats.DEFAULT_MIN_GROUP_SIZE,
    )
    previous = forms.ModelChoiceField(
        label=_("Fortsätter serien efter"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("– Ingen, detta är första mätningen –"),
        help_text=_("Välj föregående mätomgång med samma enkät, så visar pilen förändringen sedan dess."),
    )
    confirm_past_start = forms.BooleanField(
        label=_("Ja, mätomgången ska räknas från ett datum som redan har passerat"),
        required=False,
        help_text=_("T.ex. när pappersenkäter som redan har samlats in ska läsas in."),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        floor = stats.platform_min_group_size()
        self.fields["min_group_size"].widget.attrs["min"] = floor
        self.fields["min_group_size"].help_text = _(
            "Grupper med färre svar visas aldrig, inte heller fritextsvar. Lägst %(min)s."
        ) % {"min": floor}
        # Shown once a past start date needs confirming (or was confirmed), so the usual form stays short.
        self.show_past_start_confirmation = bool(self.data.get("confirm_past_start"))
        instruments = Instrument.objects.available_to(association)
        self.fields["instrument"].queryset = instruments
        # Most rounds use the core ring-model survey: preselect it.
        self.fields["instrument"].initial = (
            instruments.filter(association=None, kind="staff").order_by("-version").values_list("pk", flat=True).first()
        )
        self.fields["previous"].queryset = Campaign.objects.for_association(association)
        self.fields["min_group_size"].initial = max(association.min_group_size, floor)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=28)

    def start_date_changed(self, opens_on: Any) -> bool:
        return True

    def clean(self) -> dict[str, Any]:
        # Business rules (unique name, groups, dates, the minimum group size's floor) are checked by
        # services.campaign_create/update and mapped onto this form; only the confirmation is the form's.
        data = super().clean() or {}
        opens = data.get("opens_on")
        if (
            opens
            and opens < timezone.localdate()
            and self.start_date_changed(opens)
            and not data.get("confirm_past_start")
        ):
            self.show_past_start_confirmation = True
            self.add_error(
                "opens_on",
                _(
                    "Startdatumet %(date)s har redan passerat. Välj i dag eller ett senare datum, eller kryssa i "
                    "rutan nedan om mätomgången verkligen ska räknas från det datumet."
                )
                % {"date": opens.isoformat()},
            )
        return data


class CampaignEditForm(CampaignForm):
    """Name, dates, groups and minimum group size of an existing round; its survey stays."""

    def __init__(self, *args: Any, association: Association, campaign: Campaign, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": campaign.name,
                "respondent_groups": list(campaign.respondent_groups),
                "opens_on": campaign.opens_on,
                "closes_on": campaign.closes_on,
                "min_group_size": campaign.min_group_size,
            },
        )
        super().__init__(*args, association=association, **kwargs)
        self.campaign = campaign
        del self.fields["instrument"]
        del self.fields["previous"]
        for name in ("opens_on", "closes_on", "min_group_size"):
            self.fields[name].initial = None  # the round's own values (initial=) apply

    def start_date_changed(self, opens_on: Any) -> bool:
        return bool(opens_on != self.campaign.opens_on)


class CampaignReopenForm(forms.Form):
    closes_on = forms.DateField(label=_("Ny slutdag"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=14)


class ReminderScheduleForm(forms.Form):
    remind_on = forms.DateField(
        label=_("Skicka en påminnelse automatiskt den"),
        widget=DateInput,
        required=False,
        help_text=_("Lämna tomt för ingen automatisk påminnelse. Den går till alla inbjudna, som knappen nedan."),
    )


# A quick look at each line in the request (about a microsecond each): something@domain.tld with nothing
# a mail address cannot hold. The full check (Django's validate_email) runs in the job that stores the list.
EMAIL_SHAPE = re.compile(r'[^\s@"(),:;<>\[\]\\]{1,64}@(?:[^\s@"(),:;<>\[\]\\.]+\.)+[^\s@"(),:;<>\[\]\\.]{2,}')
EMAIL_MAX = 254


class InvitationForm(forms.Form):
    respondent_group = forms.ChoiceField(label=_("Respondentgrupp"))
    emails = TextField(
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
                text = decode_text_file(upload.read())  # UTF-8 (with or without BOM) or Excel's Windows-1252
            except TextFileError as error:
                self.add_error("file", str(error))
                return data
            rows = csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ",")
            try:
                raw += "\n" + "\n".join(cell for row in rows for cell in row)
            except csv.Error:  # an unclosed quote, or a "cell" over csv's 131,072 characters
                self.add_error(
                    "file",
                    _("Filen kan inte läsas som CSV från rad %(line)s. Kontrollera citattecknen.")
                    % {"line": rows.line_num},
                )
                return data
        candidates = [p.strip() for p in raw.replace(";", "\n").replace(",", "\n").splitlines() if p.strip()]
        candidates = [c for c in candidates if c.lower() not in ("e-post", "epost", "email", "e-mail")]
        shape = EMAIL_SHAPE.fullmatch
        bad = [c for c in candidates if len(c) > EMAIL_MAX or shape(c) is None]
        if bad:
            shown = ", ".join(b if len(b) <= 80 else b[:80] + "…" for b in bad[:200])
            more = len(bad) - 200
            self.add_error(
                "emails",
                (
                    _("Ogiltiga adresser (%(count)s): %(list)s och %(more)s till. Inga inbjudningar skickades.")
                    if more > 0
                    else _("Ogiltiga adresser (%(count)s): %(list)s. Inga inbjudningar skickades.")
                )
                % {"count": len(bad), "list": shown, "more": more},
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
    text = TextField(label=_("Frågetext"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    options = TextField(
        label=_("Svarsalternativ (enkelval)"),
        required=False,
        max_length=4000,
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
    name = TextField(label=_("Namn på er version"), max_length=200)
