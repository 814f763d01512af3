"""The calculation's Swedish messages, the `socioeconomic_calc` command and `POST /api/economics/calculate`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from samverkan.economics import calc, kpi_source
from samverkan.economics.actors import Actor
from samverkan.economics.messages import INPUT_LABELS, MESSAGES, input_label, scenario_error_message
from samverkan.economics.scenario_format import DEFAULT_MESSAGES
from samverkan.tenancy.services import api_token_create

SCENARIO: dict[str, Any] = {
    "name": "Prov",
    "price_year": 2025,
    "discount_rate": 0.0,
    "horizon_years": 2,
    "kpi": {"2022": 100.0, "2025": 110.0},
    "investments": [{"actor": "samordningsforbund", "year": 1, "amount": 400_000}],
    "outcomes": [
        {
            "name": "Arbete",
            "kind": "real",
            "actor": "samhallet",
            "amount_per_person_year": {"distribution": "pert", "low": 50_000, "mode": 100_000, "high": 150_000},
            "price_year": 2022,
            "persons": 2,
        }
    ],
    "draws": 500,
}


def test_every_error_code_has_a_gettext_message_with_the_pure_modules_swedish_text() -> None:
    assert set(MESSAGES) == set(DEFAULT_MESSAGES)
    with translation.override("sv"):
        for code, text in DEFAULT_MESSAGES.items():
            assert str(MESSAGES[code]) == text, code


def test_the_message_names_the_field() -> None:
    error = calc.ScenarioError("outcomes[1].amount_per_person_year", "negative")
    with translation.override("sv"):
        assert scenario_error_message(error) == "outcomes[1].amount_per_person_year får inte vara negativt."
    assert str(error) == "outcomes[1].amount_per_person_year får inte vara negativt."


def test_every_input_label_has_a_gettext_text_and_the_same_swedish_name() -> None:
    assert set(INPUT_LABELS) == set(calc.INPUT_LABELS)
    sc = calc.parse_scenario(
        SCENARIO
        | {"discount_rate": {"distribution": "pert", "low": 0.0, "mode": 0.01, "high": 0.02}, "decay": 0.1}
        | {"deadweight": {"distribution": "triangular", "low": 0, "mode": 0.1, "high": 0.2}}
    )
    with translation.override("sv"):
        for key, text in calc.INPUT_LABELS.items():
            assert str(INPUT_LABELS[key]) == text, key
        for bar in calc.tornado(sc, spread=0.1):
            assert input_label(sc, bar.field) == bar.name
        assert input_label(sc, "investments[0]") == "Investering år 1"
        assert input_label(sc, "investments[0].amount") == "Investering år 1 (Samordningsförbundet)"
        assert {code: str(label) for code, label in Actor.choices} == calc._ACTOR_NAMES


def run(path: Path, *args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("socioeconomic_calc", str(path), *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_calculation_as_json(tmp_path: Path) -> None:
    file = tmp_path / "scenario.json"
    file.write_text(json.dumps(SCENARIO), encoding="utf-8")
    out = run(file, "--no-kpi-from-db")
    # 2 persons × 100 000 × 110/100 a year for 2 years at r = 0: 440 000; cost 400 000.
    assert out["actors"]["totalt"]["gain"] == 440_000
    assert out["actors"]["totalt"]["npv"] == 40_000
    assert out["actors"]["forsakringskassan"]["cost"] == 200_000
    assert "npv_p50" in out["actors"]["totalt"] and out["tornado"]
    assert [y["year"] for y in out["years"]] == [1, 2]


@pytest.mark.django_db
def test_the_command_uses_the_database_kpi_by_default_when_there_is_one(tmp_path: Path) -> None:
    file = tmp_path / "scenario.json"
    file.write_text(json.dumps(SCENARIO), encoding="utf-8")
    assert run(file)["actors"]["totalt"]["gain"] == 440_000  # the scenario's own kpi wins for its years


def test_the_command_refuses_a_file_that_is_not_json_in_swedish(tmp_path: Path) -> None:
    file = tmp_path / "scenario.json"
    file.write_text('{"name": ', encoding="utf-8")
    with translation.override("sv"), pytest.raises(CommandError, match="inte giltig JSON"):
        run(file, "--no-kpi-from-db")


def test_the_command_names_the_bad_field(tmp_path: Path) -> None:
    file = tmp_path / "scenario.json"
    bad = json.loads(json.dumps(SCENARIO))
    bad["outcomes"][0]["persons"] = -1
    file.write_text(json.dumps(bad), encoding="utf-8")
    with translation.override("sv"), pytest.raises(CommandError) as caught:
        run(file, "--no-kpi-from-db")
    assert str(caught.value) == "outcomes[0].persons får inte vara negativt."


def test_the_command_refuses_a_missing_file(tmp_path: Path) -> None:
    with translation.override("sv"), pytest.raises(CommandError, match="finns inte"):
        run(tmp_path / "saknas.json", "--no-kpi-from-db")


def test_without_the_price_part_the_database_kpi_is_none_and_kpi_from_db_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kpi_source, "PRICES_SELECTORS", "samverkan.economics.no_such_module")
    assert kpi_source.database_kpi_table() is None
    file = tmp_path / "scenario.json"
    file.write_text(json.dumps(SCENARIO), encoding="utf-8")
    assert run(file)["actors"]["totalt"]["npv"] == 40_000
    with translation.override("sv"), pytest.raises(CommandError, match="KPI"):
        run(file, "--kpi-from-db")


URL = "/api/economics/calculate"


@pytest.fixture
def api(actors: Any) -> Client:
    _, token = api_token_create(association=actors.association, name="Alfa")
    return Client(headers={"Authorization": f"Bearer {token}"})


def post(client: Client, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json")


@pytest.mark.django_db
def test_the_api_answers_the_calculation(api: Client) -> None:
    response = post(api, SCENARIO)
    assert response.status_code == 200
    body = response.json()
    assert body["actors"]["totalt"]["npv"] == 40_000
    assert list(body["actors"]) == [*calc.RESULT_ACTORS, calc.TOTAL]
    assert body["tornado"][0]["field"] == "outcomes[0].amount_per_person_year"
    assert body["monte_carlo"] == {"draws": 500, "seed": 1}
    assert [item["field"] for item in body["items"]] == ["investments[0]", "outcomes[0]"]


@pytest.mark.django_db
def test_the_calculation_is_in_the_openapi_description(api: Client) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/economics/calculate"]


@pytest.mark.django_db
def test_the_api_needs_a_token(actors: Any) -> None:
    assert post(Client(), SCENARIO).status_code == 401
    assert post(Client(headers={"Authorization": "Bearer fel"}), SCENARIO).status_code == 401
    # A signed-in member's session is not an API token either.
    assert post(actors.client_for(actors.member), SCENARIO).status_code == 401


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "detail"),
    [
        ('{"name": ', "", "Scenariot är inte giltig JSON (rad 1, kolumn 10)."),
        ("[1, 2]", "", "Scenariot måste vara ett objekt med fält."),
        ("null", "", "Scenariot måste vara ett objekt med fält."),
        ("[" * 100_000, "", None),
        (SCENARIO | {"discount_rate": 1.5}, "discount_rate", "discount_rate måste vara minst 0 och mindre än 1."),
        (SCENARIO | {"draws": 10**9}, "draws", None),
        (SCENARIO | {"horizon_years": "5"}, "horizon_years", None),
        (SCENARIO | {"kpi": {"2022": 0}}, "kpi.2022", None),
        (SCENARIO | {"pool_split": {"kommun": 0.5}}, "pool_split", None),
        (SCENARIO | {"price_year": 2024}, "price_year", "price_year: KPI saknas för år 2024."),
        (SCENARIO | {"investments": [{"actor": "x", "year": 1, "amount": 1}]}, "investments[0].actor", None),
        (SCENARIO | {"outcomes": [{"name": "a", "kind": "gift"}]}, "outcomes[0].kind", None),
        (SCENARIO | {"deadweigth": 0.2}, "deadweigth", "deadweigth är inget fält i scenarioformatet."),
        (SCENARIO | {"seed": float("nan")}, "seed", None),
    ],
)
def test_bad_input_is_a_400_naming_the_field_never_a_500(
    api: Client, body: Any, field: str, detail: str | None
) -> None:
    with translation.override("sv"):
        response = post(api, body)
    assert response.status_code == 400, response.content
    answer = response.json()
    assert answer["field"] == field and answer["code"]
    if detail is not None:
        assert answer["detail"] == detail
    assert field in answer["detail"]


@pytest.mark.django_db
def test_a_body_over_the_upload_limit_is_refused_not_a_500(api: Client, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    with translation.override("sv"):
        response = post(api, SCENARIO | {"description": "x" * 20_000})
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Scenariot är för stort (högst 10000 byte).",
        "field": "",
        "code": "too_big",
    }
