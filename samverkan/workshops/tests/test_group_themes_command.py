"""`manage.py group_themes`: JSON on stdout covering every non-empty line once; Swedish errors, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED_FILE = FIXTURES / "seed_answers.txt"
ROOT = Path(__file__).resolve().parents[3]


def group(*args: str) -> list[dict]:
    out = StringIO()
    call_command("group_themes", *args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def numbers(result: list[dict]) -> list[int]:
    return sorted(n for theme in result for n in theme["answers"])


def test_every_non_empty_line_is_in_exactly_one_theme_by_line_number(tmp_path: Path) -> None:
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    file = tmp_path / "svar.txt"
    file.write_text("\n".join([lines[0], "", "   ", *lines[1:5], ""]), encoding="utf-8")
    result = group(str(file))
    assert numbers(result) == [1, 4, 5, 6, 7]
    assert all(isinstance(t["label"], str) and t["label"] for t in result)


def test_the_seed_file_with_k_and_seed_is_deterministic() -> None:
    first = group(str(SEED_FILE), "--k", "4", "--seed", "5")
    assert len(first) == 4 and numbers(first) == list(range(1, 23))
    assert group(str(SEED_FILE), "--k", "4", "--seed", "5") == first


def test_a_windows_1252_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "svar.txt"
    file.write_bytes("Åtgärder för individen\nSamverkan är självklar\n".encode("cp1252"))
    assert numbers(group(str(file))) == [1, 2]


def test_a_codebook_file_keeps_its_labels(tmp_path: Path) -> None:
    codebook = tmp_path / "kodbok.json"
    codebook.write_text(
        json.dumps([{"label": "Individen i centrum", "definition": "", "answers": ["Individers behov i centrum"]}]),
        encoding="utf-8",
    )
    result = group(str(SEED_FILE), "--codebook", str(codebook))
    assert result[0]["label"] == "Individen i centrum" and 6 in result[0]["answers"]
    assert numbers(result) == list(range(1, 23))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["finns-inte.txt"], "Filen finns-inte.txt finns inte"),
        ([str(FIXTURES)], "är en mapp"),
        ([str(SEED_FILE), "--k", "0"], "--k ska vara minst 1"),
        ([str(SEED_FILE), "--k", "tre"], "--k ska vara ett heltal, inte ”tre”"),
        ([str(SEED_FILE), "--k", "23"], "Det går inte att bilda 23 teman av 22 svar"),
        ([str(SEED_FILE), "--seed", "-1"], "--seed ska vara minst 0"),
        ([str(SEED_FILE), "--codebook", "saknas.json"], "Filen saknas.json finns inte"),
    ],
)
def test_bad_input_is_a_swedish_command_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        group(*args)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[{"label": ', r"är inte giltig JSON \(rad 1, kolumn 12"),
        ('{"label": "x"}', "JSON-lista"),
        ('[{"label": ""}]', "Tema 1 i kodboken saknar namn"),
    ],
)
def test_a_bad_codebook_is_a_swedish_command_error(tmp_path: Path, body: str, message: str) -> None:
    codebook = tmp_path / "kodbok.json"
    codebook.write_text(body, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        group(str(SEED_FILE), "--codebook", str(codebook))


def test_from_the_shell_a_bad_k_exits_non_zero_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "group_themes", str(SEED_FILE), "--k", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "--k ska vara minst 1" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
