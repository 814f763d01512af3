"""Reads for the live session. Everything that shows answers to a room goes through `Answer.objects.visible()`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.http import Http404
from django_scopes import scopes_disabled

from samverkan.tenancy.models import Association

from . import wordcloud
from .models import Answer, Prompt, PromptState, Workshop


def workshop_for_association_or_404(association: Association, workshop_id: int) -> Workshop:
    workshop = Workshop.objects.filter(association=association, pk=workshop_id).first()
    if workshop is None:
        raise Http404
    return workshop


def prompt_of_workshop_or_404(workshop: Workshop, prompt_id: int) -> Prompt:
    prompt = Prompt.objects.filter(workshop=workshop, pk=prompt_id).first()
    if prompt is None:
        raise Http404
    return prompt


def answer_of_workshop_or_404(workshop: Workshop, answer_id: str) -> Answer:
    answer = Answer.objects.select_related("prompt").filter(prompt__workshop=workshop, pk=answer_id).first()
    if answer is None:
        raise Http404
    return answer


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()


def open_workshop_by_code(code: str) -> Workshop | None:
    """The open workshop with this join code. Public: the code is what tells the association."""
    code = normalise_code(code)
    if not code:
        return None
    # Deliberately across tenants: a phone has no association yet, the code (unique among open workshops) picks it.
    with scopes_disabled():
        return Workshop.objects.select_related("association").filter(code=code, is_open=True).first()


def workshop_list(association: Association) -> list[Workshop]:
    return list(
        Workshop.objects.filter(association=association).annotate(
            answer_count=Count("prompts__answers", filter=Q(prompts__answers__hidden=False))
        )
    )


def screen_prompt(workshop: Workshop) -> Prompt | None:
    """The prompt on the big screen: the last one opened, else the first open one, else the first."""
    if workshop.screen_prompt_id:
        prompt = Prompt.objects.filter(pk=workshop.screen_prompt_id, workshop=workshop).first()
        if prompt is not None:
            return prompt
    prompts = list(Prompt.objects.filter(workshop=workshop))
    for prompt in prompts:
        if prompt.state in (PromptState.OPEN, PromptState.PAUSED):
            return prompt
    return prompts[0] if prompts else None


def visible_answers(prompt: Prompt) -> list[Answer]:
    """The prompt's answers as a room sees them: hidden ones left out; in the order of their random keys."""
    return list(Answer.objects.visible().filter(prompt=prompt).order_by("id"))


@dataclass(frozen=True)
class RatingSummary:
    n: int
    mean: float | None  # None below the minimum group size
    counts: dict[int, int] | None


def min_group_size(workshop: Workshop) -> int:
    """The association's minimum group size, never below the platform's (settings.SAMVERKAN_MIN_GROUP_SIZE)."""
    return max(settings.SAMVERKAN_MIN_GROUP_SIZE, workshop.association.min_group_size)


def rating_summary(prompt: Prompt) -> RatingSummary:
    """Never a result for fewer than the minimum group size."""
    rows = Answer.objects.visible().filter(prompt=prompt, rating__isnull=False)
    n = rows.count()
    if n < min_group_size(prompt.workshop):
        return RatingSummary(n=n, mean=None, counts=None)
    counts = dict.fromkeys(range(1, 6), 0)
    for row in rows.values("rating").annotate(c=Count("id")):
        counts[row["rating"]] = row["c"]
    mean = rows.aggregate(m=Avg("rating"))["m"]
    return RatingSummary(n=n, mean=round(float(mean), 1), counts=counts)


CLOUD_WIDTH, CLOUD_HEIGHT = 1200, 640


def cloud_svg(prompt: Prompt, texts: list[str], *, title: str, wait: bool = False) -> str | None:
    """The word cloud of the visible answers, cached per prompt version (every change raises it).

    None while this process is still loading the lemmatiser's dictionary (unless `wait`): the screen
    shows the list at once and asks again for the cloud.
    """
    if not wait and not wordcloud.is_warm():
        wordcloud.warm_in_background()
        return None
    digest = hashlib.sha256("\x1f".join(texts).encode()).hexdigest()[:16]
    key = f"workshops:cloud:{prompt.pk}:{prompt.version}:{digest}"
    svg = cache.get(key)
    if svg is None:
        words = wordcloud.top_lemmas(texts, limit=40, exclude=wordcloud.lemmas_of(prompt.text))
        placed = wordcloud.layout(words, CLOUD_WIDTH, CLOUD_HEIGHT)
        svg = wordcloud.render_svg(placed, CLOUD_WIDTH, CLOUD_HEIGHT, title=title, label_id="screen-answer-list")
        cache.set(key, svg, 300)
    return str(svg)
