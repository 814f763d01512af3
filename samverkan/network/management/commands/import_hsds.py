"""An Open Referral HSDS 3.0 package into the directory, all or nothing.

`manage.py import_hsds DIR --association SLUG [--dry-run]`
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.network.hsds_import import HsdsImportError, hsds_import, hsds_package_read
from samverkan.network.hsds_schema import SpecMissing
from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_scope


class Command(BaseCommand):
    help = _(
        "Läser in ett HSDS 3.0-paket (JSON-filerna i DIR/json/ eller CSV-tabellerna i DIR) i förbundets "
        "katalog. Varje post kontrolleras mot HSDS-schemana och katalogens regler; finns något fel skrivs "
        "varje fel ut och ingenting sparas. Organisationerna måste vara förbundets medlemmar (samma id eller "
        "namn). Samma paket två gånger ändrar ingenting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help=_("Paketets katalog"))
        parser.add_argument("--association", required=True, help=_("Förbundets slug"))
        parser.add_argument("--dry-run", action="store_true", help=_("Kontrollera paketet utan att spara något"))

    def handle(self, *args: Any, **options: Any) -> None:
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options["association"]):
            association = Association.objects.filter(slug=options["association"]).first()
            if association is None:
                raise CommandError(_("Förbundet ”%(slug)s” finns inte.") % {"slug": options["association"]})
            try:
                package = hsds_package_read(options["directory"])
                result = hsds_import(association=association, package=package, dry_run=options["dry_run"])
            except SpecMissing as error:
                raise CommandError(str(error)) from None
            except HsdsImportError as error:
                messages = error.messages()
                raise CommandError(
                    _("Paketet har %(count)s fel och ingenting har sparats:") % {"count": len(messages)}
                    + "\n  "
                    + "\n  ".join(messages)
                ) from None
        counts = ", ".join(
            f"{entity}: {result.created[entity]} nya, {result.updated[entity]} uppdaterade" for entity in result.created
        )
        if not result.written:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Paketet är korrekt (%(counts)s). Inget sparades (--dry-run).") % {"counts": counts}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Inläst: %(counts)s.") % {"counts": counts}))
