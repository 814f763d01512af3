"""The participant import page: upload → preview (counts, the first rows, every error) → confirm; templates.

Who: an association admin, or a deltagaransvarig of at least one intervention (rows for other interventions are
refused row by row); with the second factor, as every page with participant-level data. The checked file waits
for the confirmation encrypted, under a key only the preview's form carries (import_pending.py), and is deleted
when confirmed, cancelled or an hour old: the confirmation needs no second upload.
"""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.second_factor import require_second_factor
from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_view

from .import_file import max_bytes, too_large_message
from .import_pending import pending_discard, pending_store, pending_take
from .import_template import column_help, template_csv, template_xlsx
from .import_vocabulary import AGE_BANDS, GENDERS, INCOME_SOURCES
from .models import AssignmentRole
from .participant_import import (
    ImportCheck,
    ParticipantImportError,
    may_import,
    participant_import_check,
    participant_import_run,
)

DEFAULT_PURPOSE = gettext_lazy("Uppföljning av insatsen inom finansiell samordning (Finsam)")


class ParticipantFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Deltagarfil"),
        help_text=gettext_lazy("CSV (UTF-8 eller Windows-1252; semikolon, komma eller tabb) eller Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    purpose = forms.CharField(
        label=gettext_lazy("Samtyckets ändamål"),
        max_length=300,
        initial=DEFAULT_PURPOSE,
        help_text=gettext_lazy("Sparas med varje ny deltagare som har lämnat samtycke."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large_message(upload.size, max_bytes()))
        return upload


def _allowed(request: HttpRequest, association: Association) -> None:
    if not may_import(request.user, association):
        raise PermissionDenied


def _sample(check: ImportCheck) -> list[dict[str, Any]]:
    return [
        {
            "line": row.line,
            "intervention": row.intervention,
            "code": row.code,
            "anonymous": row.anonymous,
            "gender": GENDERS.label(row.gender),
            "age_band": AGE_BANDS.label(row.age_band),
            "start": row.start,
            "end": row.end,
            "income_start": INCOME_SOURCES.label(row.income_start),
            "income_end": INCOME_SOURCES.label(row.income_end) if row.income_end else "",
        }
        for row in check.sample
    ]


def _page(
    request: HttpRequest,
    form: ParticipantFileForm,
    *,
    check: ImportCheck | None = None,
    pending: str = "",
    file_name: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "nav": "insatser",
        "form": form,
        "check": check,
        "sample": _sample(check) if check else [],
        "pending": pending,
        "file_name": file_name,
        "columns": column_help(),
    }
    return render(request, "interventions/participant_import.html", context, status=status)


@association_view()
@require_second_factor
def participant_import(request: HttpRequest, association: Association) -> HttpResponse:
    _allowed(request, association)
    if request.method != "POST":
        return _page(request, ParticipantFileForm())
    if "pending" in request.POST:
        return _confirm(request, association)
    form = ParticipantFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    upload = form.cleaned_data["file"]
    upload.seek(0)
    check = participant_import_check(association=association, file=upload.file, user=request.user)
    pending = ""
    if check.ok and check.already is None:
        upload.seek(0)
        pending = pending_store(
            association=association, user=request.user, data=upload.read(), purpose=form.cleaned_data["purpose"]
        )
    return _page(request, form, check=check, pending=pending, file_name=upload.name, status=200 if check.ok else 400)


# For the route walk's role matrix (tenancy/tests/test_access.py): besides membership, a deltagaransvarig role in an
# intervention (or the admin role) is needed.
participant_import.participant_role = AssignmentRole.PARTICIPANTS  # type: ignore[attr-defined]


def _confirm(request: HttpRequest, association: Association) -> HttpResponse:
    reference = request.POST.get("pending", "")
    if "cancel" in request.POST:
        pending_discard(association=association, user=request.user, reference=reference)
        messages.info(request, _("Inläsningen avbröts. Filen är borttagen och inget sparades."))
        return redirect("interventions:participant_import", association.slug)
    taken = pending_take(association=association, user=request.user, reference=reference)
    if taken is None:
        messages.error(
            request, _("Förhandsgranskningen har gått ut (efter en timme) och inget sparades. Läs in filen igen.")
        )
        return redirect("interventions:participant_import", association.slug)
    data, purpose = taken
    try:
        check = participant_import_run(
            association=association, file=io.BytesIO(data), user=request.user, purpose=purpose
        )
    except ParticipantImportError as error:
        return _page(request, ParticipantFileForm(initial={"purpose": purpose}), check=error.check, status=400)
    if check.already is not None:
        messages.info(request, _("Filen var redan inläst: ingenting ändrades."))
    else:
        messages.success(
            request,
            _(
                "Inläst: %(created)s nya deltagare, %(updated)s ändrade, %(unchanged)s oförändrade och "
                "%(anonymous)s anonyma deltaganden."
            )
            % {
                "created": check.created,
                "updated": check.updated,
                "unchanged": check.unchanged,
                "anonymous": check.anonymous,
            },
        )
    return redirect("interventions:participant_import", association.slug)


@association_view()
def participant_import_template(request: HttpRequest, association: Association, fmt: str) -> HttpResponse:
    """The template: the header row and two example rows (one with consent, one anonymous); no personal data."""
    if fmt == "csv":
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            template_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="deltagare-mall.{fmt}"'
    return response
