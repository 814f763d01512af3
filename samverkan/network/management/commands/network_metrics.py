"""`manage.py network_metrics EDGES.csv [--min-depth N]`: the network figures of a tie file, as JSON.

The file is `source,target,depth[,trust,value,knows_whom_to_call]` (see samverkan/network/edge_file.py);
the nodes are every name in either column and the respondents every source. Prints
`NetworkMetrics.as_dict()` (samverkan/network/metrics.py). Reads no database. A file with a problem prints
every problem by row, in Swedish, and exits with status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.network.edge_file import EdgeFileError, read_edge_file
from samverkan.network.metrics import DEPTH_MAX, network_metrics


class Command(BaseCommand):
    help = (
        "Räknar ut nätverksmåtten (täthet, ömsesidighet, centralisering, vet vart jag ringer, svarsfrekvens "
        "och per myndighet) för en CSV-fil med kolumnerna source,target,depth och valfritt "
        "trust,value,knows_whom_to_call (; eller , som avgränsare, UTF-8 eller Windows-1252). "
        "Utskriften är JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV-fil med ett svar per rad")
        parser.add_argument(
            "--min-depth",
            default="1",
            help="Räkna bara band med minst det här djupet (1–5; standard 1, 0 är aldrig ett band)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            min_depth = int(str(options["min_depth"]).strip())
        except ValueError:
            min_depth = 0
        if not 1 <= min_depth <= DEPTH_MAX:
            raise CommandError(
                _("--min-depth måste vara ett heltal 1–5, inte ”%(value)s”.") % {"value": options["min_depth"]}
            )
        path = options["file"]
        try:
            with open(path, "rb") as file:
                data = file.read()
        except (FileNotFoundError, NotADirectoryError):
            raise CommandError(_("Filen %(file)s finns inte.") % {"file": path}) from None
        except IsADirectoryError:
            raise CommandError(_("%(file)s är en mapp, inte en fil.") % {"file": path}) from None
        except OSError as error:
            message = _("Filen %(file)s kan inte läsas (%(why)s).") % {"file": path, "why": error.strerror}
            raise CommandError(message) from None
        try:
            edges = read_edge_file(data)
        except EdgeFileError as error:
            raise CommandError("\n".join(error.messages)) from None
        result = network_metrics(edges.nodes, edges.answers, min_depth=min_depth)
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
