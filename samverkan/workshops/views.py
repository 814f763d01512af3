"""The facilitator's pages (association admins act, members look) and the big screen."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samverkan.common.errors import ServiceError, form_add_service_error
from samverkan.tenancy.models import Association, Role
from samverkan.tenancy.scoping import association_view

from . import selectors, services, wordcloud
from .forms import WorkshopForm
from .models import STEP_ORDER, Answer, Prompt, PromptState, Step, Workshop

NAV = "workshop"


@association_view()
def workshop_list(request: HttpRequest, association: Association) -> HttpResponse:
    workshops = selectors.workshop_list(association)
    return render(request, "workshops/workshop_list.html", {"nav": NAV, "workshops": workshops})


@association_view(role=Role.ADMIN)
def workshop_create(request: HttpRequest, association: Association) -> HttpResponse:
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            workshop = services.workshop_create(
                association=association,
                name=data["name"],
                on=data["date"],
                prompts=form.prompt_texts(),
                rating_question=data["rating_question"],
                ask_agency=data["ask_agency"],
                created_by=request.user,
            )
        except ServiceError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Workshoppen är skapad. Öppna en fråga när rummet är redo."))
            return redirect("workshops:workshop_detail", slug=association.slug, workshop_id=workshop.pk)
    return render(
        request,
        "workshops/workshop_form.html",
        {"nav": NAV, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _detail_context(request: HttpRequest, workshop: Workshop) -> dict[str, object]:
    prompts = list(Prompt.objects.filter(workshop=workshop))
    # The facilitator sees every answer, hidden ones marked, so a hidden one can be shown again.
    answers = {p.pk: list(Answer.objects.filter(prompt=p).order_by("id")) for p in prompts}
    return {
        "nav": NAV,
        "workshop": workshop,
        "prompts": [(p, answers[p.pk], services.ALLOWED_STATE_CHANGES[PromptState(p.state)]) for p in prompts],
        "steps": STEP_ORDER,
        "next_step": services.next_step(workshop),
        "join_url": request.build_absolute_uri(reverse("workshops:join_code", args=[workshop.code])),
        "PromptState": PromptState,
    }


@association_view()
def workshop_detail(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    return render(request, "workshops/workshop_detail.html", _detail_context(request, workshop))


def _back(association: Association, workshop: Workshop, anchor: str = "") -> HttpResponse:
    url = reverse("workshops:workshop_detail", args=[association.slug, workshop.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


@require_POST
@association_view(role=Role.ADMIN)
def workshop_step(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    try:
        services.workshop_set_step(workshop=workshop, step=request.POST.get("step", ""))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rummet är nu i steget ”%(step)s”.") % {"step": Step(workshop.step).label})
    return _back(association, workshop, "steg")


@require_POST
@association_view(role=Role.ADMIN)
def workshop_close(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    services.workshop_close(workshop=workshop)
    messages.success(request, _("Workshoppen är avslutad. Svaren finns kvar; koden kan användas igen."))
    return _back(association, workshop)


@require_POST
@association_view(role=Role.ADMIN)
def prompt_state(request: HttpRequest, association: Association, workshop_id: int, prompt_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    prompt = selectors.prompt_of_workshop_or_404(workshop, prompt_id)
    try:
        services.prompt_set_state(prompt=prompt, state=request.POST.get("state", ""))
    except ServiceError as error:
        messages.error(request, " ".join(error.messages))
    return _back(association, workshop, f"fraga-{prompt.pk}")


@require_POST
@association_view(role=Role.ADMIN)
def answer_hide(request: HttpRequest, association: Association, workshop_id: int, answer_id: str) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    answer = selectors.answer_of_workshop_or_404(workshop, answer_id)
    hidden = request.POST.get("hidden", "1") == "1"
    services.answer_set_hidden(answer=answer, hidden=hidden)
    messages.success(request, _("Svaret är dolt.") if hidden else _("Svaret visas igen."))
    return _back(association, workshop, f"fraga-{answer.prompt_id}")


@association_view()
def join_qr(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    url = request.build_absolute_uri(reverse("workshops:join_code", args=[workshop.code]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=8, border=2, dark="#000", light="#fff", title=_("QR-kod till workshoppen")
    )
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=300"
    return response


# The big screen -----------------------------------------------------------------------------------------------


def _screen_context(request: HttpRequest, workshop: Workshop) -> dict[str, object]:
    """What the screen shows now. Only `visible()` answers: a hidden one never reaches the room.

    Order on the screen: by the answer's random key, not by arrival. A list in arrival order would
    let the room pair "the answer that just appeared at the bottom" with "the person who just put
    the phone down", and it would keep that pairing on the screen (and in any photo of it) for the
    rest of the session. In key order a new answer lands at an unpredictable place among the
    others. What no order can hide is the moment an answer appears; the screen refreshes at most
    once a second and shows no counter per participant, and the database keeps neither a time nor
    an order, so after the session nothing tells who sent what.
    """
    prompt = selectors.screen_prompt(workshop)
    answers = selectors.visible_answers(prompt) if prompt is not None else []
    texts = [a.text for a in answers if a.text]
    context: dict[str, object] = {
        "workshop": workshop,
        "prompt": prompt,
        "answers": answers,
        "join_url": request.build_absolute_uri(reverse("workshops:join_code", args=[workshop.code])),
        "step_template": f"workshops/screen/_step_{workshop.step}.html",
    }
    if prompt is not None and prompt.is_rating:
        context["rating"] = selectors.rating_summary(prompt)
    elif prompt is not None and texts:
        context["cloud"] = selectors.cloud_svg(prompt, texts, title=_("Ordmoln av svaren"))
        # Still loading the dictionary: the next poll asks for everything again, so the cloud follows.
        context["cloud_pending"] = context["cloud"] is None
    return context


@association_view()
def screen(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    wordcloud.warm_in_background()  # the first answers' cloud should not wait for the dictionary
    return render(request, "workshops/screen.html", _screen_context(request, workshop))


def _since(request: HttpRequest, name: str) -> int:
    try:
        return int(request.GET.get(name, "-1"))
    except ValueError:
        return -1


@association_view()
def screen_updates(request: HttpRequest, association: Association, workshop_id: int) -> HttpResponse:
    """ "Anything after version N?": 204 when nothing changed (one indexed read), else the screen's live part."""
    version = Workshop.objects.filter(association=association, pk=workshop_id).values_list("version", flat=True).first()
    if version is None:
        return HttpResponse(status=404)
    if version == _since(request, "v"):
        return HttpResponse(status=204)
    workshop = selectors.workshop_for_association_or_404(association, workshop_id)
    return render(request, "workshops/screen/_live.html", _screen_context(request, workshop))
