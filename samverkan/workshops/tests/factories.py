"""Workshops for tests: one with an open prompt, built through the services like the facilitator would."""

from __future__ import annotations

from typing import Any

from django.test import Client

from samverkan.workshops import services
from samverkan.workshops.models import DEFAULT_PROMPT, Prompt, PromptState, Workshop


def live_workshop(association: Any, *, rating: str = "", name: str = "Workshop i Alfa", **kwargs: Any) -> Workshop:
    """A workshop whose first (open) prompt is open, so phones can answer at once."""
    from django.utils import timezone

    workshop = services.workshop_create(
        association=association, name=name, on=timezone.localdate(), rating_question=rating, **kwargs
    )
    first = Prompt.objects.filter(workshop=workshop).first()
    assert first is not None
    services.prompt_set_state(prompt=first, state=PromptState.OPEN)
    workshop.refresh_from_db()
    return workshop


def open_prompt(workshop: Workshop) -> Prompt:
    prompt = Prompt.objects.filter(workshop=workshop, state=PromptState.OPEN).first()
    assert prompt is not None
    return prompt


def phone_send(client: Client, workshop: Workshop, text: str, prompt: Prompt | None = None) -> Any:
    prompt = prompt or open_prompt(workshop)
    return client.post(f"/w/{workshop.code}/svar/", {"prompt": prompt.pk, "text": text})


__all__ = ["DEFAULT_PROMPT", "live_workshop", "open_prompt", "phone_send"]
