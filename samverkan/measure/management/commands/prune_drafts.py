"""`manage.py prune_drafts`: delete drafts nobody will come back to.

Meant for a scheduler once a night. Deleted: every draft of a round that is closed (closed by
hand or by close_due_rounds, or past its closing date), the sent forms' tombstones included,
since nobody can answer there any more; and in open rounds the unsent drafts not saved for
more than SAMVERKAN_DRAFT_DAYS days (default 60). A tombstone of an open round stays: it tells
the device that its form has already been sent.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from samverkan.measure.models import Draft

DEFAULT_DRAFT_DAYS = 60


class Command(BaseCommand):
    help = "Raderar utkast från stängda mätomgångar och gamla osända utkast (för schemaläggning, t.ex. varje natt)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        days = int(getattr(settings, "SAMVERKAN_DRAFT_DAYS", DEFAULT_DRAFT_DAYS))
        closed_round = Q(campaign__closed_on__isnull=False) | Q(campaign__closes_on__lt=today)
        # A platform-wide clean-up on purpose: it reads nothing, it only deletes sealed drafts by date and by
        # whether their round has closed.
        with scopes_disabled():
            closed, _kinds = Draft.objects.filter(closed_round).delete()
            stale, _kinds = Draft.objects.filter(submitted=False, updated_on__lt=today - timedelta(days=days)).delete()
        self.stdout.write(
            _("%(closed)s utkast från stängda mätomgångar raderade, %(stale)s osända utkast äldre än %(days)s dagar.")
            % {"closed": closed, "stale": stale, "days": days}
        )
