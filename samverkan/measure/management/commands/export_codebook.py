"""`manage.py export_codebook --instrument NAME [--instrument-version N] [--association SLUG] [--format text|csv]`."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.measure.models import Instrument
from samverkan.measure.paper import codebook_rows
from samverkan.tenancy.models import Association


class Command(BaseCommand):
    help = (
        "Skriver kodboken för pappersenkäter: kolumnerna en fil till import_responses ska ha, i ordning, "
        "med fråga och tillåtna värden, och sist en färdig rubrikrad. --format csv ger kodboken som CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--instrument", required=True, help="Enkätens namn, t.ex. ”Integrerad samverkan”")
        parser.add_argument(
            "--instrument-version", dest="instrument_version", type=int, help="Version (standard: den senaste)"
        )
        parser.add_argument("--association", help="Förbundets slug, för förbundets egna enkäter")
        parser.add_argument("--format", choices=["text", "csv"], default="text")
        parser.add_argument("--out", help="Fil att skriva till (standard: skärmen)")

    def handle(self, *args: Any, **options: Any) -> None:
        instruments = Instrument.objects.filter(name=options["instrument"])
        if options.get("association"):
            association = Association.objects.filter(slug=options["association"]).first()
            if association is None:
                raise CommandError(f"Förbundet ”{options['association']}” finns inte.")
            instruments = instruments.filter(association=association)
        else:
            instruments = instruments.filter(association__isnull=True)
        if options.get("instrument_version"):
            instruments = instruments.filter(version=options["instrument_version"])
        instrument = instruments.order_by("-version").first()
        if instrument is None:
            raise CommandError(
                f"Enkäten ”{options['instrument']}” finns inte. Gemensamma enkäter: "
                + ", ".join(Instrument.objects.filter(association__isnull=True).values_list("name", flat=True))
                + ". Förbundets egna enkäter kräver --association."
            )
        rows = codebook_rows(instrument)
        buffer = io.StringIO()
        if options["format"] == "csv":
            writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
            writer.writerow(["kolumn", "fråga", "typ", "tillåtna värden"])
            for row in rows:
                writer.writerow([row.column, row.question, row.kind, row.allowed])
        else:
            buffer.write(f"Kodbok: {instrument}\n")
            buffer.write("En rad per ifylld enkät. Tomma celler betyder obesvarat. Avgränsare ; eller ,. UTF-8.\n\n")
            for number, row in enumerate(rows, start=1):
                buffer.write(f"{number:>3}. {row.column}\n     {row.question}\n     {row.kind}: {row.allowed}\n")
            buffer.write("\nRubrikrad att klistra in överst i filen:\n")
            buffer.write(";".join(row.column for row in rows) + "\n")
        if options.get("out"):
            with open(options["out"], "w", encoding="utf-8-sig") as file:
                file.write(buffer.getvalue())
        else:
            self.stdout.write(buffer.getvalue(), ending="")
