"""The codebook of a paper file.

`manage.py export_codebook --instrument NAME [--version N] [--association SLUG] [--format text|csv|header] [--out FILE]`
"""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.measure import selectors
from samverkan.measure.paper import PaperError, instrument_for
from samverkan.measure.paper_codebook import codebook_csv, codebook_rows, codebook_text
from samverkan.tenancy.scoping import association_scope


class Command(BaseCommand):
    help = (
        "Skriver kodboken för pappersenkäter: kolumnerna som en fil till import_responses ska ha, i ordning, "
        "med fråga, typ och tillåtna värden.\n\n"
        "Format:\n"
        "  text    (standard) läsbar kodbok, sist en färdig rubrikrad att klistra in överst i svarsfilen\n"
        "  csv     kodboken som CSV med ; och kolumnerna kolumn;fråga;typ;tillåtna värden\n"
        "  header  bara rubrikraden (grupp;organisation;datum;frågekoder…): en tom mall att fylla i\n\n"
        "Gemensamma enkäter (”Integrerad samverkan”, ”Deltagarenkät”) hittas utan --association; ett förbunds "
        "egna enkäter kräver --association. Med --campaign (och --association) används mätomgångens enkät och "
        "grupper. Utan --version används den senaste versionen. Med --out skrivs filen i UTF-8 med BOM, så att "
        "Excel visar å, ä och ö rätt."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # Our --version is the instrument's version; it replaces Django's "show version and exit".
        kwargs.setdefault("conflict_handler", "resolve")
        kwargs.setdefault("formatter_class", RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", help="Enkätens namn, t.ex. ”Integrerad samverkan”")
        parser.add_argument(
            "--version",
            "--instrument-version",
            dest="version",
            type=int,
            help="Enkätens version (standard: den senaste)",
        )
        parser.add_argument("--association", help="Förbundets slug; krävs för förbundets egna enkäter")
        parser.add_argument("--campaign", help="Mätomgångens namn (med --association): dess enkät och grupper")
        parser.add_argument("--format", choices=["text", "csv", "header"], default="text")
        parser.add_argument("--out", help="Fil att skriva till (standard: skärmen)")

    def handle(self, *args: Any, **options: Any) -> None:
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options.get("association")):
            self._handle(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        try:
            association = selectors.association_by_slug(options["association"]) if options.get("association") else None
            groups = None
            if options.get("campaign"):
                if association is None:
                    raise CommandError("--campaign kräver --association.")
                campaign = selectors.campaign_by_name(association, options["campaign"])
                instrument, groups = campaign.instrument, campaign.respondent_groups
            elif options.get("instrument"):
                instrument = instrument_for(
                    options["instrument"], version=options.get("version"), association=association
                )
            else:
                raise CommandError("Ange --instrument NAMN (eller --association och --campaign).")
        except (PaperError, selectors.NotFound) as error:
            raise CommandError(str(error)) from None
        agencies = association.agencies.values_list("name", flat=True) if association is not None else None
        rows = codebook_rows(instrument, groups=groups, agencies=agencies)
        if options["format"] == "csv":
            body = codebook_csv(rows)
        elif options["format"] == "header":
            body = ";".join(row.column for row in rows) + "\n"
        else:
            body = codebook_text(instrument, rows)
        if options.get("out"):
            with open(options["out"], "w", encoding="utf-8-sig", newline="") as file:
                file.write(body)
            self.stderr.write(f"Skrev {options['out']}")
        else:
            self.stdout.write(body, ending="")
