"""Scenario pages: the list (the capability's first page), the builder, upload and download, and the results.

Roles as in Insatser: everyone in the association reads; analysts and admins create, change and delete.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import scenario_builder as builder
from . import scenario_fill as fill
from . import scenario_selectors as selectors
from . import scenario_services as services
from .models import Scenario
from .scenario_validation import scenario_errors
from .typfall import TYPFALL, TYPFALL_BY_KEY

EDIT_ROLE = Role.ANALYST


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(EDIT_ROLE))  # type: ignore[attr-defined]


def _optional_url(name: str, slug: str) -> str | None:
    """A sibling part's page (the price table, the integration page) when that part is installed."""
    try:
        return reverse(name, args=[slug])
    except NoReverseMatch:
        return None


def economics_nav(association: Association) -> dict[str, Any]:
    """The sub-navigation's links (economics/_subnav.html), for every Samhällsekonomi page."""
    return {
        "nav": "samhallsekonomi",
        "price_url": _optional_url("economics:price_list", association.slug),
        "integration_url": _optional_url("economics:integration_return", association.slug),
    }


@association_view()
def scenario_list(request: HttpRequest, association: Association) -> HttpResponse:
    return render(
        request,
        "economics/scenario_list.html",
        {
            **economics_nav(association),
            "summaries": selectors.scenario_summaries(association),
            "can_edit": _can_edit(request),
        },
    )


def _interventions(association: Association) -> list[tuple[int, str]]:
    from samverkan.interventions.models import Intervention

    return list(Intervention.objects.for_association(association).order_by("name").values_list("pk", "name"))


def _remove(rows: list[dict[str, str]], index: str) -> list[dict[str, str]]:
    try:
        number = int(index)
    except ValueError:
        return rows
    return [row for i, row in enumerate(rows) if i != number]


def _apply_action(
    request: HttpRequest, association: Association, data: QueryDict, action: str
) -> tuple[builder.Raw, list[str]]:
    """The builder's values after a button other than "spara", and notes for the person."""
    basics, investments, outcomes = builder.raw_of(data)
    notes: list[str] = []
    verb, _colon, argument = action.partition(":")
    if verb == "add_investment":
        investments.append({})
    elif verb == "add_outcome":
        outcomes.append({})
    elif verb == "remove_investment":
        investments = _remove(investments, argument)
    elif verb == "remove_outcome":
        outcomes = _remove(outcomes, argument)
    elif verb == "add_price":
        prices = {str(p.pk): p for p in fill.price_choices(association)}
        unit_cost = prices.get(data.get("price_id", ""))
        if unit_cost is None:
            notes.append(_("Välj ett à-pris i pristabellen."))
        else:
            row, warning = fill.price_row(unit_cost, persons=data.get("price_persons", "").strip())
            outcomes.append(row)
            notes += [warning] if warning else []
    elif verb == "add_typfall":
        typfall = TYPFALL_BY_KEY.get(data.get("typfall", ""))
        if typfall is None:
            notes.append(_("Välj ett typfall."))
        else:
            added = fill.typfall_rows(
                typfall, persons=data.get("typfall_persons", "").strip(), prices=fill.price_choices(association)
            )
            outcomes += added.outcomes
            notes += added.messages
    elif verb == "fill_intervention":
        notes += _fill_from_intervention(association, data, basics, investments, outcomes)
    return (basics, investments, outcomes), notes


def _fill_from_intervention(
    association: Association,
    data: QueryDict,
    basics: dict[str, str],
    investments: list[dict[str, str]],
    outcomes: list[dict[str, str]],
) -> list[str]:
    from samverkan.interventions.models import Intervention

    pk, _colon, year = data.get("fill_from", "").partition(":")
    intervention = Intervention.objects.for_association(association).filter(pk=pk).first() if pk.isdigit() else None
    if intervention is None:
        return [_("Välj en insats att hämta från.")]
    result = fill.intervention_fill(
        intervention, int(year) if year.isdigit() else None, prices=fill.price_choices(association)
    )
    # The intervention's money replaces the investments; its outcome rows replace the ones an earlier fill added.
    investments[:] = [{k: str(v) for k, v in row.items()} for row in result.investments]
    kept = [row for row in outcomes if '"intervention"' not in row.get("extra", "")]
    outcomes[:] = kept + result.outcomes
    for key, value in result.basics.items():
        if key == "horizon_years":
            current = basics.get("horizon_years", "")
            if current.isdigit() and int(current) >= int(value):
                continue
        basics[key] = str(value)
    return [
        _("Investeringar och utfall är hämtade från ”%(name)s”. Kontrollera dem och spara.")
        % {"name": intervention.name},
        *result.messages,
    ]


def _builder_page(request: HttpRequest, association: Association, scenario: Scenario | None) -> HttpResponse:
    interventions = _interventions(association)
    status = 200
    show_errors = False
    problems: list[str] = []
    notes: list[str] = []
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    if action == "save":
        forms = builder.bind(request.POST, interventions=interventions)
    else:
        if action:
            raw, notes = _apply_action(request, association, request.POST, action)
        else:
            source = scenario.data if scenario is not None else {**builder.DEFAULT_SCENARIO}
            raw = builder.raw_for_scenario(
                source,
                notes=scenario.notes if scenario else "",
                intervention=scenario.intervention_id if scenario else None,
            )
        forms = builder.unbound(raw, interventions=interventions)
    if action == "save":
        show_errors = True
        if forms.is_valid():
            obj, investment_index, outcome_index = forms.to_object()
            errors = scenario_errors(obj, kpi_table=selectors.kpi_table_or_none())
            if not errors:
                saved = _save(request, association, scenario, obj, forms)
                if saved is not None:
                    messages.success(request, _("Scenariot är sparat."))
                    return redirect("economics:scenario_detail", slug=association.slug, scenario_id=saved.pk)
            problems = forms.place_errors(errors, investment_index, outcome_index)
        status = 400
    return render(
        request,
        "economics/scenario_form.html",
        {
            **economics_nav(association),
            "scenario": scenario,
            "forms": forms,
            "show_errors": show_errors,
            "problems": problems,
            "notes": notes,
            # The notes stand where the button that caused them jumps to (formaction="#meddelanden").
            "notes_at": "investments" if action == "fill_intervention" else "outcomes",
            "prices": fill.price_choices(association),
            "typfall": TYPFALL,
            "fill_choices": fill.intervention_choices(association),
        },
        status=status,
    )


def _save(
    request: HttpRequest, association: Association, scenario: Scenario | None, obj: dict[str, Any], forms: Any
) -> Scenario | None:
    from samverkan.interventions.models import Intervention

    intervention_id = forms.basics.cleaned_data.get("intervention")
    intervention = (
        Intervention.objects.for_association(association).filter(pk=intervention_id).first()
        if intervention_id
        else None
    )
    notes = forms.basics.cleaned_data.get("notes", "")
    try:
        if scenario is None:
            return services.scenario_create(
                association=association, data=obj, created_by=request.user, intervention=intervention, notes=notes
            )
        return services.scenario_update(scenario=scenario, data=obj, intervention=intervention, notes=notes)
    except ServiceError as error:
        forms.basics.add_error(None, error)
        return None


@association_view(role=EDIT_ROLE)
def scenario_create(request: HttpRequest, association: Association) -> HttpResponse:
    return _builder_page(request, association, None)


@association_view(role=EDIT_ROLE)
def scenario_edit(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    return _builder_page(request, association, selectors.scenario_for_association_or_404(association, scenario_id))


@association_view(role=EDIT_ROLE)
def scenario_upload(request: HttpRequest, association: Association) -> HttpResponse:
    errors: list[Any] = []
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Välj en JSON-fil att läsa in.")]
        else:
            try:
                scenario = services.scenario_from_json(
                    association=association,
                    content=upload.read(services.MAX_UPLOAD_BYTES + 1),
                    created_by=request.user,
                    kpi_table=selectors.kpi_table_or_none(),
                )
            except services.ScenarioInvalid as invalid:
                errors = list(invalid.errors)
            else:
                messages.success(request, _("Scenariot ”%(name)s” är inläst.") % {"name": scenario.name})
                return redirect("economics:scenario_detail", slug=association.slug, scenario_id=scenario.pk)
        status = 400
    return render(
        request,
        "economics/scenario_upload.html",
        {**economics_nav(association), "errors": errors},
        status=status,
    )


@association_view()
def scenario_download(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for_association_or_404(association, scenario_id)
    response = HttpResponse(services.scenario_json(scenario), content_type="application/json; charset=utf-8")
    filename = slugify(scenario.name) or "scenario"
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    return response


@require_POST
@association_view(role=EDIT_ROLE)
def scenario_duplicate(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for_association_or_404(association, scenario_id)
    copy = services.scenario_duplicate(scenario=scenario, created_by=request.user)
    messages.success(request, _("En kopia är skapad: ”%(name)s”.") % {"name": copy.name})
    return redirect("economics:scenario_edit", slug=association.slug, scenario_id=copy.pk)


@require_POST
@association_view(role=EDIT_ROLE)
def scenario_delete(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    scenario = selectors.scenario_for_association_or_404(association, scenario_id)
    if request.POST.get("bekrafta") != "ja":
        messages.error(request, _("Kryssa i att scenariot ska raderas för att radera det."))
        return redirect("economics:scenario_detail", slug=association.slug, scenario_id=scenario.pk)
    name = scenario.name
    services.scenario_delete(scenario=scenario)
    messages.success(request, _("Scenariot ”%(name)s” är raderat.") % {"name": name})
    return redirect("economics:scenario_list", slug=association.slug)


@association_view()
def scenario_detail(request: HttpRequest, association: Association, scenario_id: int) -> HttpResponse:
    from .scenario_results import scenario_results

    scenario = selectors.scenario_for_association_or_404(association, scenario_id)
    return render(
        request,
        "economics/scenario_detail.html",
        {
            **economics_nav(association),
            "scenario": scenario,
            "results": scenario_results(scenario, kpi_table=selectors.kpi_table_or_none()),
            "can_edit": _can_edit(request),
        },
    )
