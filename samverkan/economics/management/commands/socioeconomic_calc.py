"""`manage.py socioeconomic_calc SCENARIO.json [--kpi-from-db | --no-kpi-from-db]`.

Prints calculate()'s JSON: {"actors": {…, "totalt": {…}}, "years": […], "tornado": […], …}
(docs/economics-scenario.md). The KPI table is the database's when the price-index part is
installed (samverkan/economics/kpi_source.py), the scenario's own "kpi" overriding it year by
year; --kpi-from-db requires the database's table, --no-kpi-from-db uses only the scenario's.
A file that is not JSON, or a malformed field, ends with a Swedish message naming the field.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.economics import calc
from samverkan.economics.kpi_source import database_kpi_table
from samverkan.economics.messages import scenario_error_message


def read_scenario(path: str) -> Any:
    """The file's JSON; a Swedish CommandError if it cannot be read or is not JSON."""
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except (FileNotFoundError, NotADirectoryError):
        raise CommandError(_("Filen %(file)s finns inte.") % {"file": path}) from None
    except IsADirectoryError:
        raise CommandError(_("%(file)s är en mapp, inte en fil.") % {"file": path}) from None
    except OSError as error:
        message = _("Filen %(file)s kan inte läsas (%(why)s).") % {"file": path, "why": error.strerror}
        raise CommandError(message) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(_("Filen %(file)s är inte UTF-8.") % {"file": path}) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        invalid = calc.ScenarioError("", "invalid_json", {"line": error.lineno, "column": error.colno})
        raise CommandError(scenario_error_message(invalid)) from None


class Command(BaseCommand):
    help = (
        "Räknar ut ett samhällsekonomiskt scenario (JSON, se docs/economics-scenario.md) och skriver "
        "resultatet som JSON: kostnad, vinst, nettonuvärde, avkastning och återbetalningstid per aktör och år, "
        "och med intervall även Monte Carlo-percentiler och tornadodiagrammets staplar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", help="Scenariofil i JSON")
        source = parser.add_mutually_exclusive_group()
        source.add_argument(
            "--kpi-from-db",
            action="store_true",
            help="Kräv databasens KPI-tabell (scenariots egen ”kpi” går före för sina år)",
        )
        source.add_argument(
            "--no-kpi-from-db", action="store_true", help="Använd bara scenariots egen ”kpi”, inte databasens"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = read_scenario(options["scenario"])
        kpi_table = None
        if not options["no_kpi_from_db"]:
            kpi_table = database_kpi_table()
            if kpi_table is None and options["kpi_from_db"]:
                raise CommandError(_("Databasen har ingen KPI-tabell ännu."))
        try:
            scenario = calc.parse_scenario(data, kpi_table=kpi_table)
            result = calc.calculate(scenario)
        except calc.ScenarioError as error:
            raise CommandError(scenario_error_message(error)) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
