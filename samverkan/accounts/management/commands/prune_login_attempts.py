"""`manage.py prune_login_attempts`: forget failed logins once they no longer count.

Meant for a scheduler (cron, a systemd timer), e.g. every 10 minutes. The lockout
(django-axes) keeps the user name, the address and the time of failed logins; after
the cool-off (AXES_COOLOFF_HOURS) they no longer count towards a lockout and are
deleted, so nothing personal is kept longer than the lockout needs it.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samverkan.accounts.services import login_attempts_prune


class Command(BaseCommand):
    help = "Tar bort misslyckade inloggningsförsök som är äldre än spärrtiden (för schemaläggning)."

    def handle(self, *args: Any, **options: Any) -> None:
        pruned = login_attempts_prune()
        if options["verbosity"] >= 1:
            self.stdout.write(
                _("Borttaget: %(attempts)s inloggningsförsök, %(logs)s loggrader.")
                % {"attempts": pruned.attempts, "logs": pruned.failure_logs + pruned.access_logs}
            )
