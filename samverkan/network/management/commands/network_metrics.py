"""`manage.py network_metrics EDGES.csv [--min-depth N] [--svg MAP.svg]`: the network figures of a tie file, as JSON.

The file is `source,target,depth[,trust,value,knows_whom_to_call]` (see samverkan/network/edge_file.py);
the nodes are every name in either column and the respondents every source. Prints
`NetworkMetrics.as_dict()` (samverkan/network/metrics.py); with --svg, also writes the collaboration map
(samverkan/network/map_text.py) to that file, a standalone SVG. Reads no database. A file with a problem prints
every problem by row, in Swedish, and exits with status 1.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.network.edge_file import EdgeFileError, read_edge_file
from samverkan.network.map_text import network_map_html
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
        parser.add_argument("--svg", help="Skriv också samverkanskartan som SVG till den här filen")
        parser.add_argument("--seed", default="1", help="Slumpfrö för kartans placering (standard 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            min_depth = int(str(options["min_depth"]).strip())
        except ValueError:
            min_depth = 0
        if not 1 <= min_depth <= DEPTH_MAX:
            raise CommandError(
                _("--min-depth måste vara ett heltal 1–5, inte ”%(value)s”.") % {"value": options["min_depth"]}
            )
        try:
            seed = int(str(options["seed"]).strip())
        except ValueError:
            raise CommandError(
                _("--seed måste vara ett heltal, inte ”%(value)s”.") % {"value": options["seed"]}
            ) from None
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
        if options.get("svg"):
            svg = network_map_html(
                edges.nodes,
                edges.answers,
                title=_("Samverkanskarta"),
                min_depth=min_depth,
                seed=seed,
                respondents=[name for name in edges.nodes if result.agencies[name].responded],
            )
            try:
                with open(options["svg"], "w", encoding="utf-8") as file:
                    file.write('<?xml version="1.0" encoding="UTF-8"?>\n' + svg)
            except OSError as error:
                message = _("Kartan kan inte sparas i %(file)s (%(why)s).") % {
                    "file": options["svg"],
                    "why": error.strerror,
                }
                raise CommandError(message) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
