"""Reading a participant file, row by row: CSV (UTF-8 with or without BOM, or Excel's Windows-1252; `;`, `,`
or tab) or an XLSX workbook (its first sheet).

Nothing here holds the file as Python objects per cell: a CSV file is decoded in chunks (once to find its
encoding, then again while the rows are read) and an XLSX sheet is read with openpyxl's read-only, streaming
parser. `open_participant_file` checks the size, the kind and the encoding and returns a `RowFile` whose
`rows()` may be iterated more than once (the import validates the whole file first, then reads it again to
write). Row numbers are the ones a spreadsheet shows: the header is row 1, and a blank row keeps its number.
What is wrong is said in Swedish, in `FileError.message`; the caller reports it.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

DELIMITERS = (";", ",", "\t")
# 100,000 participations take about 12 MB as CSV; the limit leaves room and stops a runaway export early.
DEFAULT_MAX_BYTES = 40 * 1024 * 1024
# A workbook is compressed: its unpacked sheets may be at most this many times the file limit (a zip bomb stops).
XLSX_UNPACKED_FACTOR = 8
CHUNK = 1 << 16
CELL_MAX_CHARACTERS = 200  # no value of a participant file is longer; a longer cell is a broken file


class FileError(ValueError):
    """The file as a whole cannot be read; `message` says why and what to do, in Swedish."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def max_bytes() -> int:
    return int(getattr(settings, "SAMVERKAN_PARTICIPANT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_text(size: int) -> str:
    """1,5 MB or 820 kB, with a decimal comma."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    return f"{max(1, round(size / 1024))} kB"


def too_large_message(size: int | None, limit: int) -> str:
    if size is None:
        return _("Filen är för stor: högst %(limit)s. Dela upp den i flera filer (till exempel per insats).") % {
            "limit": _size_text(limit)
        }
    return _("Filen är för stor (%(size)s): högst %(limit)s. Dela upp den i flera filer (till exempel per insats).") % {
        "size": _size_text(size),
        "limit": _size_text(limit),
    }


def _size(file: IO[bytes]) -> int:
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV file would hold: dates as YYYY-MM-DD, whole numbers without ",0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class RowFile:
    """An opened participant file. `rows()` yields (row number, cells as text), header row included."""

    file: IO[bytes]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""  # CSV only: "utf-8-sig" or "cp1252"
    delimiter: str = ""

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        self.file.seek(0)
        if self.kind == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._csv_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        text = io.TextIOWrapper(self.file, encoding=self.encoding, newline="")
        try:
            # strict: an unclosed quote is an error, not a silent merge of every row after it.
            reader = csv.reader(text, delimiter=self.delimiter, strict=True)
            number = 0
            while True:
                number += 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise RowFileError(number, csv_error_message(error)) from None
                yield number, values
        finally:
            text.detach()  # leave the caller's file open

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.file, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a damaged workbook
            raise FileError(
                _("Excel-filen kan inte läsas (den är skadad eller inte en .xlsx-arbetsbok). Spara den igen som .xlsx.")
            ) from None
        try:
            sheet = workbook.worksheets[0]
            # min_row=1: openpyxl fills in rows the sheet leaves out, so the count stays the row number shown.
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        finally:
            workbook.close()


class RowFileError(ValueError):
    """A row the reader cannot get past (an unclosed quote): reported at its row, the file is read no further."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def csv_error_message(error: csv.Error) -> str:
    """Python's csv messages, in Swedish and saying what to fix."""
    text = str(error)
    if "field larger than field limit" in text:
        return _("en cell är orimligt lång. Kontrollera citattecknen.")
    if "unexpected end of data" in text or "EOF" in text:
        return _(
            'ett citattecken (") öppnar en cell men stängs aldrig, så resten av filen blev en enda cell. '
            "Lägg till det avslutande citattecknet."
        )
    if "expected after" in text:
        return _('efter ett avslutande citattecken (") måste en avgränsare eller radslut följa.')
    if "NUL" in text or "null byte" in text:
        return _("raden innehåller ett nolltecken. Spara filen som CSV igen.")
    return _("raden kan inte läsas som CSV.")


def _decodes(file: IO[bytes], encoding: str) -> bool:
    """Whether the whole file decodes, read in chunks (nothing kept)."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        while chunk := file.read(CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _header_line(file: IO[bytes], encoding: str) -> str:
    file.seek(0)
    text = io.TextIOWrapper(file, encoding=encoding, newline="")
    try:
        for line in text:
            if line.strip():
                return line
        return ""
    finally:
        text.detach()


def delimiter_of(header_line: str) -> str:
    return max(DELIMITERS, key=lambda d: (header_line.count(d), -DELIMITERS.index(d)))


def _check_workbook_size(file: IO[bytes], limit: int) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileError(
            _("Excel-filen kan inte läsas (den är skadad eller inte en .xlsx-arbetsbok). Spara den igen som .xlsx.")
        ) from None
    if unpacked > limit * XLSX_UNPACKED_FACTOR:
        raise FileError(too_large_message(None, limit))


def open_participant_file(file: IO[bytes], *, limit: int | None = None) -> RowFile:
    """Check size, kind and encoding; raise FileError with a Swedish message when the file cannot be read.

    The kind comes from the content, not the name: a workbook saved under a .csv name is still read.
    """
    limit = max_bytes() if limit is None else limit
    size = _size(file)
    if size > limit:
        raise FileError(too_large_message(size, limit))
    file.seek(0)
    start = file.read(8)
    file.seek(0)
    if size == 0:
        raise FileError(_("Filen är tom."))
    if start.startswith(b"PK\x03\x04"):
        _check_workbook_size(file, limit)
        return RowFile(file=file, kind="xlsx")
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(
            _("Filen är i det gamla Excel-formatet (.xls). Spara den som Excel-arbetsbok (.xlsx) eller som CSV.")
        )
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileError(
            _(
                "Filen är sparad som UTF-16 (”Unicode-text”). Spara den som CSV UTF-8 (kommaavgränsad) "
                "eller CSV (semikolonavgränsad)."
            )
        )
    for encoding in ("utf-8-sig", "cp1252"):
        if _decodes(file, encoding):
            break
    else:
        raise FileError(
            _(
                "Filen går inte att läsa som text i UTF-8 eller Windows-1252. "
                "Spara den som CSV UTF-8 eller CSV (semikolonavgränsad) och försök igen."
            )
        )
    if "\x00" in start.decode(encoding, errors="replace"):
        raise FileError(_("Filen innehåller nolltecken och är inte en textfil. Spara den som CSV och försök igen."))
    delimiter = delimiter_of(_header_line(file, encoding))
    file.seek(0)
    return RowFile(file=file, kind="csv", encoding=encoding, delimiter=delimiter)
