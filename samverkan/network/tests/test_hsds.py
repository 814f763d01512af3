"""The directory as Open Referral HSDS 3.0: every exported record valid against the OFFICIAL schemas
(read from the spec's own files, never copied), the CSV tables and datapackage.json as the spec
describes them, consent before a named person leaves, and the import all or nothing."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope

from samverkan.common.factories import AssociationFactory
from samverkan.network.hsds import (
    CSV_TABLES,
    ENTITY_FILES,
    JSON_DIR,
    directory_records,
    hsds_export,
    organization_id,
)
from samverkan.network.hsds_import import HsdsImportError, hsds_import, hsds_package_read
from samverkan.network.hsds_schema import SPEC_ENV, SpecMissing, load_spec, spec_root, validate_record
from samverkan.network.models import ContactRoute, Location, Schedule, Service, ServiceAtLocation
from samverkan.network.tests.hsds_fixtures import build_directory, official_spec

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(actors: Any) -> dict[str, Any]:
    return build_directory(actors.association)


@pytest.fixture
def package(actors: Any, directory: dict[str, Any], tmp_path: Path) -> Path:
    out = tmp_path / "paket"
    hsds_export(association=actors.association, out=out, created="2026-12-01T12:00:00+00:00")
    return out


def _json(package: Path, entity: str) -> list[dict[str, Any]]:
    return json.loads((package / JSON_DIR / ENTITY_FILES[entity]).read_text(encoding="utf-8"))


def _write_json(package: Path, entity: str, records: Any) -> None:
    (package / JSON_DIR / ENTITY_FILES[entity]).write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")


def _directory_snapshot(association: Any) -> dict[str, Any]:
    """The directory's content without ids or database keys: what a round trip must keep."""
    with scope(association=association):
        services = {
            s.name: (
                s.agency.name,
                s.description,
                s.target_group,
                s.application_process,
                s.eligibility,
                sorted(s.needs),
                list(s.municipalities),
                list(s.languages),
                s.status,
                s.url,
                s.email,
                s.last_confirmed_on,
            )
            for s in Service.objects.filter(association=association)
        }
        locations = {
            loc.name: (
                loc.agency.name,
                loc.street,
                loc.postal_code,
                loc.city,
                loc.municipality,
                loc.accessibility,
                loc.latitude,
                loc.longitude,
            )
            for loc in Location.objects.filter(association=association)
        }
        links = sorted(
            (link.service.name, link.location.name)
            for link in ServiceAtLocation.objects.filter(service__association=association)
        )
        routes = sorted(
            (r.service.name, r.kind, r.name, r.title, r.email, r.phone, r.phone_hours, str(r.consent_on))
            for r in ContactRoute.objects.filter(service__association=association)
        )
        schedules = sorted(
            (
                s.service.name,
                s.service_at_location.location.name if s.service_at_location else "",
                s.byday,
                str(s.opens_at),
                str(s.closes_at),
                s.description,
            )
            for s in Schedule.objects.filter(service__association=association)
        )
    return {"services": services, "locations": locations, "links": links, "routes": routes, "schedules": schedules}


# --- the spec ----------------------------------------------------------------------------------------


def test_the_spec_is_read_from_the_shared_directory_or_the_environment(tmp_path: Path, monkeypatch: Any) -> None:
    default = tmp_path / "inte-här"
    assert spec_root(default, {}) == default
    assert spec_root(default, {SPEC_ENV: "/x/hsds"}) == Path("/x/hsds")
    with pytest.raises(SpecMissing, match=SPEC_ENV):
        load_spec(default)
    spec = official_spec()
    assert {"service", "organization", "location", "phone"} <= set(spec.schemas)
    assert "schema" in str(spec.schema_uri("service"))


def test_the_validator_resolves_references_across_the_schema_files() -> None:
    spec = official_spec()
    example = json.loads((spec.root / "examples" / "service_full.json").read_text(encoding="utf-8"))
    assert validate_record(spec, "service", example, file="service_full.json") == []
    example["organization"]["phones"][0]["number"] = 46  # two files away: service -> organization -> phone
    problems = validate_record(spec, "service", example, file="service_full.json")
    assert [(p.field, p.code) for p in problems] == [("organization.phones[0].number", "type")]


# --- the export --------------------------------------------------------------------------------------


def test_every_exported_json_record_validates_against_the_official_schema(actors: Any, package: Path) -> None:
    spec = official_spec()
    counts = {}
    for entity, name in ENTITY_FILES.items():
        records = _json(package, entity)
        counts[entity] = len(records)
        for record in records:
            assert validate_record(spec, entity, record, file=name) == [], (entity, record)
    assert counts == {
        "organization": 4,
        "service": 2,
        "location": 2,
        "service_at_location": 1,
        "contact": 3,
        "phone": 2,
        "schedule": 2,
    }


def test_the_export_keeps_swedish_text_and_fills_what_the_schema_requires(
    actors: Any, package: Path, directory: Any
) -> None:
    services = {s["name"]: s for s in _json(package, "service")}
    rehab = services["Samordnad rehabilitering"]
    assert rehab["description"].startswith("Stöd tillbaka till arbete efter sjukskrivning – för dig")
    assert rehab["status"] == "active" and services["Ekonomiskt bistånd"]["status"] == "inactive"
    assert [lang["code"] for lang in rehab["languages"]] == ["sv", "ar"]
    assert [area["name"] for area in rehab["service_areas"]] == ["Testby", "Åby"]
    assert rehab["assured_date"] == "2026-10-01"
    office = next(loc for loc in _json(package, "location") if loc["name"] == "Kontoret på Storgatan")
    (address,) = office["addresses"]
    # HSDS requires state_province and country: the association's county (län) and SE.
    assert address["state_province"] == actors.association.county
    assert (address["country"], address["region"], address["address_1"]) == ("SE", "Testby", "Storgatan 1")
    bare = next(loc for loc in _json(package, "location") if loc["name"] == "Medborgarkontoret")
    assert "addresses" not in bare  # no street: no address rather than an address the spec refuses
    organizations = {o["name"]: o for o in _json(package, "organization")}
    assert organizations["Försäkringskassan"]["description"] == "Försäkringskassan"


def test_re_exports_keep_every_id(actors: Any, directory: Any) -> None:
    first, again = directory_records(actors.association), directory_records(actors.association)
    assert first == again
    rehab = next(s for s in first["service"] if s["name"] == "Samordnad rehabilitering")
    assert rehab["id"] == str(directory["rehab"].uuid)
    fk = directory["rehab"].agency
    assert rehab["organization_id"] == organization_id(fk)
    assert organization_id(fk) == organization_id(type(fk).objects.get(pk=fk.pk))


def test_a_named_person_without_consent_is_never_exported(actors: Any, directory: Any, package: Path) -> None:
    everything = json.dumps([_json(package, e) for e in ENTITY_FILES], ensure_ascii=False)
    everything += "".join(p.read_text(encoding="utf-8") for p in package.glob("*.csv"))
    assert "Hemlig Person" not in everything
    assert "hemlig@fk.example.se" not in everything and "070-999 99 99" not in everything
    assert str(directory["secret"].uuid) not in everything
    # The one who consented is there, with the consent date as the attribute's value.
    (person,) = [c for c in _json(package, "contact") if c["name"] == "Åsa Öberg"]
    assert person["attributes"][0]["taxonomy_term"]["code"] == "kontakt-person"
    assert person["attributes"][0]["value"] == "2026-09-01"


def test_the_csv_tables_have_the_columns_tabular_json_lists(package: Path) -> None:
    spec = official_spec()
    tables = spec.tables()
    raw = json.loads((spec.root / "schema" / "tabular.json").read_text(encoding="utf-8"))["properties"]
    for name in CSV_TABLES:
        table = tables[name]
        assert table.path == raw[name]["items"]["path"]
        with (package / table.path).open(encoding="utf-8", newline="") as file:
            rows = list(csv.reader(file))
        header = rows[0]
        scalar = [k for k, v in raw[name]["items"]["properties"].items() if v.get("type") not in ("array", "object")]
        scalar = [k for k in scalar if "$ref" not in raw[name]["items"]["properties"][k]]
        assert header == scalar, name
        required = set(raw[name]["items"].get("required", ())) | set(raw[name]["items"].get("tabular_required", ()))
        for row in rows[1:]:
            values = dict(zip(header, row, strict=True))
            assert all(values[column] for column in required), (name, values)
    with (package / "services.csv").open(encoding="utf-8", newline="") as file:
        names = {row["name"] for row in csv.DictReader(file)}
    assert names == {"Samordnad rehabilitering", "Ekonomiskt bistånd"}


def test_datapackage_json_describes_the_tables_as_the_spec_does(package: Path) -> None:
    spec = official_spec()
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["profile"] == spec.datapackage["profile"] == "tabular-data-package"
    assert descriptor["name"] == "samverkan-alfa-katalog"
    assert descriptor["hsds_version"] == spec.datapackage["version"]
    spec_resources = {r["name"]: r for r in spec.datapackage["resources"]}
    names = [resource["name"] for resource in descriptor["resources"]]
    assert sorted(names) == sorted(CSV_TABLES)
    for resource in descriptor["resources"]:
        official = spec_resources[resource["name"]]
        assert (package / resource["path"]).is_file()
        for key in ("path", "format", "mediatype", "profile"):
            assert resource[key] == official[key], (resource["name"], key)
        assert resource["schema"]["fields"] == official["schema"]["fields"]
        assert resource["schema"]["primaryKey"] == official["schema"]["primaryKey"]
        keys = resource["schema"].get("foreignKeys", [])
        assert all(key in official["schema"].get("foreignKeys", []) for key in keys)
        assert all(key["reference"]["resource"] in names for key in keys)  # no key points out of the package
        with (package / resource["path"]).open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file))
        assert header == [f["name"] for f in official["schema"]["fields"]]
    services = next(r for r in descriptor["resources"] if r["name"] == "service")
    assert {"fields": "organization_id", "reference": {"resource": "organization", "fields": "id"}} in services[
        "schema"
    ]["foreignKeys"]


def test_every_csv_row_validates_against_its_schema_and_its_foreign_keys_resolve(package: Path) -> None:
    spec = official_spec()
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    ids: dict[str, set[str]] = {}
    rows: dict[str, list[dict[str, str]]] = {}
    for resource in descriptor["resources"]:
        with (package / resource["path"]).open(encoding="utf-8", newline="") as file:
            rows[resource["name"]] = list(csv.DictReader(file))
        ids[resource["name"]] = {row["id"] for row in rows[resource["name"]]}
    from samverkan.network.hsds_schema import csv_records

    tables = spec.tables()
    for resource in descriptor["resources"]:
        text = (package / resource["path"]).read_text(encoding="utf-8")
        records, problems = csv_records(tables[resource["name"]], text, file=resource["path"])
        assert problems == []
        for record in records:
            record.pop("__row__")
            assert validate_record(spec, resource["name"], record, file=resource["path"]) == []
        for key in resource["schema"].get("foreignKeys", []):
            for row in rows[resource["name"]]:
                if row[key["fields"]]:
                    assert row[key["fields"]] in ids[key["reference"]["resource"]], (resource["name"], key, row)


def test_export_hsds_command_writes_the_package(actors: Any, directory: Any, tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("export_hsds", association="alfa", out=str(tmp_path / "ut"), stdout=out)
    assert "HSDS-paketet är skrivet" in out.getvalue()
    assert (tmp_path / "ut" / "datapackage.json").is_file()
    assert (tmp_path / "ut" / JSON_DIR / "services.json").is_file()
    with pytest.raises(CommandError, match="finns inte"):
        call_command("export_hsds", association="ingen", out=str(tmp_path / "x"))


# --- the import --------------------------------------------------------------------------------------


def _fresh_twin(actors: Any) -> Any:
    """An empty association with the same member agencies."""
    twin = AssociationFactory(name="Samordningsförbundet Gamma", slug="gamma")
    twin.agencies.set(actors.association.agencies.all())
    return twin


@pytest.mark.parametrize("source", ["json", "csv"])
def test_a_round_trip_into_an_empty_association_gives_the_same_directory(
    actors: Any, directory: Any, package: Path, source: str
) -> None:
    if source == "csv":
        shutil.rmtree(package / JSON_DIR)
    twin = _fresh_twin(actors)
    with scope(association=twin):
        result = hsds_import(association=twin, package=hsds_package_read(package))
    assert result.written and result.created["service"] == 2 and result.created["contact"] == 3
    expected = _directory_snapshot(actors.association)
    expected["routes"] = [r for r in expected["routes"] if r[2] != "Hemlig Person"]  # never exported
    assert _directory_snapshot(twin) == expected
    # The directory's search reads the imported services (their search text is made as the directory makes it).
    assert all(s.search_text for s in Service.objects.filter(association=twin))
    # Importing it again changes nothing (updated by id, nothing new).
    with scope(association=twin):
        again = hsds_import(association=twin, package=hsds_package_read(package))
    assert sum(again.created.values()) == 0
    assert _directory_snapshot(twin) == expected
    # The source association's rows are untouched (their ids are not taken over).
    assert Service.objects.filter(association=actors.association).count() == 2


def test_a_re_import_into_the_same_association_keeps_the_ids(actors: Any, directory: Any, package: Path) -> None:
    with scope(association=actors.association):
        Service.objects.filter(association=actors.association).delete()
        Location.objects.filter(association=actors.association).delete()
        hsds_import(association=actors.association, package=hsds_package_read(package))
    assert Service.objects.get(name="Samordnad rehabilitering").uuid == directory["rehab"].uuid
    assert ContactRoute.objects.get(name="Mottagningen").uuid == directory["reception"].uuid
    assert {str(s["id"]) for s in _json(package, "service")} == {
        str(u) for u in Service.objects.filter(association=actors.association).values_list("uuid", flat=True)
    }


def test_dry_run_checks_and_writes_nothing(actors: Any, directory: Any, package: Path) -> None:
    twin = _fresh_twin(actors)
    out = io.StringIO()
    call_command("import_hsds", str(package), association="gamma", dry_run=True, stdout=out)
    assert "Inget sparades" in out.getvalue()
    assert not Service.objects.filter(association=twin).exists()
    call_command("import_hsds", str(package), association="gamma", stdout=out)
    assert Service.objects.filter(association=twin).count() == 2


def _problems(association: Any, package: Path) -> list[str]:
    with scope(association=association), pytest.raises(HsdsImportError) as caught:
        hsds_import(association=association, package=hsds_package_read(package))
    return caught.value.messages()


def test_a_broken_json_package_names_every_bad_record_and_writes_nothing(
    actors: Any, directory: Any, package: Path
) -> None:
    twin = _fresh_twin(actors)
    services = _json(package, "service")
    rehab = next(s for s in services if s["name"] == "Samordnad rehabilitering")
    ekonomi = next(s for s in services if s["name"] == "Ekonomiskt bistånd")
    del rehab["name"]  # missing required field
    ekonomi["minimum_age"] = "sexton"  # wrong type
    _write_json(package, "service", services)
    organizations = _json(package, "organization")
    organizations.append({"id": "0f0f0f0f-0000-4000-8000-000000000001", "name": "Okänd myndighet", "description": "x"})
    _write_json(package, "organization", organizations)
    links = _json(package, "service_at_location")
    links[0]["location_id"] = "0f0f0f0f-0000-4000-8000-000000000002"  # bad reference
    _write_json(package, "service_at_location", links)
    (package / JSON_DIR / ENTITY_FILES["schedule"]).write_text("[{", encoding="utf-8")  # invalid JSON

    messages = _problems(twin, package)
    text = "\n".join(messages)
    assert f"json/services.json, post {rehab['id']}, fält name: saknas men krävs" in messages
    assert f"json/services.json, post {ekonomi['id']}, fält minimum_age: ska vara ett tal" in text
    assert "json/organizations.json, post 0f0f0f0f-0000-4000-8000-000000000001, fält name: är ingen medlem" in text
    assert (
        f"json/service_at_locations.json, post {links[0]['id']}, fält location_id: pekar på location "
        "0f0f0f0f-0000-4000-8000-000000000002 som inte finns i paketet"
    ) in messages
    assert "json/schedules.json: är inte giltig JSON" in text
    assert not Service.objects.filter(association=twin).exists()
    assert not Location.objects.filter(association=twin).exists()


def test_a_broken_csv_package_names_file_row_and_field(actors: Any, directory: Any, package: Path) -> None:
    shutil.rmtree(package / JSON_DIR)
    twin = _fresh_twin(actors)
    path = package / "services.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    rows[0]["status"] = "öppen"
    rows[1]["organization_id"] = "inte-ett-uuid"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    phones = package / "phones.csv"
    lines = phones.read_text(encoding="utf-8").splitlines()
    phones.write_text("\r\n".join([lines[0].replace(",number", ",nummer"), *lines[1:]]) + "\r\n", encoding="utf-8")

    messages = _problems(twin, package)
    text = "\n".join(messages)
    assert "services.csv, rad 2, fält status: har ett värde som inte är tillåtet" in text
    assert "services.csv, rad 3, fält organization_id: ska vara ett UUID" in text
    assert "phones.csv, fält nummer: är ingen kolumn i HSDS 3.0" in text
    assert "phones.csv, fält number: saknas som kolumn men krävs" in text
    assert not Service.objects.filter(association=twin).exists()


def test_a_named_person_without_consent_date_is_refused_on_import(actors: Any, directory: Any, package: Path) -> None:
    twin = _fresh_twin(actors)
    contacts = _json(package, "contact")
    person = next(c for c in contacts if c["name"] == "Åsa Öberg")
    del person["attributes"][0]["value"]
    _write_json(package, "contact", contacts)
    messages = _problems(twin, package)
    assert any("en namngiven person får bara stå i katalogen med samtycke" in m for m in messages)
    assert not ContactRoute.objects.filter(service__association=twin).exists()


def test_an_organization_matches_a_member_by_name_when_its_id_is_someone_elses(
    actors: Any, directory: Any, package: Path
) -> None:
    twin = _fresh_twin(actors)
    organizations = _json(package, "organization")
    old = {o["name"]: o["id"] for o in organizations}
    new_id = "11111111-2222-4333-8444-555555555555"
    for org in organizations:
        if org["name"] == "Försäkringskassan":
            org["id"], org["name"] = new_id, "  försäkringskassan "
    _write_json(package, "organization", organizations)
    for entity in ("service", "location"):
        records = _json(package, entity)
        for record in records:
            if record["organization_id"] == old["Försäkringskassan"]:
                record["organization_id"] = new_id
        _write_json(package, entity, records)
    with scope(association=twin):
        hsds_import(association=twin, package=hsds_package_read(package))
    assert Service.objects.get(association=twin, name="Samordnad rehabilitering").agency.name == "Försäkringskassan"


def test_import_hsds_command_lists_every_problem(actors: Any, directory: Any, package: Path) -> None:
    _fresh_twin(actors)
    services = _json(package, "service")
    for service in services:
        del service["status"]
    _write_json(package, "service", services)
    with pytest.raises(CommandError) as caught:
        call_command("import_hsds", str(package), association="gamma")
    assert "Paketet har 2 fel och ingenting har sparats" in str(caught.value)
    assert str(caught.value).count("fält status: saknas men krävs") == 2


def test_our_own_rules_beyond_the_schema_are_reported_per_record(actors: Any, directory: Any, package: Path) -> None:
    twin = _fresh_twin(actors)
    services = _json(package, "service")
    rehab = next(s for s in services if s["name"] == "Samordnad rehabilitering")
    twin_service = {**rehab, "id": "22222222-2222-4222-8222-222222222222"}  # same agency and name
    twin_service.pop("languages")
    ekonomi = next(s for s in services if s["name"] == "Ekonomiskt bistånd")
    ekonomi["languages"] = [{"id": "33333333-3333-4333-8333-333333333333", "code": "xx"}]
    services.append(twin_service)
    services.append(dict(services[0]))  # the same id twice
    _write_json(package, "service", services)
    phones = _json(package, "phone")
    phones.append({**phones[0], "id": "44444444-4444-4444-8444-444444444444"})  # a second number for a contact
    phones.append({"id": "55555555-5555-4555-8555-555555555555", "number": "010-1"})  # no contact
    _write_json(package, "phone", phones)
    schedules = _json(package, "schedule")
    schedules[0]["byday"] = "måndag"
    _write_json(package, "schedule", schedules)

    messages = _problems(twin, package)
    text = "\n".join(messages)
    assert "fält name: en annan tjänst hos samma myndighet heter redan" in text
    assert f"json/services.json, post {services[0]['id']}, fält id: finns två gånger i paketet" in messages
    assert "fält languages: Okända språkkoder: xx." in text
    assert "json/phones.json, post 44444444-4444-4444-8444-444444444444, fält contact_id: kontakten har redan" in text
    assert (
        "json/phones.json, post 55555555-5555-4555-8555-555555555555, fält contact_id: ett telefonnummer måste höra "
        "till en kontakt"
    ) in text
    assert f"json/schedules.json, post {schedules[0]['id']}, fält byday: Välj minst en veckodag." in messages
    assert not Service.objects.filter(association=twin).exists()


def test_another_associations_ids_are_never_taken_over(actors: Any, directory: Any, package: Path) -> None:
    twin = _fresh_twin(actors)
    with scope(association=twin):
        hsds_import(association=twin, package=hsds_package_read(package))
    ours = set(Service.objects.filter(association=actors.association).values_list("uuid", flat=True))
    theirs = set(Service.objects.filter(association=twin).values_list("uuid", flat=True))
    assert ours == {directory["rehab"].uuid, directory["ekonomi"].uuid}
    assert len(theirs) == 2 and not ours & theirs
    assert Service.objects.get(pk=directory["rehab"].pk).association == actors.association


def test_a_missing_spec_fails_the_tests_with_a_clear_message(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv(SPEC_ENV, str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match=r"HSDS 3\.0 specification is needed"):
        official_spec()
