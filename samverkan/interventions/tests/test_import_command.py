"""`manage.py import_participants`: exit codes, messages, --dry-run and --template, with scoping enforced."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope
from openpyxl import load_workbook

from samverkan.interventions.import_rows import COLUMNS
from samverkan.interventions.tests.import_helpers import (
    BAD_PERSONNUMMER,
    anonymous_row,
    csv_file,
    intervention,
    nothing_written,
    row,
    stored,
)

pytestmark = pytest.mark.django_db


def command(*args: str) -> str:
    """Run the command as from a shell: tenant scoping enforced, the command picks its association."""
    out = io.StringIO()
    with scope():
        call_command("import_participants", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def steget(actors: Any) -> Any:
    return intervention(actors.association)


def write(tmp_path: Path, file: io.BytesIO, name: str = "deltagare.csv") -> str:
    path = tmp_path / name
    path.write_bytes(file.getvalue())
    return str(path)


def test_command_imports_a_valid_file_and_exits_0(actors: Any, steget: Any, tmp_path: Path) -> None:
    path = write(tmp_path, csv_file([row(), anonymous_row()], encoding="cp1252"))
    out = command("--association", "alfa", path)
    assert "Inläst (2 rader): 1 nya deltagare, 0 ändrade, 0 oförändrade, 1 anonyma deltaganden." in out
    assert stored() == (1, 1, 1)


def test_command_with_errors_exits_1_lists_every_row_and_writes_nothing(
    actors: Any, steget: Any, tmp_path: Path
) -> None:
    path = write(tmp_path, csv_file([row(kön="?"), row(kod="SV-2", personnummer=BAD_PERSONNUMMER)]))
    with pytest.raises(CommandError) as error:
        command("--association", "alfa", path)
    assert error.value.returncode == 1
    text = str(error.value)
    assert text.startswith("Filen har 2 fel och ingenting har sparats:")
    assert "Rad 2, kolumn kön" in text and "ogiltigt personnummer på rad 3" in text
    assert BAD_PERSONNUMMER not in text
    assert nothing_written()


def test_command_dry_run_checks_and_writes_nothing(actors: Any, steget: Any, tmp_path: Path) -> None:
    out = command("--association", "alfa", "--dry-run", write(tmp_path, csv_file([row()])))
    assert "Filen är korrekt (1 rader): 1 nya deltagare" in out and "Inget sparades (--dry-run)" in out
    assert nothing_written()


def test_command_dry_run_with_errors_exits_1(actors: Any, steget: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        command("--association", "alfa", "--dry-run", write(tmp_path, csv_file([row(startdatum="igår")])))


def test_command_same_file_twice_changes_nothing(actors: Any, steget: Any, tmp_path: Path) -> None:
    path = write(tmp_path, csv_file([row(), anonymous_row()]))
    command("--association", "alfa", path)
    out = command("--association", "alfa", path)
    assert "ingenting ändrades" in out and stored() == (1, 1, 1)


def test_command_xlsx_file(actors: Any, steget: Any, tmp_path: Path) -> None:
    from samverkan.interventions.tests.import_helpers import xlsx_file

    command("--association", "alfa", write(tmp_path, xlsx_file([row()]), "deltagare.xlsx"))
    assert stored() == (1, 0, 1)


def test_command_wrong_encoding_exits_1_with_one_sentence(actors: Any, steget: Any, tmp_path: Path) -> None:
    path = tmp_path / "utf16.csv"
    path.write_bytes(";".join(COLUMNS).encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-16"):
        command("--association", "alfa", str(path))


def test_command_unknown_association_or_file_exits_1(actors: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="finns inte"):
        command("--association", "okänt", write(tmp_path, csv_file([row()])))
    with pytest.raises(CommandError, match="finns inte"):
        command("--association", "alfa", str(tmp_path / "saknas.csv"))
    with pytest.raises(CommandError, match="--association"):
        command(str(tmp_path / "saknas.csv"))


def test_command_template_prints_the_header_and_examples(db: Any) -> None:
    out = command("--template")
    lines = out.splitlines()
    assert lines[0] == ";".join(COLUMNS) and len(lines) == 3


def test_command_xlsx_template_is_written_to_a_file(db: Any, tmp_path: Path) -> None:
    target = tmp_path / "mall.xlsx"
    command("--template", "--format", "xlsx", "--out", str(target))
    sheet = load_workbook(target, read_only=True).worksheets[0]
    assert [c.value for c in next(sheet.iter_rows(max_row=1))] == list(COLUMNS)
    with pytest.raises(CommandError, match="--out"):
        command("--template", "--format", "xlsx")
