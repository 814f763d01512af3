"""`manage.py prune_jobs`: delete expired job results, fail jobs whose worker fell silent (for a scheduler, hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samverkan.jobs.services import jobs_prune


class Command(BaseCommand):
    help = "Tar bort långa jobb vars resultat har gått ut och avbryter jobb som har tystnat (schemalägg varje timme)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, stale = jobs_prune()
        self.stdout.write(
            _("%(deleted)s jobb borttagna, %(stale)s avbrutna som tysta.") % {"deleted": deleted, "stale": stale}
        )
