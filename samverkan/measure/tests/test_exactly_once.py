"""Exactly-once submission under concurrent requests (PostgreSQL, where requests really run in parallel)."""

from __future__ import annotations

import contextvars
import threading

import pytest
from django.db import connection, connections

from samverkan.common.factories import AssociationFactory
from samverkan.measure import anonymity, services
from samverkan.measure.models import Draft, Invitation, Receipt
from samverkan.measure.tests.factories import open_campaign, ring_answers, stored_count

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database with real concurrency"),
]


def _invite(campaign, email: str, token: str) -> None:
    Invitation.objects.create(
        campaign=campaign,
        respondent_group="board",
        email=email,
        nonce="0" * 32,
        lookup=anonymity.invitation_lookup(token),
    )


def _race(target, count: int = 8) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            target()
            result = "stored"
        except services.SubmissionError as error:
            result = type(error).__name__
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    # Each thread carries the test's context (scopes disabled for its direct service calls), as a request
    # carries the scope its view activated.
    threads = [threading.Thread(target=contextvars.copy_context().run, args=(run,)) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_the_same_submission_key_posted_concurrently_is_stored_once() -> None:
    campaign = open_campaign(AssociationFactory())
    outcomes = _race(
        lambda: services.response_submit(
            campaign=campaign, respondent_group="staff", raw_answers=ring_answers(3), submission_key="same-key"
        )
    )
    assert outcomes.count("stored") == 1
    assert outcomes.count("AlreadySubmitted") == 7
    assert stored_count(campaign) == 1
    assert Receipt.objects.count() == 1


def test_one_invitation_used_concurrently_with_different_keys_is_stored_once() -> None:
    campaign = open_campaign(AssociationFactory())
    _invite(campaign, "a@kommun.se", "tok")
    counter = iter(range(100))
    outcomes = _race(
        lambda: services.response_submit(
            campaign=campaign,
            respondent_group="board",
            raw_answers=ring_answers(4),
            submission_key=f"key-{next(counter)}",
            invitation_token="tok",
        )
    )
    assert outcomes.count("stored") == 1
    assert outcomes.count("InvitationUsed") == 7
    assert stored_count(campaign) == 1
    # Refused attempts leave nothing behind: only the one form's and the one invitation's receipt.
    assert Receipt.objects.count() == 2


def test_a_double_click_on_a_personal_link_is_stored_once_and_thanked() -> None:
    """Same invitation and same form key at once: one response, and the others land on the thanks page."""
    campaign = open_campaign(AssociationFactory())
    _invite(campaign, "b@kommun.se", "tok2")
    outcomes = _race(
        lambda: services.response_submit(
            campaign=campaign,
            respondent_group="board",
            raw_answers=ring_answers(2),
            submission_key="one-form",
            invitation_token="tok2",
        )
    )
    assert outcomes.count("stored") == 1
    assert outcomes.count("AlreadySubmitted") == 7
    assert stored_count(campaign) == 1
    assert services.invitation_answered(token="tok2")


def test_an_autosave_racing_the_submission_never_brings_the_answers_back() -> None:
    """Finding: draft_save checked "already submitted?" and saved in two steps, so a submit landing between
    them re-created the draft with all answers. Now the submission leaves a tombstone the save cannot
    overwrite, whatever the order."""
    campaign = open_campaign(AssociationFactory())
    survivors = 0
    for round_number in range(20):
        draft_key = f"link:tok:device-{round_number}"
        form_key = f"form-{round_number}"
        barrier = threading.Barrier(2)

        def save(barrier=barrier, draft_key=draft_key, form_key=form_key) -> None:
            barrier.wait()
            services.draft_save(
                campaign=campaign, draft_key=draft_key, data={**ring_answers(5), "submission_key": form_key}
            )
            connections.close_all()

        def submit(barrier=barrier, draft_key=draft_key, form_key=form_key) -> None:
            barrier.wait()
            services.response_submit(
                campaign=campaign,
                respondent_group="staff",
                raw_answers=ring_answers(5),
                submission_key=form_key,
                draft_key=draft_key,
            )
            connections.close_all()

        threads = [
            threading.Thread(target=contextvars.copy_context().run, args=(save,)),
            threading.Thread(target=contextvars.copy_context().run, args=(submit,)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        draft = Draft.objects.filter(key=anonymity.draft_key(draft_key)).first()
        if draft is not None and (draft.sealed or not draft.submitted):
            survivors += 1
    assert survivors == 0
    assert not services.draft_load(draft_key="link:tok:device-0").data
