"""The English catalogue is complete and compiled: every Swedish text has an English translation."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str) -> list[tuple[str, list[str]]]:
    entries = []
    for block in text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block.split("msgstr")[0]))
        strs = [
            "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', part)) for part in re.split(r"\nmsgstr(?:\[\d\])? ", block)[1:]
        ]
        if msgid:
            entries.append((msgid, strs))
    return entries


def test_every_text_has_an_english_translation() -> None:
    text = PO.read_text(encoding="utf-8")
    untranslated = [msgid for msgid, strs in _entries(text) if not all(s.strip() for s in strs)]
    assert untranslated == []
    assert "#, fuzzy" not in text


def test_placeholders_survive_translation() -> None:
    for msgid, strs in _entries(PO.read_text(encoding="utf-8")):
        wanted = sorted(set(re.findall(r"%\(\w+\)s", msgid)))
        for translated in strs:
            assert sorted(set(re.findall(r"%\(\w+\)s", translated))) == wanted, msgid
