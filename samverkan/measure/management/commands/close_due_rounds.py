"""`manage.py close_due_rounds`: close the rounds whose closing date has passed.

Meant for a scheduler (cron, a systemd timer) once a night, soon after midnight. A round
stops taking answers after its last day by itself; closing it as well
(services.campaign_close) publishes the answers still waiting for their group's batch, however
few, so the results are final, and drops the round's drafts. Rounds already closed and rounds
still open are left alone, so running it twice does nothing more.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from samverkan.measure import services
from samverkan.measure.models import Campaign


class Command(BaseCommand):
    help = "Stänger mätomgångar vars slutdatum har passerat (för schemaläggning, t.ex. varje natt)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        # Which rounds are due is read across associations on purpose (a scheduler's job for the whole
        # platform); each round is then closed in its own association's scope.
        with scopes_disabled():
            due = list(
                Campaign.objects.select_related("association")
                .filter(closed_on=None, closes_on__lt=today)
                .order_by("closes_on", "pk")
            )
        closed = 0
        for campaign in due:
            with scope(association=campaign.association):
                services.campaign_close(campaign=campaign, today=today)
            closed += 1
            self.stdout.write(
                _("%(association)s: %(campaign)s stängd (slutdatum %(closes)s).")
                % {
                    "association": campaign.association.name,
                    "campaign": campaign.name,
                    "closes": campaign.closes_on.isoformat(),
                }
            )
        self.stdout.write(_("%(count)s mätomgångar stängda.") % {"count": closed})
