"""The demo tells the story the issue asks for, and loading it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from samverkan.measure.models import Answer, Campaign, Response
from samverkan.measure.results import campaign_results
from samverkan.tenancy.models import Association

pytestmark = pytest.mark.django_db


def test_demo_shows_team_moving_towards_ring_3_and_society_standing_still() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "admin@demo.samverkan.se" in out.getvalue() and "samverkan-demo-2026" in out.getvalue()
    counts = (Campaign.objects.count(), Response.objects.count(), Answer.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Campaign.objects.count(), Response.objects.count(), Answer.objects.count()) == counts

    norra = Association.objects.get(slug="norra-vastmanland")
    latest = Campaign.objects.for_association(norra).filter(previous__isnull=False).get()
    assert 100 <= latest.responses.count() <= 140 and 100 <= latest.previous.responses.count() <= 140
    levels = {level.level: level.total for level in campaign_results(campaign=latest).levels}
    team, society = levels["team"].momentum, levels["society"].momentum
    assert team is not None and team.detectable and team.difference > 0.5
    assert society is not None and not society.detectable
    for slug in ("ostra-ostergotland", "botkyrka-huddinge-salem"):
        other = Association.objects.get(slug=slug)
        assert other.benchmark_opt_in
        assert Campaign.objects.for_association(other).count() == 1
    assert Association.objects.get(slug="ostra-ostergotland").benchmark_named
    # An open participant campaign, so the anonymous link works in the demo.
    assert any(c.status == "open" for c in Campaign.objects.for_association(norra))
