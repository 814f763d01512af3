"""Exactly-once submission under concurrent requests (PostgreSQL, where requests really run in parallel)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from samverkan.common.factories import AssociationFactory
from samverkan.measure import services
from samverkan.measure.models import Invitation, Response, SubmissionReceipt
from samverkan.measure.tests.factories import open_campaign, ring_answers

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a server database with real concurrency"),
]


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

    threads = [threading.Thread(target=run) for _ in range(count)]
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
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert SubmissionReceipt.objects.count() == 1


def test_one_invitation_used_concurrently_with_different_keys_is_stored_once() -> None:
    campaign = open_campaign(AssociationFactory())
    Invitation.objects.create(
        campaign=campaign, respondent_group="board", email="a@kommun.se", token_hash=services.key_hash("tok")
    )
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
    assert Response.objects.filter(campaign=campaign).count() == 1
    # Refused attempts leave nothing behind: only the one receipt.
    assert SubmissionReceipt.objects.count() == 1


def test_a_double_click_on_a_personal_link_is_stored_once_and_thanked() -> None:
    """Same invitation and same form key at once: one response, and the others land on the thanks page."""
    campaign = open_campaign(AssociationFactory())
    Invitation.objects.create(
        campaign=campaign, respondent_group="board", email="b@kommun.se", token_hash=services.key_hash("tok2")
    )
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
    assert Response.objects.filter(campaign=campaign).count() == 1
    assert Invitation.objects.get(campaign=campaign).used
