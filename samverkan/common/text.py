"""Text that can be stored and exported: no NUL and no other C0 control characters.

A NUL cannot be stored in PostgreSQL text, and openpyxl refuses every C0 control
character in a cell, so one such character in a free-text answer broke the XLSX
export of the whole campaign for good. Tab, line feed and carriage return are
ordinary text. Checked where text comes in (answers, staff forms, paper files).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# C0 controls except tab (09), line feed (0A) and carriage return (0D), plus DEL (7F).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

TEXT_ENCODINGS = ("UTF-8", "Windows-1252")


def control_character(value: str) -> str | None:
    """The first forbidden control character in `value`, or None."""
    found = _CONTROL.search(value)
    return found.group() if found else None


def control_character_message(character: str) -> str:
    code = f"U+{ord(character):04X}"
    if character == "\x00":
        return _("Texten innehåller ett nolltecken (%(code)s), som inte kan sparas. Ta bort det och försök igen.") % {
            "code": code
        }
    return _(
        "Texten innehåller ett osynligt styrtecken (%(code)s), som inte kan sparas. Ta bort det och försök igen."
    ) % {"code": code}


def validate_no_control_characters(value: str) -> None:
    """Form field validator: text with NUL or another C0 control character is refused, in Swedish."""
    character = control_character(str(value))
    if character is not None:
        raise ValidationError(control_character_message(character), code="control_character")


def without_control_characters(value: str) -> str:
    """For showing a refused value back in a message (never for storing)."""
    return _CONTROL.sub("\ufffd", value)


class TextFileError(ValueError):
    """An uploaded file that is not text in an accepted encoding; the message is Swedish."""


def decode_text_file(data: bytes, *, control_characters_allowed: bool = False) -> str:
    """A text file as saved by people: UTF-8 (with or without BOM), else Windows-1252 (Excel "CSV" in Sweden).

    Anything else (UTF-16 "Unicode text", an .xlsx workbook, an image) is refused with a message
    saying how to save the file: decoding it as Windows-1252 would give garbage with control characters.
    `control_characters_allowed`: the caller reports them itself, per row and column (the paper import).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TextFileError(
            _("Filen är sparad som UTF-16 (”Unicode-text”). Spara den som CSV (UTF-8) eller CSV (semikolonavgränsad).")
        )
    if data.startswith(b"PK\x03\x04"):
        raise TextFileError(_("Filen är en Excel-arbetsbok, inte en CSV-fil. Välj Spara som → CSV (UTF-8)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            text = None
    if text is None or (not control_characters_allowed and control_character(text) is not None):
        raise TextFileError(
            _("Filen går inte att läsa som text (UTF-8 eller Windows-1252). Spara den som CSV (UTF-8) och försök igen.")
        )
    return text
