"""`manage.py refresh_results [--association SLUG]`: bring stale result snapshots up to date.

Meant for a scheduler (cron, a systemd timer) every minute or so. It first publishes
the waiting answers of every group that has gathered enough (all of them in a round
that is over), then rebuilds what is stale. Viewers of an
open campaign then find a fresh snapshot, and with a higher
SAMVERKAN_RESULTS_MAX_AGE none of them waits for a rebuild, however many
answers the campaign has. Only snapshots behind their campaign's answers are
rebuilt, so a run with nothing new costs one count per campaign.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from samverkan.measure import selectors
from samverkan.measure.models import Campaign, ResultSnapshot
from samverkan.measure.publishing import responses_publish
from samverkan.measure.snapshot import answers_mark, snapshot_refresh


class Command(BaseCommand):
    help = "Uppdaterar resultaten för mätomgångar som har fått nya svar (för schemaläggning, t.ex. varje minut)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", help="Bara detta förbunds mätomgångar (slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The operator's job over every association: the list of rounds is read across tenants, then each
        # round is refreshed in its own association's scope.
        with scopes_disabled():
            campaigns = Campaign.objects.select_related("association").order_by("pk")
            if options.get("association"):
                try:
                    association = selectors.association_by_slug(options["association"])
                except selectors.NotFound as error:
                    raise CommandError(str(error)) from None
                campaigns = campaigns.filter(association=association)
            campaigns = list(campaigns)
            versions = dict(ResultSnapshot.objects.values_list("campaign_id", "answers_version"))
        refreshed = 0
        for campaign in campaigns:
            with scope(association=campaign.association):
                refreshed += self._refresh(campaign, versions)
        self.stdout.write(_("%(count)s mätomgångar uppdaterade.") % {"count": refreshed})

    def _refresh(self, campaign: Campaign, versions: dict[int, int]) -> int:
        # Waiting answers whose group has gathered enough are published first (all, once a round is over).
        responses_publish(campaign=campaign, everything=campaign.status == "closed")
        if versions.get(campaign.pk) == answers_mark(campaign):
            return 0
        started = time.perf_counter()
        snapshot = snapshot_refresh(campaign=campaign)
        self.stdout.write(
            _("%(association)s: %(campaign)s – %(answers)s svar, uppdaterat på %(seconds).1f s")
            % {
                "association": campaign.association.name,
                "campaign": campaign.name,
                "answers": snapshot.answers_version,
                "seconds": time.perf_counter() - started,
            }
        )
        return 1
