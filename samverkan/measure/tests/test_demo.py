"""The demo tells the story the issue asks for, and loading it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from samverkan.measure.models import Answer, Campaign, Response
from samverkan.measure.results import campaign_results
from samverkan.tenancy.models import Association

pytestmark = pytest.mark.django_db


def test_demo_shows_team_moving_towards_ring_3_and_society_standing_still() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "admin@demo.samverkan.se" in out.getvalue() and "samverkan-demo-2026" in out.getvalue()
    assert "Mätning hösten 2026" in out.getvalue()
    counts = (Campaign.objects.count(), Response.objects.count(), Answer.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Campaign.objects.count(), Response.objects.count(), Answer.objects.count()) == counts

    # Every answer is dated inside its campaign's window.
    assert not Response.objects.filter(submitted_on__lt=F("campaign__opens_on")).exists()
    assert not Response.objects.filter(submitted_on__gt=F("campaign__closes_on")).exists()

    norra = Association.objects.get(slug="norra-vastmanland")
    latest = Campaign.objects.for_association(norra).filter(previous__isnull=False).get()
    assert latest.name == "Mätning hösten 2026" and latest.previous.name == "Mätning hösten 2025"
    assert latest.status == "closed" and latest.previous.status == "closed"
    assert 100 <= latest.responses.count() <= 140 and 100 <= latest.previous.responses.count() <= 140

    results = campaign_results(campaign=latest)
    levels = {level.level: level.total for level in results.levels}
    team, society = levels["team"].momentum, levels["society"].momentum
    assert team is not None and team.detectable and team.difference > 0.5
    assert society is not None and not society.detectable
    for total in levels.values():
        assert total.summary is not None and total.target_mean is not None
        assert total.target_mean > total.summary.mean  # where we want to be is further out than today
    assert sum(total.dont_know or 0 for total in levels.values()) > 0
    for hallmark in results.hallmarks:
        assert hallmark.alpha is not None and 0.7 <= hallmark.alpha <= 0.9, hallmark
    assert (
        results.text_items and Answer.objects.filter(response__campaign=latest, item__code="open_meaning").count() > 20
    )

    # The first round had few referrers: hidden, plus one more group so they can't be recovered.
    first = campaign_results(campaign=latest.previous)
    hidden = {group.group for group in first.groups if group.suppressed}
    assert "referrers" in hidden and len(hidden) >= 2

    # An open participant campaign, so the anonymous link works in the demo.
    participants = Campaign.objects.for_association(norra).get(instrument__name="Deltagarenkät")
    assert participants.status == "open" and participants.respondent_groups == ["participants"]
    assert participants.responses.count() == 15 and participants.links.exists()

    for slug in ("ostra-ostergotland", "botkyrka-huddinge-salem"):
        other = Association.objects.get(slug=slug)
        assert other.benchmark_opt_in
        campaign = Campaign.objects.for_association(other).get()
        assert campaign.name == "Mätning hösten 2026" and 60 <= campaign.responses.count() <= 80
    assert norra.benchmark_opt_in and not norra.benchmark_named
    assert Association.objects.get(slug="ostra-ostergotland").benchmark_named
    assert not Association.objects.get(slug="botkyrka-huddinge-salem").benchmark_named


def test_demo_still_shows_a_benchmark_now_that_it_needs_five_peers() -> None:
    from samverkan.measure.benchmark import benchmark_min_peers, level_benchmarks

    call_command("load_demo", stdout=StringIO())
    norra = Association.objects.get(slug="norra-vastmanland")
    latest = Campaign.objects.for_association(norra).filter(previous__isnull=False).get()
    benchmarks = level_benchmarks(association=norra, campaign=latest)
    assert benchmarks and len(benchmarks) == 4
    assert all(len(b.peers) >= benchmark_min_peers() for b in benchmarks)
    # The demo's peers are anonymous: only Östra Östergötland chose to be named.
    named = {p.name for b in benchmarks for p in b.peers if p.name}
    assert named == {"Samordningsförbundet Östra Östergötland"}
    peers = Association.objects.filter(slug__startswith="demo-jamforelse-")
    assert peers.count() == 4 and not peers.filter(benchmark_named=True).exists()
    assert all(Campaign.objects.for_association(p).count() == 1 for p in peers)
