"""The participants' pages: join by code, answer, edit, withdraw. Public, no account, no JavaScript needed.

Every form is a plain POST followed by a redirect (POST-redirect-GET). With JavaScript,
htmx asks `room_poll` every two seconds whether the room moved (the step, a prompt's
state) and then reloads the page's main part, keeping what the participant is typing
(hx-preserve); without it, a waiting page reloads itself (<noscript> meta refresh).
Nothing here stores or logs an IP address or a time: the answer keeps its date only.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_scopes import scope, scopes_disabled

from samverkan.common.errors import ServiceError

from . import selectors, services
from .forms import AnswerForm
from .models import Answer, Prompt, PromptState, Workshop
from .participants import participant_key, participant_view

DONE_MESSAGES = {
    "skickat": gettext_lazy("Tack! Ditt svar är skickat."),
    "andrat": gettext_lazy("Ditt svar är ändrat."),
    "taget": gettext_lazy("Ditt svar är borttaget."),
}


def join(request: HttpRequest) -> HttpResponse:
    """/w/: a form for the code (GET, so it works from a bookmark and without cookies)."""
    code = request.GET.get("kod", "")
    error = ""
    if code:
        workshop = selectors.open_workshop_by_code(code)
        if workshop is not None:
            return redirect("workshops:join_code", code=workshop.code)
        error = _("Ingen pågående workshop har koden ”%(code)s”. Kontrollera koden på storskärmen.") % {
            "code": selectors.normalise_code(code)[:12]
        }
    return render(request, "workshops/phone/join.html", {"code": code, "error": error}, status=404 if error else 200)


def _workshop_or_join(request: HttpRequest, code: str) -> Workshop:
    workshop = selectors.open_workshop_by_code(code)
    if workshop is None or workshop.code != code:
        raise Http404
    return workshop


def _phone_context(request: HttpRequest, workshop: Workshop, **extra: Any) -> dict[str, Any]:
    me = participant_key(request, workshop)
    prompts = [p for p in Prompt.objects.filter(workshop=workshop) if p.state != PromptState.DRAFT]
    own = {p.pk: list(Answer.objects.filter(prompt=p, participant=me).order_by("id")) for p in prompts}
    forms = extra.pop("forms", {})
    blocks = [
        {"prompt": p, "own": own[p.pk], "form": forms.get(p.pk) or AnswerForm(auto_id=f"svar-{p.pk}-%s")}
        for p in prompts
    ]
    agencies = list(workshop.association.agencies.all()) if workshop.ask_agency else []
    waiting = workshop.step == "answering" and not any(p.state == PromptState.OPEN for p in prompts)
    return {
        "workshop": workshop,
        "blocks": blocks,
        "agencies": agencies,
        "waiting": waiting,
        "done": DONE_MESSAGES.get(request.GET.get("klart", ""), ""),
        "step_template": f"workshops/phone/_step_{workshop.step}.html",
        **extra,
    }


@participant_view
def phone(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop_or_join(request, code)
    with scope(association=workshop.association):
        response = render(request, "workshops/phone/phone.html", _phone_context(request, workshop))
    response["Cache-Control"] = "no-store"
    return response


def room_poll(request: HttpRequest, code: str) -> HttpResponse:
    """Has the room moved since `r`? 204 if not (one indexed read); else the new poller and a room-changed event."""
    with scopes_disabled():  # by code, like the phone page: the code picks the association
        room = Workshop.objects.filter(code=code, is_open=True).values_list("room_version", flat=True).first()
    try:
        since = int(request.GET.get("r", "-1"))
    except ValueError:
        since = -1
    if room is not None and room == since:
        return HttpResponse(status=204)
    if room is None:
        # The workshop ended (or never was): reload, so the phone says so.
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    response = render(request, "workshops/phone/_room_poll.html", {"code": code, "room_version": room})
    response["HX-Trigger"] = "room-changed"
    response["Cache-Control"] = "no-store"
    return response


def _after(workshop: Workshop, done: str, prompt: Prompt) -> HttpResponse:
    return redirect(reverse("workshops:join_code", args=[workshop.code]) + f"?klart={done}#fraga-{prompt.pk}")


@require_POST
@participant_view
def answer_send(request: HttpRequest, code: str) -> HttpResponse:
    workshop = _workshop_or_join(request, code)
    with scope(association=workshop.association):
        try:
            prompt = selectors.prompt_of_workshop_or_404(workshop, int(request.POST.get("prompt", "0")))
        except ValueError:
            raise Http404 from None
        agency = None
        chosen = request.POST.get("agency", "")
        if workshop.ask_agency and chosen.isdigit():
            agency = workshop.association.agencies.filter(pk=int(chosen)).first()
        form = AnswerForm(request.POST, auto_id=f"svar-{prompt.pk}-%s")
        form.is_valid()
        try:
            services.answer_send(
                prompt=prompt,
                participant=participant_key(request, workshop),
                text=form.cleaned_data.get("text", "") or request.POST.get("text", ""),
                rating=request.POST.get("rating"),
                agency=agency,
            )
        except ServiceError as error:
            form.add_error(None, error.messages)
            context = _phone_context(request, workshop, forms={prompt.pk: form}, error_prompt=prompt.pk)
            return render(request, "workshops/phone/phone.html", context, status=400)
        return _after(workshop, "skickat", prompt)


def _own_answer(request: HttpRequest, workshop: Workshop, answer_id: uuid.UUID) -> Answer:
    answer = Answer.objects.select_related("prompt__workshop").filter(pk=answer_id, prompt__workshop=workshop).first()
    # Somebody else's answer is "not found", exactly like one that does not exist.
    if answer is None or answer.participant != participant_key(request, workshop):
        raise Http404
    return answer


@participant_view
def answer_edit(request: HttpRequest, code: str, answer_id: uuid.UUID) -> HttpResponse:
    workshop = _workshop_or_join(request, code)
    with scope(association=workshop.association):
        answer = _own_answer(request, workshop, answer_id)
        form = AnswerForm(request.POST or None, initial={"text": answer.text}, auto_id="andra-%s")
        status = 200
        if request.method == "POST":
            form.is_valid()
            try:
                services.answer_edit(
                    answer=answer,
                    participant=participant_key(request, workshop),
                    text=form.cleaned_data.get("text", "") if form.is_valid() else request.POST.get("text", ""),
                    rating=request.POST.get("rating"),
                )
            except ServiceError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                return _after(workshop, "andrat", answer.prompt)
        return render(
            request,
            "workshops/phone/answer_edit.html",
            {"workshop": workshop, "answer": answer, "prompt": answer.prompt, "form": form, "ratings": range(1, 6)},
            status=status,
        )


@require_POST
@participant_view
def answer_withdraw(request: HttpRequest, code: str, answer_id: uuid.UUID) -> HttpResponse:
    workshop = _workshop_or_join(request, code)
    with scope(association=workshop.association):
        answer = _own_answer(request, workshop, answer_id)
        prompt = answer.prompt
        try:
            services.answer_withdraw(answer=answer, participant=participant_key(request, workshop))
        except ServiceError as error:
            return render(
                request,
                "workshops/phone/answer_edit.html",
                {"workshop": workshop, "answer": answer, "prompt": prompt, "form": None, "error": error.messages[0]},
                status=400,
            )
        return _after(workshop, "taget", prompt)
