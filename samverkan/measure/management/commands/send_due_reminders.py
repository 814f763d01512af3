"""`manage.py send_due_reminders`: send the reminders planned for today or earlier, once each.

Meant for a scheduler (cron, a systemd timer), say every morning at 8. See measure/reminders.py.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samverkan.measure.reminders import reminders_send_due


class Command(BaseCommand):
    help = "Skickar de planerade påminnelserna vars dag har kommit, en gång per mätomgång (för schemaläggning)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = reminders_send_due()
        for campaign, count in run.reminded:
            self.stdout.write(
                _("%(association)s: %(campaign)s – påminnelse till %(count)s inbjudna köad.")
                % {"association": campaign.association.name, "campaign": campaign.name, "count": count}
            )
        for campaign in run.postponed:
            self.stdout.write(
                _("%(association)s: %(campaign)s – utskicket pågår fortfarande, påminnelsen skickas vid nästa körning.")
                % {"association": campaign.association.name, "campaign": campaign.name}
            )
        self.stdout.write(_("%(count)s påminnelser köade.") % {"count": len(run.reminded)})
