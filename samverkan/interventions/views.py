"""Interventions: the list, one intervention's page, and the form that creates or changes one.

Roles: everyone in the association reads; analysts and admins create, change and delete interventions
(they keep the portfolio and its figures); only admins read the audit log (audit_views.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.measure.presentation import level_sentences, picture_for
from samverkan.measure.results import campaign_results
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors, services
from .forms import intervention_forms
from .models import Intervention

EDIT_ROLE = Role.ANALYST


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(EDIT_ROLE))  # type: ignore[attr-defined]


@association_view()
def intervention_list(request: HttpRequest, association: Association) -> HttpResponse:
    interventions = list(selectors.intervention_list(association))
    return render(
        request,
        "interventions/intervention_list.html",
        {"nav": "insatser", "interventions": interventions, "can_edit": _can_edit(request)},
    )


def latest_ring_picture(intervention: Intervention) -> dict[str, Any] | None:
    """The latest of the intervention's campaigns whose results can be shown, as Mät's three-ring picture."""
    campaigns = sorted(intervention.campaigns.all(), key=lambda c: (c.opens_on, c.pk), reverse=True)
    for campaign in campaigns:
        data = campaign_results(campaign=campaign)  # Mät's suppression choke point
        if data.levels and not data.total_suppressed:
            return {"campaign": campaign, "picture": picture_for(data), "sentences": level_sentences(data)}
    return None


@association_view()
def intervention_detail(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    intervention = selectors.intervention_detail(association, pk)
    years: dict[int, dict[str, Any]] = {}
    for f in intervention.financing.all():
        years.setdefault(f.year, {"financing": [], "in_kind": [], "volume": None})["financing"].append(f)
    for k in intervention.in_kind.all():
        years.setdefault(k.year, {"financing": [], "in_kind": [], "volume": None})["in_kind"].append(k)
    for v in intervention.volume_counts.all():
        years.setdefault(v.year, {"financing": [], "in_kind": [], "volume": None})["volume"] = v
    for year, row in years.items():
        row["form"] = intervention.get_form_display() if intervention.form_in_year(year) == "permanent" else None
        row["amount"] = sum(int(f.amount) for f in row["financing"])
        budgets = [int(f.budget) for f in row["financing"] if f.budget is not None]
        row["budget"] = sum(budgets) if budgets else None
    return render(
        request,
        "interventions/intervention_detail.html",
        {
            "nav": "insatser",
            "intervention": intervention,
            "years": sorted(years.items()),
            "latest": latest_ring_picture(intervention),
            "can_edit": _can_edit(request),
        },
    )


def _form_page(request: HttpRequest, association: Association, instance: Intervention | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form, formsets = intervention_forms(data, association=association, instance=instance)
    if data is not None:
        valid = form.is_valid()
        valid = all([formset.is_valid() for formset in formsets.values()])  # noqa: C419 - validate every formset and valid
        if valid:
            intervention = services.intervention_save(
                association=association, form=form, formsets=formsets, actor=request.user
            )
            messages.success(request, _("Insatsen är sparad."))
            return redirect("interventions:intervention_detail", slug=association.slug, pk=intervention.pk)
    has_errors = bool(form.errors) or any(fs.total_error_count() for fs in formsets.values())
    return render(
        request,
        "interventions/intervention_form.html",
        {
            "nav": "insatser",
            "form": form,
            "formsets": formsets,
            "editing": instance is not None,
            "intervention": instance,
            "has_errors": has_errors and data is not None,
        },
        status=400 if data is not None and has_errors else 200,
    )


@association_view(role=EDIT_ROLE)
def intervention_create(request: HttpRequest, association: Association) -> HttpResponse:
    return _form_page(request, association, None)


@association_view(role=EDIT_ROLE)
def intervention_edit(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    return _form_page(request, association, selectors.intervention_for_association_or_404(association, pk))


@require_POST
@association_view(role=EDIT_ROLE)
def intervention_delete(request: HttpRequest, association: Association, pk: int) -> HttpResponse:
    intervention = selectors.intervention_for_association_or_404(association, pk)
    if request.POST.get("bekrafta") != "ja":
        messages.error(request, _("Kryssa i att insatsen ska raderas för att radera den."))
        return redirect("interventions:intervention_detail", slug=association.slug, pk=intervention.pk)
    name = intervention.name
    services.intervention_delete(intervention=intervention, actor=request.user)
    messages.success(request, _("Insatsen ”%(name)s” är raderad.") % {"name": name})
    return redirect("interventions:intervention_list", slug=association.slug)
