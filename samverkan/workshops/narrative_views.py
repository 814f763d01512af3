"""The narrative pages: the ramberättelse with its personas and I-statements, its versions and comparisons.

Roles: every member reads (the page, the versions, a comparison); analysts and admins write the narrative
(text, personas, statements), as they write the association's analyses; turning a statement into a
question of the participant questionnaire changes an instrument, which in Mät is the admins' (item_add),
so it is the admins' here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import narrative as services
from . import narrative_selectors as selectors
from .models import IStatement, Narrative, Persona
from .narrative_forms import NarrativeForm, PersonaForm, StatementForm
from .narrative_text import collapse_unchanged, markup_blocks

NAV = "workshop"


def _can_edit(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(Role.ANALYST))  # type: ignore[attr-defined]


def _can_make_items(request: HttpRequest) -> bool:
    return bool(request.membership.has_role(Role.ADMIN))  # type: ignore[attr-defined]


def _to_page(association: Association, anchor: str = "") -> HttpResponse:
    response = redirect("workshops:narrative", slug=association.slug)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _persona(narrative: Narrative, persona_id: int) -> Persona:
    return get_object_or_404(Persona.objects.filter(narrative=narrative), pk=persona_id)


def _statement(narrative: Narrative, statement_id: int) -> IStatement:
    return get_object_or_404(IStatement.objects.filter(narrative=narrative).select_related("item"), pk=statement_id)


@association_view()
def narrative(request: HttpRequest, association: Association) -> HttpResponse:
    current = selectors.narrative_of(association)
    context: dict[str, Any] = {
        "nav": NAV,
        "narrative": current,
        "can_edit": _can_edit(request),
        "can_make_items": _can_make_items(request),
    }
    if current is None:
        prompt, themes = services.draft_themes(association)
        context.update({"draft_prompt": prompt, "draft_themes": themes})
        return render(request, "workshops/narrative/narrative.html", context)
    statements = list(current.statements.select_related("item__instrument"))
    results = selectors.statement_results(association, statements)
    context.update(
        {
            "blocks": markup_blocks(current.text),
            "personas": list(current.personas.all()),
            "statements": [{"statement": s, "result": results[s.pk]} for s in statements],
            "statement_form": StatementForm(),
            "latest": current.versions.order_by("-number").first(),
            "questionnaire": services.participant_questionnaire(association),
        }
    )
    return render(request, "workshops/narrative/narrative.html", context)


@require_POST
@association_view(role=Role.ANALYST)
def narrative_start(request: HttpRequest, association: Association) -> HttpResponse:
    prompt, themes = services.draft_themes(association)
    try:
        services.narrative_start(association=association, author=request.user, themes=themes, prompt=prompt)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return _to_page(association)
    messages.success(request, _("Utkastet är skapat. Skriv om det med egna ord."))
    return redirect("workshops:narrative_edit", slug=association.slug)


@association_view(role=Role.ANALYST)
def narrative_edit(request: HttpRequest, association: Association) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    form = NarrativeForm(
        request.POST or None, initial={"title": current.title, "text": current.text, "based_on": current.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.narrative_update(
                narrative=current,
                author=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                based_on=form.cleaned_data["based_on"],
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Berättelsen är sparad som en ny version."))
            return _to_page(association)
    return render(
        request,
        "workshops/narrative/narrative_form.html",
        {"nav": NAV, "narrative": current, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _persona_page(
    request: HttpRequest, association: Association, current: Narrative, persona: Persona | None
) -> HttpResponse:
    initial = {"name": persona.name, "situation": persona.situation, "needs": persona.needs} if persona else None
    form = PersonaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if persona is None:
                persona = services.persona_add(narrative=current, author=request.user, **form.cleaned_data)
            else:
                services.persona_update(persona=persona, author=request.user, **form.cleaned_data)
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Personan är sparad."))
            return _to_page(association, f"persona-{persona.pk}")
    return render(
        request,
        "workshops/narrative/persona_form.html",
        {"nav": NAV, "narrative": current, "persona": persona, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@association_view(role=Role.ANALYST)
def persona_add(request: HttpRequest, association: Association) -> HttpResponse:
    return _persona_page(request, association, selectors.narrative_or_404(association), None)


@association_view(role=Role.ANALYST)
def persona_edit(request: HttpRequest, association: Association, persona_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    return _persona_page(request, association, current, _persona(current, persona_id))


@require_POST
@association_view(role=Role.ANALYST)
def persona_delete(request: HttpRequest, association: Association, persona_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    persona = _persona(current, persona_id)
    services.persona_delete(persona=persona, author=request.user)
    messages.success(request, _("Personan är borttagen. Den finns kvar i de tidigare versionerna."))
    return _to_page(association, "personas")


def _statement_page(
    request: HttpRequest, association: Association, current: Narrative, statement: IStatement | None
) -> HttpResponse:
    form = StatementForm(request.POST or None, initial={"text": statement.text} if statement else None)
    if request.method == "POST" and form.is_valid():
        try:
            if statement is None:
                statement = services.statement_add(
                    narrative=current, author=request.user, text=form.cleaned_data["text"]
                )
            else:
                services.statement_update(statement=statement, author=request.user, text=form.cleaned_data["text"])
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Påståendet är sparat."))
            return _to_page(association, f"statement-{statement.pk}")
    return render(
        request,
        "workshops/narrative/statement_form.html",
        {"nav": NAV, "narrative": current, "statement": statement, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@association_view(role=Role.ANALYST)
def statement_add(request: HttpRequest, association: Association) -> HttpResponse:
    return _statement_page(request, association, selectors.narrative_or_404(association), None)


@association_view(role=Role.ANALYST)
def statement_edit(request: HttpRequest, association: Association, statement_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    return _statement_page(request, association, current, _statement(current, statement_id))


@require_POST
@association_view(role=Role.ANALYST)
def statement_delete(request: HttpRequest, association: Association, statement_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    statement = _statement(current, statement_id)
    was_item = statement.item_id is not None
    services.statement_delete(statement=statement, author=request.user)
    messages.success(
        request,
        _("Påståendet är borttaget ur berättelsen. Frågan finns kvar i deltagarenkäten.")
        if was_item
        else _("Påståendet är borttaget."),
    )
    return _to_page(association, "statements")


@require_POST
@association_view(role=Role.ADMIN)
def statement_make_item(request: HttpRequest, association: Association, statement_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    statement = _statement(current, statement_id)
    try:
        item = services.statement_make_item(statement=statement, author=request.user)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Påståendet är nu fråga %(code)s i %(instrument)s. Resultatet visas här när en mätomgång har svar.")
            % {"code": item.code, "instrument": item.instrument},
        )
    return _to_page(association, f"statement-{statement.pk}")


@association_view()
def version_list(request: HttpRequest, association: Association) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    versions = list(current.versions.all())
    return render(
        request,
        "workshops/narrative/version_list.html",
        {"nav": NAV, "narrative": current, "versions": versions},
    )


@association_view()
def version_detail(request: HttpRequest, association: Association, version_id: int) -> HttpResponse:
    current = selectors.narrative_or_404(association)
    version = selectors.version_or_404(current, version_id)
    return render(
        request,
        "workshops/narrative/version_detail.html",
        {
            "nav": NAV,
            "narrative": current,
            "version": version,
            "blocks": markup_blocks(str(version.snapshot.get("text", ""))),
            "previous": current.versions.filter(number__lt=version.number).order_by("-number").first(),
        },
    )


def _version_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


@association_view()
def version_compare(request: HttpRequest, association: Association) -> HttpResponse:
    """Two versions side by side as one diff (?a=<older id>&b=<newer id>); without both, the choice form."""
    current = selectors.narrative_or_404(association)
    versions = list(current.versions.all())
    a, b = _version_param(request, "a"), _version_param(request, "b")
    context: dict[str, Any] = {"nav": NAV, "narrative": current, "versions": versions, "a": a, "b": b}
    status = 200
    if a is not None and b is not None:
        old, new = selectors.version_or_404(current, a), selectors.version_or_404(current, b)
        if old.number > new.number:
            old, new = new, old
        lines = selectors.versions_compare(old, new)
        whole = request.GET.get("hela") == "1"
        context.update(
            {
                "old": old,
                "new": new,
                "whole": whole,
                "lines": lines if whole else collapse_unchanged(lines),
                "added": sum(1 for line in lines if line.kind in ("added", "changed")),
                "removed": sum(1 for line in lines if line.kind in ("removed", "changed")),
            }
        )
    elif request.GET:
        context["error"] = _("Välj två versioner att jämföra.")
        status = 400
    return render(request, "workshops/narrative/version_compare.html", context, status=status)
