"""Shared pieces of the participant import tests: an intervention, rows, and files built from them."""

from __future__ import annotations

import datetime
import io
from typing import Any

from openpyxl import Workbook

from samverkan.interventions.import_rows import COLUMNS
from samverkan.interventions.models import AnonymousParticipation, Intervention, Participant, ParticipantImport
from samverkan.tenancy.models import Association

TODAY = datetime.date(2026, 12, 1)
VALID_PERSONNUMMER = "19900101-0017"
OTHER_VALID_PERSONNUMMER = "19811218-9876"
BAD_PERSONNUMMER = "19900101-0018"


def intervention(
    association: Association, name: str = "Steget vidare", code: str = "steg", **extra: Any
) -> Intervention:
    values: dict[str, Any] = {"start": datetime.date(2025, 1, 1), **extra}
    return Intervention.objects.create(association=association, name=name, code=code, **values)


def row(**values: str) -> dict[str, str]:
    base = {
        "insats": "Steget vidare",
        "kod": "SV-1",
        "samtycke": "2026-01-10",
        "kön": "kvinna",
        "åldersgrupp": "25–29",
        "startdatum": "2026-01-12",
        "slutdatum": "2026-06-30",
        "utbildning": "gymnasial",
        "försörjning_start": "försörjningsstöd",
        "försörjning_slut": "lön/anställning",
        "avslutsorsak": "arbete",
        "status_90_dagar": "",
    }
    return {**base, **values}


def anonymous_row(**values: str) -> dict[str, str]:
    return row(**{"kod": "", "samtycke": "", "utbildning": "", "avslutsorsak": "", **values})


def csv_file(
    rows: list[dict[str, str]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    newline: str = "\r\n",
    columns: list[str] | None = None,
) -> io.BytesIO:
    columns = columns or list(dict.fromkeys(c for r in rows for c in r)) or list(COLUMNS)
    lines = [delimiter.join(columns)] + [delimiter.join(r.get(c, "") for c in columns) for r in rows]
    return io.BytesIO((newline.join(lines) + newline).encode(encoding))


def xlsx_file(rows: list[dict[str, str]]) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    columns = list(dict.fromkeys(c for r in rows for c in r))
    sheet.append(columns)
    for values in rows:
        sheet.append([values.get(c, "") for c in columns])
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def nothing_written() -> bool:
    return not (
        Participant.objects.exists() or AnonymousParticipation.objects.exists() or ParticipantImport.objects.exists()
    )


def stored() -> tuple[int, int, int]:
    """(participants, anonymous participations counted, imports recorded)."""
    anonymous = sum(AnonymousParticipation.objects.values_list("count", flat=True))
    return Participant.objects.count(), anonymous, ParticipantImport.objects.count()
