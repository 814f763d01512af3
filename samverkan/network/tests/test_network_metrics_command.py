"""`manage.py network_metrics EDGES.csv`: the figures as JSON, or every problem of the file by row in Swedish."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]


def run(path: Path, *more: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("network_metrics", str(path), *more, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def refused(path: Path, *more: str) -> str:
    with pytest.raises(CommandError) as error:
        call_command("network_metrics", str(path), *more, stdout=io.StringIO())
    return str(error.value)


def write(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / "edges.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_a_comma_file_gives_the_figures_with_every_name_a_node_and_every_source_a_respondent(tmp_path: Path) -> None:
    path = write(tmp_path, "source,target,depth\nFK,AF,3\nAF,FK,2\nAF,Region,0\nFK,Kommunen,1\n")
    result = run(path)
    assert result["nodes"] == 4
    assert list(result["agencies"]) == ["FK", "AF", "Region", "Kommunen"]
    assert result["edges"] == 3
    assert result["density"] == pytest.approx(3 / 12)
    assert result["reciprocity"] == pytest.approx(2 / 3)
    assert result["non_respondents"] == ["Region", "Kommunen"]
    assert result["response_rate"] == 0.5


def test_excels_semicolon_csv_with_a_bom_and_decimal_commas_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\ufeffSource;Target;Depth;Trust;Value;Knows_whom_to_call\r\n"
        "Försäkringskassan;Arbetsförmedlingen;3;2,5;3;ja\r\n"
        "Arbetsförmedlingen;Försäkringskassan;1;;;Nej\r\n"
        ";;;;;\r\n"
        "Arbetsförmedlingen;Östra Göinge kommun;0;4;1;yes\r\n",
    )
    result = run(path)
    assert result["agencies"]["Arbetsförmedlingen"]["mean_trust_received"] == 2.5
    assert result["agencies"]["Östra Göinge kommun"]["mean_value_received"] == 1.0
    assert result["knows_whom_to_call"] == pytest.approx(2 / 4)


def test_a_windows_1252_file_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "source;target;depth\nÖstra Göinge;Försäkringskassan;2\n", encoding="cp1252")
    assert list(run(path)["agencies"]) == ["Östra Göinge", "Försäkringskassan"]


def test_min_depth_leaves_out_the_shallower_ties(tmp_path: Path) -> None:
    path = write(tmp_path, "source,target,depth\nA,B,4\nB,A,2\nA,C,1\n")
    assert run(path)["edges"] == 3
    assert run(path, "--min-depth", "3")["edges"] == 1


@pytest.mark.parametrize("value", ["0", "6", "tre"])
def test_a_min_depth_outside_one_to_five_is_refused_in_swedish(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, "source,target,depth\nA,B,4\n")
    assert "--min-depth måste vara ett heltal 1–5" in refused(path, "--min-depth", value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("source,depth\nA,1\n", "Rad 1: kolumnen ”target” saknas"),
        ("source,target,depht\nA,B,1\n", "Rad 1: kolumnen ”depth” saknas"),
        ("source,target,depth,trsut\nA,B,1,3\n", "Rad 1: okänd kolumn ”trsut”"),
        ("source,target,depth\nA,B,1\nB,C,6\n", "Rad 3: djupet måste vara ett heltal 0–5 (inte ”6”)"),
        ("source,target,depth\nA,B,-1\n", "Rad 2: djupet måste vara ett heltal 0–5"),
        ("source,target,depth\nA,B,2.5\n", "Rad 2: djupet måste vara ett heltal 0–5"),
        ("source,target,depth\nA,B,\n", "Rad 2: djupet måste vara ett heltal 0–5 (inte ””)"),
        ("source,target,depth,trust\nA,B,1,5\n", "Rad 2: förtroendet måste vara ett tal 1–4 (inte ”5”)"),
        ("source,target,depth,trust\nA,B,1,hög\n", "Rad 2: förtroendet måste vara ett tal 1–4"),
        ("source,target,depth,value\nA,B,1,0\n", "Rad 2: värdet måste vara ett tal 1–4"),
        ("source,target,depth\n,B,1\n", "Rad 2: namnet i kolumnen source saknas"),
        ("source,target,depth\nA,  ,1\n", "Rad 2: namnet i kolumnen target saknas"),
        ("source,target,depth\nA,B,1\nC,C,2\n", "Rad 3: C anger samverkan med sig själv"),
        ("source,target,depth\nA,B,1\nB,A,1\n A ,B,3\n", "Rad 4: paret A → B finns redan på rad 2"),
        (
            "source,target,depth,knows_whom_to_call\nA,B,1,kanske\n",
            "Rad 2: knows_whom_to_call måste vara ja, nej eller tomt (inte ”kanske”)",
        ),
        ("source,target,depth\nA,B,1,extra\n", "Rad 2: raden har fler celler (4) än rubrikraden (3)"),
        ('source,target,depth\n"A,B,1\n', "raden kan inte läsas som CSV"),
        ("source,target,depth\n", "inga rader med svar"),
        ("", "Filen är tom"),
        ("\n \n", "Filen är tom"),
    ],
    ids=[
        "missing column",
        "misspelt column",
        "unknown column",
        "depth above 5",
        "negative depth",
        "fractional depth",
        "empty depth",
        "trust above 4",
        "trust not a number",
        "value below 1",
        "empty source",
        "blank target",
        "self-tie",
        "duplicate pair",
        "bad yes/no",
        "extra cell",
        "unclosed quote",
        "header only",
        "empty file",
        "blank file",
    ],
)
def test_a_bad_file_is_refused_with_a_swedish_message_naming_the_row(tmp_path: Path, text: str, message: str) -> None:
    assert message in refused(write(tmp_path, text))


def test_every_bad_row_is_reported_not_only_the_first(tmp_path: Path) -> None:
    message = refused(write(tmp_path, "source,target,depth\nA,B,9\nA,A,1\nC,D,x\n"))
    assert [line.split(":")[0] for line in message.splitlines()] == ["Rad 2", "Rad 3", "Rad 4"]


def test_a_workbook_saved_as_csv_and_a_missing_file_are_refused_in_swedish(tmp_path: Path) -> None:
    workbook = tmp_path / "edges.csv"
    workbook.write_bytes(b"PK\x03\x04rest of a zip")
    assert "Excel-arbetsbok" in refused(workbook)
    assert "finns inte" in refused(tmp_path / "nowhere.csv")


def test_the_command_exits_non_zero_with_the_message_on_stderr(tmp_path: Path) -> None:
    path = write(tmp_path, "source,target,depth\nA,B,1\nB,C,7\n")
    done = subprocess.run(
        [sys.executable, "manage.py", "network_metrics", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "Rad 3: djupet måste vara ett heltal 0–5" in done.stderr
    assert done.stdout == ""


def test_svg_writes_the_map_as_a_standalone_svg_file_beside_the_json(tmp_path: Path) -> None:
    path = write(tmp_path, "source,target,depth\nFK,AF,3\nAF,FK,2\nAF,Region,1\n")
    picture = tmp_path / "karta.svg"
    result = run(path, "--svg", str(picture), "--min-depth", "2")
    assert result["edges"] == 2
    text = picture.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(text)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Samverkanskarta"  # type: ignore[union-attr]
    ties = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "tie"]
    assert len(ties) == 2
    hollow = [
        g.get("data-agency")
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "non-respondent" in (g.get("class") or "")
    ]
    assert hollow == ["Region"]


def test_an_svg_file_that_cannot_be_written_and_a_bad_seed_are_refused_in_swedish(tmp_path: Path) -> None:
    path = write(tmp_path, "source,target,depth\nFK,AF,3\n")
    assert "Kartan kan inte sparas" in refused(path, "--svg", str(tmp_path / "no" / "such" / "dir.svg"))
    assert "--seed måste vara ett heltal" in refused(path, "--seed", "x")
