"""`manage.py send_directory_confirmations`: ask the contacts of stale directory entries to confirm them.

Meant for a scheduler (cron, a systemd timer), once a day. Every active service not confirmed for six months
gets a mail to each of its contact routes (and its own address) with a link to confirm or correct the entry;
an entry is asked at most once a day, and each new mail makes the previous link stop working.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scope

from samverkan.network.directory_services import confirmations_request
from samverkan.tenancy.models import Association


class Command(BaseCommand):
    help = "Mejlar kontaktvägarna till katalogposter som inte bekräftats på sex månader (för schemaläggning, dagligen)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--forbund", dest="slug", help="Bara det här förbundet (kortnamn).")

    def handle(self, *args: Any, **options: Any) -> None:
        confirm_url = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("network:directory_confirm")
        associations = Association.objects.order_by("name")
        if options.get("slug"):
            associations = associations.filter(slug=options["slug"])
        total = 0
        for association in associations:
            with scope(association=association):
                count = confirmations_request(association=association, confirm_base_url=confirm_url)
            if count:
                self.stdout.write(
                    _("%(association)s: %(count)s katalogposter ombedda att bekräfta.")
                    % {"association": association.name, "count": count}
                )
            total += count
        self.stdout.write(_("%(count)s bekräftelsemejl köade.") % {"count": total})
