"""The demo workshop: the seed's 22 answers in Norra Västmanland, past and closed; loading twice changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from samverkan.tenancy.models import Association
from samverkan.workshops.demo import DEMO_NAME, SEED_ANSWERS, load_workshops_demo
from samverkan.workshops.models import Answer, PromptState, Workshop

SEED = Path("/work/shared/seeds")


def test_the_demo_answers_are_the_seeds_22() -> None:
    assert len(SEED_ANSWERS) == 22
    files = sorted(SEED.glob("000_*")) if SEED.exists() else []
    if files:  # where the seeds are at hand, word for word (runs of spaces as one)
        lines = [" ".join(line[2:].split()) for line in files[0].read_text(encoding="utf-8").splitlines()]
        seed = [
            line
            for raw, line in zip(files[0].read_text(encoding="utf-8").splitlines(), lines, strict=True)
            if raw.startswith("- ")
        ]
        assert list(SEED_ANSWERS) == seed


@pytest.mark.django_db
def test_load_demo_makes_a_past_closed_workshop_once() -> None:
    call_command("load_demo", stdout=io.StringIO())
    association = Association.objects.get(slug="norra-vastmanland")
    workshop = Workshop.objects.get(association=association, name=DEMO_NAME)
    assert not workshop.is_open and workshop.date.year == 2011
    assert all(p.state == PromptState.CLOSED for p in workshop.prompts.all())
    assert Answer.objects.visible().filter(prompt__workshop=workshop).count() == 22
    load_workshops_demo(list(Association.objects.all()), io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert Workshop.objects.filter(name=DEMO_NAME).count() == 1
    assert Answer.objects.filter(prompt__workshop=workshop).count() == 22
    assert len(set(Answer.objects.filter(prompt__workshop=workshop).values_list("participant", flat=True))) == 22
