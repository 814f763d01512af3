"""The demo workshop: the seed's best working day, in Norra Västmanland.

"Vi, kunniga och entusiastiska representanter från nio myndigheter" answered one open
question together; the 22 answers in demo_answers.txt are the seed's (/work/shared/seeds/000_…, the list
under "integrerad samverkan, vad är det och är det användbart?"), word for word except
that runs of spaces are one space. The workshop is past and closed, at the result step.
Idempotent: an association that already has the demo workshop is left as it is.
The themes and the narrative parts add their own demo to this workshop in their modules.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django_scopes import scope

from samverkan.measure.anonymity import keyed_hash
from samverkan.tenancy.models import Association

from .models import DEFAULT_PROMPT, Answer, Prompt, PromptKind, PromptState, Step, Workshop

DEMO_ASSOCIATION = "norra-vastmanland"
DEMO_NAME = "Integrerad samverkan – en förutsättningslös dag"
DEMO_DATE = date(2011, 10, 17)  # "I måndags" in the post of Wednesday 19 October 2011
SEED_ANSWERS: tuple[str, ...] = tuple(
    line for line in (Path(__file__).parent / "demo_answers.txt").read_text(encoding="utf-8").splitlines() if line
)


def demo_workshop(association: Association) -> Workshop | None:
    return Workshop.objects.filter(association=association, name=DEMO_NAME).first()


@transaction.atomic
def load_workshops_demo(associations: list[Association], stdout: Any = None) -> Workshop | None:
    """The past, closed workshop with the seed's 22 answers, in Norra Västmanland (if it is among them)."""
    association = next((a for a in associations if a.slug == DEMO_ASSOCIATION), None)
    if association is None:
        return None
    with scope(association=association):
        existing = demo_workshop(association)
        if existing is not None:
            return existing
        workshop = Workshop.objects.create(
            association=association,
            name=DEMO_NAME,
            date=DEMO_DATE,
            code="DEMO11",
            is_open=False,
            step=Step.RESULT,
        )
        prompt = Prompt.objects.create(
            workshop=workshop, text=DEFAULT_PROMPT, kind=PromptKind.OPEN, order=1, state=PromptState.CLOSED
        )
        workshop.screen_prompt = prompt
        workshop.save(update_fields=["screen_prompt"])
        for index, text in enumerate(SEED_ANSWERS):
            # One phone per answer: the demo's participant keys are keyed hashes like the real ones.
            participant = keyed_hash("workshop-participant", str(workshop.pk), f"demo-phone-{index}")
            Answer.objects.create(prompt=prompt, text=text, participant=participant, created_on=DEMO_DATE)
        if stdout is not None:
            stdout.write(f"Workshop: {DEMO_NAME} ({len(SEED_ANSWERS)} svar) i {association.name}.\n")
        return workshop
