"""`manage.py export_results --association SLUG --campaign NAME --format json|csv|xlsx|sav [--out FILE]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.measure import selectors
from samverkan.measure.export_views import export_body
from samverkan.measure.models import Campaign
from samverkan.measure.published import results_payload
from samverkan.measure.results import campaign_results
from samverkan.measure.snapshot import snapshot_refresh
from samverkan.tenancy.scoping import association_scope


def campaign_for(slug: str, name: str) -> Campaign:
    try:
        return selectors.campaign_by_name(selectors.association_by_slug(slug), name)
    except selectors.NotFound as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = (
        "Skriver ut en mätomgångs resultat med samma döljningsregler som sidorna. "
        "JSON skrivs till standard ut om --out saknas; csv, xlsx och sav kräver --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", required=True, help="Förbundets slug, t.ex. norra-vastmanland")
        parser.add_argument("--campaign", required=True, help="Mätomgångens namn")
        parser.add_argument("--format", required=True, choices=["json", "csv", "xlsx", "sav"])
        parser.add_argument("--out", help="Fil att skriva till")

    def handle(self, *args: Any, **options: Any) -> None:
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options.get("association")):
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_for(options["association"], options["campaign"])
        snapshot_refresh(campaign=campaign)  # a command reads the newest answers, e.g. right after an import
        results = campaign_results(campaign=campaign)
        fmt, out = options["format"], options.get("out")
        if fmt == "json" and not out:
            self.stdout.write(json.dumps(results_payload(results), ensure_ascii=False, indent=2))
            return
        if not out:
            raise CommandError(_("Formatet %(fmt)s är binärt: ange en fil med --out.") % {"fmt": fmt})
        body = export_body(results, "resultat", fmt)
        with open(out, "wb") as file:
            file.write(body)
        self.stderr.write(_("Skrev %(file)s") % {"file": out})
