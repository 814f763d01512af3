"""Participant pages (deltagaransvarig only, after a second factor), the outcome tables and the role page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.tenancy.models import Association, Membership, Role
from samverkan.tenancy.scoping import association_view

from . import participant_selectors as selectors
from . import participant_services as services
from .models import AnonymousParticipation, Intervention, InterventionAssignment, Participant
from .participant_access import assignment_role, can_see_participants, participant_view
from .participant_forms import AnonymousForm, AssignmentForm, ParticipantForm
from .vocabulary import IncomeGroup, IncomeSource


def _participant(intervention: Intervention, participant_id: int) -> Participant:
    return get_object_or_404(Participant.objects.filter(intervention=intervention), pk=participant_id)


@participant_view
def participant_list(request: HttpRequest, association: Association, intervention: Intervention) -> HttpResponse:
    participants = Paginator(Participant.objects.filter(intervention=intervention).order_by("-start", "code"), 50)
    page = participants.get_page(request.GET.get("sida"))
    anonymous = AnonymousParticipation.objects.filter(intervention=intervention, count__gt=0)
    return render(
        request,
        "interventions/participant_list.html",
        {
            "nav": "insatser",
            "intervention": intervention,
            "participants": page.object_list,
            "page": page,
            "anonymous_total": sum(a.count for a in anonymous),
            "anonymous_form": AnonymousForm(initial={"start_year": datetime.date.today().year}),
        },
    )


@participant_view
def participant_create(request: HttpRequest, association: Association, intervention: Intervention) -> HttpResponse:
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "identity_number"}
        try:
            services.participant_register(
                intervention=intervention,
                recorded_by=request.user,
                identity_number=form.cleaned_data.get("identity_number", ""),
                **data,
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Deltagaren är registrerad."))
            return redirect("interventions:participant_list", association.slug, intervention.pk)
    if form.is_bound and "identity_number" in form.fields:
        form.data = form.data.copy()
        form.data["identity_number"] = ""  # never sent back to the browser, not even on an error
    return render(
        request,
        "interventions/participant_form.html",
        {"nav": "insatser", "intervention": intervention, "form": form, "editing": False},
    )


@participant_view
def participant_edit(
    request: HttpRequest, association: Association, intervention: Intervention, participant_id: int
) -> HttpResponse:
    participant = _participant(intervention, participant_id)
    form = ParticipantForm(request.POST or None, instance=participant, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(participant=Participant.objects.get(pk=participant.pk), **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect("interventions:participant_list", association.slug, intervention.pk)
    return render(
        request,
        "interventions/participant_form.html",
        {
            "nav": "insatser",
            "intervention": intervention,
            "form": form,
            "editing": True,
            "participant": participant,
        },
    )


@participant_view
def participant_delete(
    request: HttpRequest, association: Association, intervention: Intervention, participant_id: int
) -> HttpResponse:
    participant = _participant(intervention, participant_id)
    if request.method == "POST":
        services.participant_delete(participant=participant, actor=request.user)
        messages.success(request, _("Deltagaren och allt som hörde till deltagaren är borttaget."))
        return redirect("interventions:participant_list", association.slug, intervention.pk)
    return render(
        request,
        "interventions/participant_delete.html",
        {"nav": "insatser", "intervention": intervention, "participant": participant},
    )


def extract_html(participant: Participant) -> str:
    return render_to_string(
        "interventions/participant_extract_pdf.html",
        {
            "participant": participant,
            "rows": selectors.participant_extract(participant),
            "made_on": datetime.date.today(),
        },
    )


@participant_view
def participant_extract(
    request: HttpRequest, association: Association, intervention: Intervention, participant_id: int
) -> HttpResponse:
    from samverkan.common.pdf import pdf_bytes

    participant = _participant(intervention, participant_id)
    pdf = pdf_bytes(extract_html(participant))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="registerutdrag.pdf"'
    return response


@participant_view
def anonymous_create(request: HttpRequest, association: Association, intervention: Intervention) -> HttpResponse:
    form = AnonymousForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymous_add(intervention=intervention, **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("De anonyma deltagarna är räknade."))
            return redirect("interventions:participant_list", association.slug, intervention.pk)
    return render(
        request,
        "interventions/anonymous_form.html",
        {"nav": "insatser", "intervention": intervention, "form": form},
    )


@association_view(role=Role.MEMBER)
def outcomes(request: HttpRequest, association: Association, intervention_id: int) -> HttpResponse:
    """The outcome tables: aggregates only, every figure under the page's one suppression; for every member."""
    intervention = get_object_or_404(Intervention.objects.filter(association=association), pk=intervention_id)
    years = selectors.outcome_years(intervention)
    try:
        year = int(request.GET.get("ar") or (years[0] if years else datetime.date.today().year))
    except ValueError:
        raise Http404 from None
    tables = selectors.outcome_page(intervention, year)
    # A break opportunity after "/" so the long source names wrap in the column headers.
    sources = {code: str(label).replace("/", "/\u200b") for code, label in IncomeSource.choices}
    groups = dict(IncomeGroup.choices)
    return render(
        request,
        "interventions/outcomes.html",
        {
            "nav": "insatser",
            "intervention": intervention,
            "year": year,
            "years": years,
            "t": tables,
            "transition": _grid_rows(tables.transition, sources),
            "groups": _grid_rows(tables.groups, groups),
            "can_see_participants": can_see_participants(request.user, intervention),
            "role": assignment_role(request.user, intervention),
            "duration_labels": DURATION_LABELS,
        },
    )


DURATION_LABELS = {
    "0-3": "under 3 månader",
    "3-6": "3–6 månader",
    "6-12": "6–12 månader",
    "12-24": "1–2 år",
    "24+": "mer än 2 år",
}


def _grid_rows(grid: object, labels: dict[str, str]) -> dict[str, object] | None:
    if grid is None:
        return None
    g = grid  # outcomes.Grid
    return {
        "columns": [(c, labels.get(c, c), g.column_totals[c]) for c in g.columns],  # type: ignore[attr-defined]
        "rows": [
            (labels.get(r, r), [g.cell(r, c) for c in g.columns], g.row_totals[r])  # type: ignore[attr-defined]
            for r in g.rows  # type: ignore[attr-defined]
        ],
        "total": g.total,  # type: ignore[attr-defined]
    }


@association_view(role=Role.ADMIN)
def assignments(request: HttpRequest, association: Association, intervention_id: int) -> HttpResponse:
    """The association's admins give members the roles deltagaransvarig / insatsansvarig for one intervention."""
    intervention = get_object_or_404(Intervention.objects.filter(association=association), pk=intervention_id)
    memberships = Membership.objects.filter(association=association).select_related("user").order_by("user__email")
    members = [(str(m.user_id), m.user.get_full_name() or m.user.email) for m in memberships]  # type: ignore[attr-defined]
    form = AssignmentForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        user = next(m.user for m in memberships if str(m.user_id) == form.cleaned_data["user"])
        try:
            services.assignment_set(intervention=intervention, user=user, role=form.cleaned_data["role"])
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Rollen är sparad."))
            return redirect("interventions:assignments", association.slug, intervention.pk)
    return render(
        request,
        "interventions/assignments.html",
        {
            "nav": "insatser",
            "intervention": intervention,
            "form": form,
            "assignments": InterventionAssignment.objects.filter(intervention=intervention).select_related("user"),
        },
    )
