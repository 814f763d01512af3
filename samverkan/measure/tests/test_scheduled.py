"""The scheduled jobs: close_due_rounds and prune_drafts (management commands for cron or a timer)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope

from samverkan.measure import services
from samverkan.measure.models import Campaign, Draft, PendingResponse, Response
from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


def _run(name: str) -> str:
    """Run the command as a scheduler does: tenant scoping enforced, no association chosen."""
    out = io.StringIO()
    with scope():
        call_command(name, stdout=out)
    return out.getvalue()


def _round(association, name: str, *, opened: int, closes: int) -> Campaign:  # type: ignore[no-untyped-def]
    """A round that opened `opened` days ago and closes (its last day) `closes` days from today."""
    today = timezone.localdate()
    campaign = open_campaign(association, name=name, opens_on=today - timedelta(days=opened))
    Campaign.objects.filter(pk=campaign.pk).update(closes_on=today + timedelta(days=closes))
    campaign.refresh_from_db()
    return campaign


def _draft(campaign: Campaign, key: str, *, submitted: bool = False, age: int = 0) -> None:
    Draft.objects.create(
        key=key,
        campaign=campaign,
        sealed="",
        submitted=submitted,
        updated_on=timezone.localdate() - timedelta(days=age),
    )


def test_close_due_rounds_closes_a_round_past_its_closing_date_publishing_waiting_answers_and_dropping_drafts(
    actors,
) -> None:
    today = timezone.localdate()
    campaign = _round(actors.association, "Våren", opened=20, closes=-1)
    # Two answers, fewer than the group size: they wait for their batch until the round is closed.
    for _ in range(2):
        submit(campaign, "board", ring_answers(3), today=today - timedelta(days=3), publish_now=False)
    services.draft_save(campaign=campaign, draft_key="device-1", data={"ring_team": "2"}, today=today)
    assert PendingResponse.objects.filter(campaign=campaign).count() == 2

    output = _run("close_due_rounds")

    campaign.refresh_from_db()
    assert campaign.closed_on == today
    assert PendingResponse.objects.filter(campaign=campaign).count() == 0
    assert Response.objects.filter(campaign=campaign).count() == 2
    assert not Draft.objects.filter(campaign=campaign).exists()
    assert "Våren stängd" in output
    assert "1 mätomgångar stängda." in output


def test_close_due_rounds_leaves_rounds_on_their_last_day_and_rounds_already_closed_alone(actors) -> None:
    today = timezone.localdate()
    last_day = _round(actors.association, "Sista dagen", opened=10, closes=0)
    submit(last_day, "board", ring_answers(4), today=today, publish_now=False)
    earlier = _round(actors.association, "Stängd förut", opened=30, closes=-10)
    services.campaign_close(campaign=earlier, today=today - timedelta(days=8))

    output = _run("close_due_rounds")

    last_day.refresh_from_db()
    earlier.refresh_from_db()
    assert last_day.closed_on is None
    assert PendingResponse.objects.filter(campaign=last_day).count() == 1  # still waiting for its batch
    assert earlier.closed_on == today - timedelta(days=8)
    assert "0 mätomgångar stängda." in output


def test_close_due_rounds_a_second_run_closes_nothing_more(actors) -> None:
    _round(actors.association, "Hösten", opened=20, closes=-2)
    assert "1 mätomgångar stängda." in _run("close_due_rounds")
    assert "0 mätomgångar stängda." in _run("close_due_rounds")


def test_prune_drafts_deletes_every_draft_of_a_closed_round_tombstones_included(actors) -> None:
    closed = _round(actors.association, "Stängd", opened=30, closes=-10)
    Campaign.objects.filter(pk=closed.pk).update(closed_on=timezone.localdate() - timedelta(days=9))
    past_date = _round(actors.association, "Över men inte stängd", opened=30, closes=-1)
    _draft(closed, "a")
    _draft(closed, "b", submitted=True)
    _draft(past_date, "c")
    _draft(past_date, "d", submitted=True)

    output = _run("prune_drafts")

    assert not Draft.objects.exists()
    assert "4 utkast från stängda mätomgångar raderade" in output


def test_prune_drafts_deletes_unsent_drafts_older_than_60_days_and_keeps_recent_drafts_and_tombstones(
    actors,
) -> None:
    campaign = _round(actors.association, "Lång omgång", opened=200, closes=30)
    _draft(campaign, "old", age=61)
    _draft(campaign, "sixty", age=60)
    _draft(campaign, "recent", age=1)
    _draft(campaign, "old-tombstone", submitted=True, age=120)

    output = _run("prune_drafts")

    assert set(Draft.objects.values_list("key", flat=True)) == {"sixty", "recent", "old-tombstone"}
    assert "0 utkast från stängda mätomgångar raderade, 1 osända utkast äldre än 60 dagar." in output


def test_prune_drafts_reads_samverkan_draft_days_from_the_settings(actors, settings) -> None:
    settings.SAMVERKAN_DRAFT_DAYS = 7
    campaign = _round(actors.association, "Kort", opened=20, closes=5)
    _draft(campaign, "eight", age=8)
    _draft(campaign, "seven", age=7)

    output = _run("prune_drafts")

    assert set(Draft.objects.values_list("key", flat=True)) == {"seven"}
    assert "äldre än 7 dagar" in output
