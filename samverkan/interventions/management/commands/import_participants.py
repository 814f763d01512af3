"""Participants from a file, all or nothing.

`manage.py import_participants --association SLUG FILE [--dry-run] [--purpose TEXT]`
`manage.py import_participants --template [--format csv|xlsx] [--out FILE]`
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samverkan.interventions.import_template import template_csv, template_xlsx
from samverkan.interventions.participant_import import (
    ImportCheck,
    ParticipantImportError,
    participant_import_check,
    participant_import_run,
)
from samverkan.tenancy.models import Association
from samverkan.tenancy.scoping import association_scope

DEFAULT_PURPOSE = "Uppföljning av insatsen inom finansiell samordning (Finsam)"


class Command(BaseCommand):
    help = (
        "Läser in deltagare från en CSV-fil (UTF-8 eller Windows-1252; ; , eller tabb) eller en XLSX-fil med "
        "svenska rubriker (se --template). Hela filen kontrolleras först; finns något fel skrivs varje felaktig "
        "rad och kolumn ut och ingenting sparas. Samma fil två gånger ändrar ingenting."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--association", help="Förbundets slug")
        parser.add_argument("--dry-run", action="store_true", help="Kontrollera filen utan att spara något")
        parser.add_argument("--purpose", default=DEFAULT_PURPOSE, help="Samtyckets ändamål för nya deltagare")
        parser.add_argument("--template", action="store_true", help="Skriv ut mallen (rubrikrad och exempel)")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="Mallens format")
        parser.add_argument("--out", help="Skriv mallen till den här filen i stället för till standard ut")
        parser.add_argument("file", nargs="?", help="CSV- eller XLSX-fil")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            self._template(options)
            return
        if not options["association"] or not options["file"]:
            raise CommandError("Ange --association SLUG och en fil (eller --template).")
        # The command works in the scope of the association it is given (none: tenant data stays closed).
        with association_scope(options["association"]):
            self._import(options)

    def _template(self, options: dict[str, Any]) -> None:
        data = template_xlsx() if options["format"] == "xlsx" else template_csv()
        if options["out"]:
            with open(options["out"], "wb") as file:
                file.write(data)
            self.stdout.write(self.style.SUCCESS(f"Mallen är sparad i {options['out']}."))
        elif options["format"] == "xlsx":
            raise CommandError("En XLSX-mall behöver --out FIL.")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")

    def _import(self, options: dict[str, Any]) -> None:
        association = Association.objects.filter(slug=options["association"]).first()
        if association is None:
            raise CommandError(f"Förbundet ”{options['association']}” finns inte.")
        try:
            with open(options["file"], "rb") as file:
                if options["dry_run"]:
                    check = participant_import_check(association=association, file=file)
                    if not check.ok:
                        raise ParticipantImportError(check)
                else:
                    check = participant_import_run(
                        association=association,
                        file=file,
                        purpose=options["purpose"],
                        progress=lambda text: self.stderr.write(text),
                    )
        except (FileNotFoundError, IsADirectoryError):
            raise CommandError(f"Filen {options['file']} finns inte.") from None
        except OSError as error:
            raise CommandError(f"Filen {options['file']} kan inte läsas ({error.strerror}).") from None
        except ParticipantImportError as error:
            messages = error.check.messages()
            if len(messages) == 1 and error.check.problems[0].line is None:
                raise CommandError(messages[0]) from None
            raise CommandError(
                f"Filen har {error.check.problem_count} fel och ingenting har sparats:\n  " + "\n  ".join(messages)
            ) from None
        self.stdout.write(self._summary(check, dry_run=options["dry_run"]))

    def _summary(self, check: ImportCheck, *, dry_run: bool) -> str:
        if check.already is not None:
            return self.style.SUCCESS(
                f"Filen lästes in redan {check.already.imported_on.isoformat()}: ingenting ändrades."
            )
        counts = (
            f"{check.created} nya deltagare, {check.updated} ändrade, {check.unchanged} oförändrade, "
            f"{check.anonymous} anonyma deltaganden"
        )
        if dry_run:
            return self.style.SUCCESS(f"Filen är korrekt ({check.rows} rader): {counts}. Inget sparades (--dry-run).")
        return self.style.SUCCESS(f"Inläst ({check.rows} rader): {counts}.")
