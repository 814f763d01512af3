"""The demo workshop's themes: the seed's 22 answers grouped, an edited codebook, and the room's dots.

`load_themes_demo(workshop)` (the lead wires it into the capability's demo loader after
`load_workshops_demo`): the answers are grouped automatically, then "edited" the way a facilitator
would, by applying the curated codebook below (six themes with Swedish labels and definitions, every
seed answer an example of one of them), and the result is saved as the workshop's codebook. Then 22
demo phones spread their three dots each (deterministically), so one theme stays below the minimum
group size and shows no result. Idempotent: a prompt that has themes is left as it is.
"""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from samverkan.measure.anonymity import keyed_hash

from . import grouping
from . import theme_services as themes
from .demo import SEED_ANSWERS
from .models import Codebook, Prompt, PromptKind, Theme, ThemeVote, VoteMode, Workshop

# Answer numbers are lines of demo_answers.txt (1-based).
CURATED: tuple[tuple[str, str, tuple[int, ...]], ...] = (
    (
        "Individen i centrum",
        "Utgå från individens behov; alla aktörer runt individen är med.",
        (1, 6, 11, 13, 17),
    ),
    (
        "Varandras kompetens som resurs",
        "Se varandras kompetenser och regelverk som resurser för ett gemensamt mål.",
        (2, 12, 16, 20, 22),
    ),
    (
        "En självklar del av vardagen",
        "Samverkan inarbetad, permanent och naturlig i arbetssättet – inte bara projekt.",
        (5, 7, 10, 14, 15),
    ),
    (
        "Göra samverkan tillsammans",
        "Träffas, utbildas och praktisera tillsammans; veta vem man ringer.",
        (3, 19, 21),
    ),
    (
        "Regler, sekretess och styrning",
        "Regler, sekretess, pengar och direktiv uppifrån ska möjliggöra, inte stoppa.",
        (4, 8),
    ),
    (
        "Tidigt och förebyggande",
        "Börja samverka tidigare i ärendet, förebyggande och inte först när insatser gått fel.",
        (9, 18),
    ),
)
# Dots are drawn with these weights per theme; the last theme gets 4 voters, below the minimum of 5 (no result).
WEIGHTS = (5, 4, 4, 3, 2, 1.5)
DOTS = 3
PHONES = 22
SEED = 2011


def _curated_codebook() -> list[grouping.CodebookEntry]:
    """The curated themes; their examples are the seed's answers by line of demo_answers.txt."""
    return [
        grouping.CodebookEntry(label=label, definition=definition, answers=tuple(SEED_ANSWERS[n - 1] for n in numbers))
        for label, definition, numbers in CURATED
    ]


@transaction.atomic
def load_themes_demo(workshop: Workshop, stdout: Any = None) -> None:
    """Group, edit, save the codebook and add the room's dots for the demo workshop's open prompt."""
    prompt = Prompt.objects.filter(workshop=workshop, kind=PromptKind.OPEN).first()
    if prompt is None or Theme.objects.filter(prompt=prompt).exists():
        return
    answers = themes.visible_answers(prompt)
    texts = [a.text for a in answers]
    # First the automatic grouping, as after the prompt closed; then the facilitator's edit (the curated codebook).
    state = themes.grouping_of(prompt)
    state.seed, state.vote_mode, state.dots = 0, VoteMode.DOTS, DOTS
    state.save()
    themes.grouping_run(prompt)
    edited = grouping.apply_codebook(texts, _curated_codebook(), prompt=prompt.text)
    themes._replace_themes(prompt, answers, edited)
    themes.codebook_save(prompt=prompt)
    _add_dots(workshop, prompt)
    if stdout is not None:
        count = Theme.objects.filter(prompt=prompt).count()
        entries = len(Codebook.objects.get(workshop=workshop).entries)
        stdout.write(f"Workshop: {count} teman, kodbok med {entries} teman och rummets prickar.\n")


def _add_dots(workshop: Workshop, prompt: Prompt) -> None:
    rnd = random.Random(SEED)
    theme_list = list(Theme.objects.filter(prompt=prompt))
    weights = [WEIGHTS[min(i, len(WEIGHTS) - 1)] for i in range(len(theme_list))]
    votes = []
    for phone in range(PHONES):
        participant = keyed_hash("workshop-participant", str(workshop.pk), f"demo-phone-{phone}")
        given: dict[int, int] = {}
        for theme in rnd.choices(theme_list, weights=weights, k=DOTS):
            given[theme.pk] = given.get(theme.pk, 0) + 1
        votes += [ThemeVote(theme_id=pk, participant=participant, value=value) for pk, value in given.items()]
    ThemeVote.objects.bulk_create(votes)
