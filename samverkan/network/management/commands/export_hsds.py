"""The directory as an Open Referral HSDS 3.0 package.

`manage.py export_hsds --association SLUG --out DIR`
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.network.hsds import hsds_export
from samverkan.network.hsds_schema import SpecMissing
from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_scope


class Command(BaseCommand):
    help = _(
        "Skriver förbundets katalog (Vem ringer jag?) som ett Open Referral HSDS 3.0-paket: JSON-filer i "
        "DIR/json/, CSV-tabeller och datapackage.json i DIR. Namngivna personer bara med samtycke."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", required=True, help=_("Förbundets slug"))
        parser.add_argument("--out", required=True, help=_("Katalogen paketet skrivs till"))

    def handle(self, *args: Any, **options: Any) -> None:
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options["association"]):
            association = Association.objects.filter(slug=options["association"]).first()
            if association is None:
                raise CommandError(_("Förbundet ”%(slug)s” finns inte.") % {"slug": options["association"]})
            try:
                counts = hsds_export(
                    association=association, out=Path(options["out"]), created=timezone.now().isoformat()
                )
            except SpecMissing as error:
                raise CommandError(str(error)) from None
            except OSError as error:
                raise CommandError(
                    _("Kan inte skriva till %(out)s (%(reason)s).") % {"out": options["out"], "reason": error.strerror}
                ) from None
        summary = ", ".join(f"{entity}: {count}" for entity, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("HSDS-paketet är skrivet till %(out)s (%(summary)s).") % {"out": options["out"], "summary": summary}
            )
        )
