"""`manage.py group_themes FILE [--k N] [--seed S] [--codebook CODEBOOK.json] [--prompt TEXT]`.

Prints `[{"label": "...", "answers": [1-based line numbers]}]`: every non-empty line of FILE in exactly
one theme. Reads no database; the grouping is samverkan/workshops/grouping.py.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from samverkan.common.text import TEXT_ENCODINGS
from samverkan.workshops import grouping


def read_text(path: str) -> str:
    """A text file as UTF-8 (with or without BOM) or Windows-1252; a Swedish CommandError if unreadable."""
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
    for encoding in TEXT_ENCODINGS:
        try:
            return raw.decode("utf-8-sig" if encoding == "UTF-8" else encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(_("Filen %(file)s är varken UTF-8 eller Windows-1252.") % {"file": path})


def whole_number(value: str | None, name: str, *, minimum: int) -> int | None:
    if value is None:
        return None
    try:
        number = int(value.strip())
    except ValueError:
        raise CommandError(
            _("%(name)s ska vara ett heltal, inte ”%(value)s”.") % {"name": name, "value": value}
        ) from None
    if number < minimum:
        raise CommandError(_("%(name)s ska vara minst %(min)d.") % {"name": name, "min": minimum})
    return number


def grouping_message(error: grouping.GroupingError) -> str:
    return _(error.template) % error.params if error.params else _(error.template)


class Command(BaseCommand):
    help = (
        "Grupperar fritextsvar i teman. FILE har ett svar per rad; utskriften är JSON "
        '[{"label": "…", "answers": [radnummer]}] där varje icke-tom rad finns i exakt ett tema. '
        "Utan --k väljs antalet teman med silhuettmåttet. Med --codebook behåller kodbokens teman sina namn, "
        "svar som passar ett tema hamnar där och resten bildar nya teman (--k är då antalet nya teman)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Textfil med ett svar per rad (UTF-8 eller Windows-1252)")
        parser.add_argument("--k", help="Antal teman (annars väljs det automatiskt)")
        parser.add_argument("--seed", default="0", help="Slumpfrö; samma frö ger samma teman (standard 0)")
        parser.add_argument("--codebook", help='Kodbok i JSON: [{"label", "definition", "answers": [...]}]')
        parser.add_argument("--prompt", default="", help="Frågan som ställdes; dess ord räknas inte som teman")

    def handle(self, *args: Any, **options: Any) -> None:
        k = whole_number(options.get("k"), "--k", minimum=1)
        seed = whole_number(options.get("seed"), "--seed", minimum=0) or 0
        lines = read_text(options["file"]).splitlines()
        numbers = [number for number, line in enumerate(lines, start=1) if line.strip()]
        texts = [lines[number - 1].strip() for number in numbers]
        codebook: list[grouping.CodebookEntry] = []
        if options.get("codebook"):
            source = read_text(options["codebook"])
            try:
                data = json.loads(source)
            except json.JSONDecodeError as error:
                raise CommandError(
                    _("Kodboken %(file)s är inte giltig JSON (rad %(line)d, kolumn %(col)d: %(why)s).")
                    % {"file": options["codebook"], "line": error.lineno, "col": error.colno, "why": error.msg}
                ) from None
            try:
                codebook = grouping.parse_codebook(data)
            except grouping.GroupingError as error:
                raise CommandError(grouping_message(error)) from None
        try:
            if codebook:
                themes = grouping.apply_codebook(texts, codebook, k=k, seed=seed, prompt=options["prompt"])
            else:
                themes = grouping.group_answers(texts, k=k, seed=seed, prompt=options["prompt"])
        except grouping.GroupingError as error:
            raise CommandError(grouping_message(error)) from None
        result = [{"label": t.label, "answers": [numbers[i] for i in t.answers]} for t in themes]
        # One theme a line: readable, and still one JSON document.
        body = ",\n".join("  " + json.dumps(theme, ensure_ascii=False) for theme in result)
        self.stdout.write(f"[\n{body}\n]" if result else "[]")
