"""`manage.py import_responses --association SLUG --campaign NAME FILE.csv`: paper answers, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samverkan.measure.paper import PaperImportError, import_paper_file

from .export_results import campaign_for


class Command(BaseCommand):
    help = (
        "Läser in pappersenkäter från en CSV-fil med kolumnerna från export_codebook. Hela filen kontrolleras "
        "först; finns något fel skrivs varje felaktig rad och kolumn ut och ingenting sparas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", required=True, help="Förbundets slug")
        parser.add_argument("--campaign", required=True, help="Mätomgångens namn")
        parser.add_argument("file", help="CSV-fil (UTF-8, ; eller ,)")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_for(options["association"], options["campaign"])
        try:
            with open(options["file"], "rb") as handle:
                count = import_paper_file(handle, campaign, today=timezone.localdate())
        except FileNotFoundError:
            raise CommandError(f"Filen {options['file']} finns inte.") from None
        except PaperImportError as error:
            raise CommandError(
                f"Filen har {len(error.errors)} fel och ingenting har sparats:\n  " + "\n  ".join(error.errors)
            ) from None
        self.stdout.write(self.style.SUCCESS(f"{count} pappersenkäter inlästa i ”{campaign.name}”."))
