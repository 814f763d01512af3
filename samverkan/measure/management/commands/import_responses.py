"""Paper answers, all or nothing.

`manage.py import_responses --association SLUG --campaign NAME [--dry-run] FILE.csv`
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samverkan.measure import selectors
from samverkan.measure.paper import PaperError, import_paper_file
from samverkan.tenancy.scoping import association_scope


class Command(BaseCommand):
    help = (
        "Läser in pappersenkäter från en CSV-fil med kolumnerna från export_codebook: grupp (kod eller "
        "benämning), valfritt organisation och datum (ÅÅÅÅ-MM-DD, standard i dag), sedan en kolumn per fråga. "
        "Avgränsare ; eller , och UTF-8 med eller utan BOM. Hela filen kontrolleras först; finns något fel "
        "skrivs varje felaktig rad och kolumn ut och ingenting sparas. Går även för en stängd mätomgång."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", required=True, help="Förbundets slug")
        parser.add_argument("--campaign", required=True, help="Mätomgångens namn")
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något")
        parser.add_argument("file", help="CSV-fil (UTF-8, ; eller ,)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options.get("association")):
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        try:
            campaign = selectors.campaign_by_name(
                selectors.association_by_slug(options["association"]), options["campaign"]
            )
            result = import_paper_file(
                options["file"], campaign, today=timezone.localdate(), dry_run=options["dry_run"]
            )
        except (FileNotFoundError, IsADirectoryError):
            raise CommandError(f"Filen {options['file']} finns inte.") from None
        except OSError as error:
            raise CommandError(f"Filen {options['file']} kan inte läsas ({error.strerror}).") from None
        except selectors.NotFound as error:
            raise CommandError(str(error)) from None
        except PaperError as error:
            if len(error.errors) == 1 and "Rad " not in error.errors[0]:
                raise CommandError(error.errors[0]) from None
            raise CommandError(
                f"Filen har {len(error.errors)} fel och ingenting har sparats:\n  " + "\n  ".join(error.errors)
            ) from None
        if result.undated:
            self.stdout.write(f"{result.undated} rader utan datum får datumet {result.default_day.isoformat()}.")
        if not result.written:
            self.stdout.write(
                self.style.SUCCESS(f"Filen är korrekt: {result.count} pappersenkäter. Inget sparades (--dry-run).")
            )
            return
        self.stdout.write(self.style.SUCCESS(f"{result.count} pappersenkäter inlästa i ”{campaign.name}”."))
