"""The themes pages: grouping with progress, the facilitator's edits, the codebook, votes and exports.

Members look, admins edit (as on the workshop page), analysts and admins export. Every edit is a plain
POST followed by a redirect (or the page again with status 400 and what was typed), so nothing needs
JavaScript; htmx only polls the grouping's progress. The phones' vote is in `vote_send` (public).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_scopes import scope

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors, theme_exports
from . import theme_services as themes
from .models import Answer, GroupingState, Prompt, PromptKind, Step, Theme, VoteMode, Workshop
from .participants import participant_key, participant_view

NAV = "workshop"


def _open_prompts(workshop: Workshop) -> list[Prompt]:
    return list(Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN))


def _prompt_or_404(workshop: Workshop, prompt_id: int) -> Prompt:
    prompt = selectors.prompt_of_workshop_or_404(workshop, prompt_id)
    if prompt.kind != PromptKind.OPEN:
        raise Http404
    return prompt


def _theme_or_404(prompt: Prompt, theme_id: int) -> Theme:
    theme = themes.theme_of_prompt_or_none(prompt, theme_id)
    if theme is None:
        raise Http404
    return theme


def prompt_block(prompt: Prompt) -> dict[str, Any]:
    views = themes.themes_with_answers(prompt)
    return {
        "prompt": prompt,
        "grouping": themes.grouping_of(prompt),
        "themes": views,
        "ungrouped": themes.ungrouped_answers(prompt),
        "results": themes.vote_results(prompt),
        "answer_count": sum(len(v.answers) for v in views),
    }


def _page(
    request: HttpRequest, workshop: Workshop, *, status: int = 200, kept: dict[str, Any] | None = None
) -> HttpResponse:
    codebook = themes.codebook_entries(workshop)
    context = {
        "nav": NAV,
        "workshop": workshop,
        "blocks": [prompt_block(p) for p in _open_prompts(workshop)],
        "codebook": codebook,
        "kept": kept or {},
        "VoteMode": VoteMode,
        "GroupingState": GroupingState,
        "min_group_size": selectors.min_group_size(workshop),
        "max_themes": 50,
    }
    return render(request, "workshops/themes/themes.html", context, status=status)


def _back(workshop: Workshop, anchor: str = "") -> HttpResponse:
    url = reverse("workshops:themes", args=[workshop.association.slug, workshop.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@association_view()
def themes_page(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    return _page(request, workshop)


@association_view()
def grouping_progress(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    """The progress fragment the page polls; when the grouping has finished, the page reloads (HX-Refresh)."""
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    state = themes.grouping_of(prompt)
    response = render(
        request, "workshops/themes/_progress.html", {"workshop": workshop, "prompt": prompt, "grouping": state}
    )
    finished = state.state in (GroupingState.DONE, GroupingState.FAILED)
    was_running = request.GET.get("var") in (GroupingState.QUEUED, GroupingState.RUNNING)
    if request.headers.get("HX-Request") and finished and was_running:
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


def _whole(value: str, *, field: str, low: int, high: int) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        raise ServiceError({field: _("Skriv ett heltal.")}) from None
    if not low <= number <= high:
        raise ServiceError({field: _("Ange ett tal från %(low)d till %(high)d.") % {"low": low, "high": high}})
    return number


@require_POST
@association_view(role=Role.ADMIN)
def grouping_start(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    try:
        k = _whole(request.POST.get("k", ""), field="k", low=1, high=50)
        seed = _whole(request.POST.get("seed", ""), field="seed", low=0, high=2**31 - 1)
        if not themes.visible_answers(prompt):
            raise ServiceError(_("Frågan har inga synliga svar att gruppera."))
        themes.grouping_queue(prompt, k=k, seed=seed, use_codebook=request.POST.get("use_codebook") == "1")
    except ServiceError as error:
        kept = {"prompt": prompt.pk, "k": request.POST.get("k", ""), "seed": request.POST.get("seed", "")}
        return _page(request, workshop, status=400, kept={**kept, "group_error": " ".join(error.messages)})
    messages.success(request, _("Grupperingen har startat. Sidan visar hur långt den har kommit."))
    return _back(workshop, f"teman-{prompt.pk}")


@require_POST
@association_view(role=Role.ADMIN)
def theme_edit(
    request: HttpRequest, association: Association, workshop_id: int, prompt_id: int, theme_id: int
) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    theme = _theme_or_404(prompt, theme_id)
    action = request.POST.get("action", "rename")
    try:
        if action == "split":
            themes.theme_split(theme=theme, seed=themes.grouping_of(prompt).seed)
            messages.success(request, _("Temat är delat i två."))
        elif action == "delete":
            themes.theme_delete_empty(theme=theme)
            messages.success(request, _("Temat är borttaget."))
        else:
            themes.theme_rename(
                theme=theme, label=request.POST.get("label", ""), definition=request.POST.get("definition", "")
            )
            messages.success(request, _("Temat är sparat."))
    except ServiceError as error:
        kept = {
            "theme": theme.pk,
            "label": request.POST.get("label", ""),
            "definition": request.POST.get("definition", ""),
            "theme_error": " ".join(error.messages),
        }
        return _page(request, workshop, status=400, kept=kept)
    return _back(workshop, f"teman-{prompt.pk}")


@require_POST
@association_view(role=Role.ADMIN)
def themes_merge(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    try:
        target = themes.themes_merge(prompt=prompt, theme_ids=request.POST.getlist("theme"))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
        return _back(workshop, f"teman-{prompt.pk}")
    messages.success(request, _("Temana är ihopslagna i ”%(label)s”.") % {"label": target.label})
    return _back(workshop, f"tema-{target.pk}")


@require_POST
@association_view(role=Role.ADMIN)
def answer_move(
    request: HttpRequest, association: Association, workshop_id: int, prompt_id: int, answer_id: Any
) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    answer = Answer.objects.visible().filter(prompt=prompt, pk=answer_id).first()
    if answer is None:
        raise Http404
    to_value = request.POST.get("to", "")
    to = None if to_value == "new" else themes.theme_of_prompt_or_none(prompt, to_value)
    try:
        if to is None and to_value != "new":
            raise ServiceError(_("Välj ett tema att flytta svaret till."))
        moved = themes.answer_move(prompt=prompt, answer=answer, to=to, new_label=request.POST.get("new_label", ""))
    except ServiceError as error:
        kept = {
            "answer": str(answer.pk),
            "new_label": request.POST.get("new_label", ""),
            "move_error": " ".join(error.messages),
        }
        return _page(request, workshop, status=400, kept=kept)
    messages.success(request, _("Svaret är flyttat till ”%(label)s”.") % {"label": moved.label})
    return _back(workshop, f"tema-{moved.pk}")


@require_POST
@association_view(role=Role.ADMIN)
def codebook_save(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    try:
        book = themes.codebook_save(prompt=prompt)
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Kodboken är sparad med %(n)d teman. Exportera den för att använda den i en annan workshop.")
            % {"n": len(book.entries)},
        )
    return _back(workshop, "kodbok")


@association_view(role=Role.ANALYST)
def codebook_export(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    response = HttpResponse(themes.codebook_json(workshop), content_type="application/json; charset=utf-8")
    name = f"{slugify(workshop.name) or 'workshop'}-kodbok.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@association_view(role=Role.ADMIN)
def codebook_import(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    """Upload a codebook (e.g. exported from another workshop): it is saved and, if asked, applied at once."""
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ServiceError({"file": _("Välj en kodboksfil (JSON) att läsa in.")})
        entries = themes.codebook_parse_upload(upload.read(themes.CODEBOOK_MAX_BYTES + 1))
        themes.codebook_import(workshop=workshop, entries=entries)
    except ServiceError as error:
        return _page(request, workshop, status=400, kept={"codebook_error": " ".join(error.messages)})
    applied = 0
    if request.POST.get("apply") == "1":
        for prompt in _open_prompts(workshop):
            if themes.visible_answers(prompt):
                themes.grouping_queue(prompt, use_codebook=True)
                applied += 1
    messages.success(
        request,
        _("Kodboken med %(n)d teman är inläst.") % {"n": len(entries)}
        + (" " + _("Svaren grupperas nu efter den.") if applied else ""),
    )
    return _back(workshop, "kodbok")


@require_POST
@association_view(role=Role.ADMIN)
def voting_settings(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = _prompt_or_404(workshop, prompt_id)
    try:
        themes.voting_set(prompt=prompt, mode=request.POST.get("vote_mode", ""), dots=request.POST.get("dots", ""))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Röstningen är inställd."))
    return _back(workshop, f"rostning-{prompt.pk}")


@association_view(role=Role.ANALYST)
def export(request: HttpRequest, association: Association, workshop_id: int, fmt: str) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    if fmt == "csv":
        body, content_type = theme_exports.answers_csv(workshop), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = theme_exports.answers_xlsx(workshop)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "pdf":
        body, content_type = theme_exports.summary_pdf(workshop, made_on=timezone.localdate()), "application/pdf"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    kind = _("sammanfattning") if fmt == "pdf" else _("svar-och-teman")
    response["Content-Disposition"] = f'attachment; filename="{slugify(workshop.name) or "workshop"}-{kind}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


# --- the phones' vote (public, no account) ---------------------------------------------------------------


@require_POST
@participant_view
def vote_send(request: HttpRequest, code: str) -> HttpResponse:
    workshop = selectors.open_workshop_by_code(code)
    if workshop is None or workshop.code != code:
        raise Http404
    with scope(association=workshop.association):
        prompt = themes.voting_prompt(workshop)
        if prompt is None or workshop.step != Step.VOTING:
            messages.error(request, _("Röstningen är inte öppen just nu."))
            return redirect("workshops:join_code", code=workshop.code)
        values = {}
        for theme in Theme.objects.filter(prompt=prompt):
            values[theme.pk] = request.POST.get(f"tema-{theme.pk}", "")
        try:
            themes.votes_cast(prompt=prompt, participant=participant_key(request, workshop), values=values)
        except ServiceError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("workshops:join_code", args=[workshop.code]) + "#rostning")
    messages.success(request, _("Tack! Din röst är sparad. Du kan ändra den så länge röstningen pågår."))
    return redirect(reverse("workshops:join_code", args=[workshop.code]) + "#rostning")
