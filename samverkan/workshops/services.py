"""Writes for the live session: workshops, prompts, answers, the room's step.

Every write that the big screen shows raises `Workshop.version` (and the prompt's
`version` for answers); every write the phones follow raises `Workshop.room_version`.
The counters are raised with F() expressions in the same transaction as the change, so
two app processes never lose a bump and a poller never sees a new version before the
change it stands for (README, "Workshop: transport").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.tenancy.models import Agency, Association

from .models import (
    DEFAULT_PROMPT,
    STEP_ORDER,
    Answer,
    Prompt,
    PromptKind,
    PromptState,
    Step,
    Workshop,
    new_join_code,
)

ANSWER_MAX_CHARACTERS = 500
ANSWERS_PER_PARTICIPANT = 20  # per prompt: several answers, not a flood from one phone


def _bump(workshop_id: int, *, room: bool = False, prompt_id: int | None = None) -> None:
    changes: dict[str, Any] = {"version": F("version") + 1}
    if room:
        changes["room_version"] = F("room_version") + 1
    Workshop.objects.filter(pk=workshop_id).update(**changes)
    if prompt_id is not None:
        Prompt.objects.filter(pk=prompt_id).update(version=F("version") + 1)


@transaction.atomic
def workshop_create(
    *,
    association: Association,
    name: str,
    on: date,
    prompts: Sequence[str] = (DEFAULT_PROMPT,),
    rating_question: str = "",
    ask_agency: bool = False,
    created_by: Any = None,
) -> Workshop:
    """A workshop with its open prompts (in order) and an optional 1–5 rating question last, all drafts."""
    texts = [t.strip() for t in prompts if t.strip()]
    if not texts and not rating_question.strip():
        raise ServiceError({"prompts": _("Skriv minst en fråga.")})
    for _attempt in range(20):
        code = new_join_code()
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(
                    association=association,
                    name=name.strip(),
                    date=on,
                    code=code,
                    ask_agency=ask_agency,
                    created_by=created_by,
                )
            break
        except IntegrityError:  # the code is taken by another open workshop: draw again
            continue
    else:  # pragma: no cover - 31**6 codes
        raise ServiceError(_("Kunde inte ta fram en ledig kod. Försök igen."))
    order = 1
    for text in texts:
        Prompt.objects.create(workshop=workshop, text=text, kind=PromptKind.OPEN, order=order)
        order += 1
    if rating_question.strip():
        Prompt.objects.create(workshop=workshop, text=rating_question.strip(), kind=PromptKind.RATING, order=order)
    return workshop


ALLOWED_STATE_CHANGES = {
    PromptState.DRAFT: {PromptState.OPEN},
    PromptState.OPEN: {PromptState.PAUSED, PromptState.CLOSED},
    PromptState.PAUSED: {PromptState.OPEN, PromptState.CLOSED},
    PromptState.CLOSED: {PromptState.OPEN},  # reopen
}


@transaction.atomic
def prompt_set_state(*, prompt: Prompt, state: str) -> Prompt:
    """Open, pause, close or reopen a prompt; opening puts it on the big screen."""
    locked = Prompt.objects.select_for_update().get(pk=prompt.pk)
    try:
        new = PromptState(state)
    except ValueError:
        raise ServiceError(_("Okänt läge för frågan.")) from None
    if new not in ALLOWED_STATE_CHANGES[PromptState(locked.state)]:
        raise ServiceError(
            _("Frågan kan inte gå från ”%(old)s” till ”%(new)s”.")
            % {"old": locked.get_state_display(), "new": new.label}
        )
    locked.state = prompt.state = new
    locked.save(update_fields=["state"])
    if new == PromptState.OPEN:
        Workshop.objects.filter(pk=prompt.workshop_id).update(screen_prompt=prompt)
    _bump(prompt.workshop_id, room=True, prompt_id=prompt.pk)
    if new == PromptState.CLOSED:
        from .theme_services import grouping_on_close

        grouping_on_close(locked)  # the answers are grouped into themes in the background
    return prompt


@transaction.atomic
def workshop_set_step(*, workshop: Workshop, step: str) -> None:
    """Moves the room: the big screen and every phone follow within a poll."""
    try:
        new = Step(step)
    except ValueError:
        raise ServiceError(_("Okänt steg.")) from None
    Workshop.objects.filter(pk=workshop.pk).update(step=new)
    workshop.step = new
    _bump(workshop.pk, room=True)


def next_step(workshop: Workshop) -> Step | None:
    index = STEP_ORDER.index(Step(workshop.step))
    return STEP_ORDER[index + 1] if index + 1 < len(STEP_ORDER) else None


@transaction.atomic
def workshop_close(*, workshop: Workshop) -> None:
    """Ends the workshop: every prompt closes, the join code is free again. Its answers stay."""
    from .theme_services import grouping_on_close

    closing = list(Prompt.objects.filter(workshop=workshop).exclude(state=PromptState.CLOSED))
    Prompt.objects.filter(workshop=workshop).exclude(state=PromptState.CLOSED).update(state=PromptState.CLOSED)
    for prompt in closing:
        grouping_on_close(prompt)
    Workshop.objects.filter(pk=workshop.pk).update(is_open=False)
    workshop.is_open = False
    _bump(workshop.pk, room=True)


def _check_open(prompt: Prompt) -> None:
    if not prompt.workshop.is_open or not prompt.accepts_answers:
        if prompt.state == PromptState.PAUSED:
            raise ServiceError(_("Frågan är pausad just nu. Vänta tills den öppnas igen; det du skrev finns kvar."))
        raise ServiceError(_("Frågan är stängd och tar inte emot fler svar eller ändringar."))


def _clean(prompt: Prompt, text: str, rating: Any) -> tuple[str, int | None]:
    if prompt.is_rating:
        try:
            value = int(rating)
        except (TypeError, ValueError):
            raise ServiceError({"rating": _("Välj ett värde från 1 till 5.")}) from None
        if not 1 <= value <= 5:
            raise ServiceError({"rating": _("Välj ett värde från 1 till 5.")})
        return "", value
    text = " ".join((text or "").split())
    if not text:
        raise ServiceError({"text": _("Skriv ditt svar innan du skickar.")})
    if len(text) > ANSWER_MAX_CHARACTERS:
        raise ServiceError(
            {
                "text": _("Svaret får vara högst %(max)s tecken; det här har %(count)s.")
                % {"max": ANSWER_MAX_CHARACTERS, "count": len(text)}
            }
        )
    return text, None


@transaction.atomic
def answer_send(
    *, prompt: Prompt, participant: str, text: str = "", rating: Any = None, agency: Agency | None = None
) -> Answer:
    """One answer from one phone. A rating prompt keeps one rating per phone: sending again changes it."""
    _check_open(prompt)
    text, value = _clean(prompt, text, rating)
    if agency is not None and not prompt.workshop.ask_agency:
        agency = None  # off unless the facilitator asked for it
    own = Answer.objects.filter(prompt=prompt, participant=participant)
    if prompt.is_rating:
        existing = own.first()
        if existing is not None:
            existing.rating = value
            existing.agency = agency
            existing.save(update_fields=["rating", "agency"])
            _bump(prompt.workshop_id, prompt_id=prompt.pk)
            return existing
    elif own.count() >= ANSWERS_PER_PARTICIPANT:
        raise ServiceError(_("Du har redan skickat %(max)s svar på den här frågan.") % {"max": ANSWERS_PER_PARTICIPANT})
    answer = Answer.objects.create(prompt=prompt, participant=participant, text=text, rating=value, agency=agency)
    _bump(prompt.workshop_id, prompt_id=prompt.pk)
    return answer


def _own(answer: Answer, participant: str) -> None:
    if answer.participant != participant:
        # Never says whether the answer exists: somebody else's answer is just not found.
        raise Answer.DoesNotExist


@transaction.atomic
def answer_edit(*, answer: Answer, participant: str, text: str = "", rating: Any = None) -> Answer:
    _own(answer, participant)
    _check_open(answer.prompt)
    answer.text, answer.rating = _clean(answer.prompt, text, rating)
    answer.save(update_fields=["text", "rating"])
    _bump(answer.prompt.workshop_id, prompt_id=answer.prompt_id)
    return answer


@transaction.atomic
def answer_withdraw(*, answer: Answer, participant: str) -> None:
    """The participant takes their own answer back: it is deleted (a hidden answer is the facilitator's act)."""
    _own(answer, participant)
    _check_open(answer.prompt)
    workshop_id, prompt_id = answer.prompt.workshop_id, answer.prompt_id
    answer.delete()
    _bump(workshop_id, prompt_id=prompt_id)


@transaction.atomic
def answer_set_hidden(*, answer: Answer, hidden: bool = True) -> None:
    """The facilitator hides an answer (or shows it again); it is kept, never deleted."""
    Answer.objects.filter(pk=answer.pk).update(hidden=hidden)
    answer.hidden = hidden
    _bump(answer.prompt.workshop_id, prompt_id=answer.prompt_id)
