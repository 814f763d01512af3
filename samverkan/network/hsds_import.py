"""An HSDS 3.0 package into the directory: every record checked first, then all written, or nothing.

`hsds_package_read(path)` reads a package written by `export_hsds` (or by anyone else): the JSON
files under `json/` when they are there, else the CSV tables named in `datapackage.json` (or, without
one, the spec's file names). `hsds_import(association=..., package=..., dry_run=...)` validates every
record against the official schemas (network/hsds_schema.py) and our own rules, and raises
`HsdsImportError` with every problem found (file, record, field, Swedish message); only when there is
none does it create or update the rows, in one transaction.

Our rules, beyond the schemas:

- an organization must be a member agency of the association: matched by its id (the one our export
  gives, uuid5 of the agency's name) or else by its name (case and surrounding spaces ignored); an
  unknown organization is an error, never a new agency;
- every reference (`organization_id`, `service_id`, `location_id`, `contact_id`,
  `service_at_location_id`) must point at a record of the package; a service and a location need
  their organization, a contact its service, a phone its contact (a contact route holds one number);
- services are active or inactive; languages, needs and weekdays are the directory's codes; the
  model's own checks (lengths, e-mail, a named person's consent) apply;
- a named person (contact attribute `kontakt-person`) needs the consent date as the attribute's value.

Ids: a record's id becomes the row's `uuid`, so importing the same package twice changes nothing
(rows are updated by id). An id already used by another association's row is not taken over: the
row here gets uuid5(NAMESPACE, "import:<association>:<id>"), the same on every re-import.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from samverkan.tenancy.models import Agency, Association

from .directory_services import service_search_text_refresh
from .hsds import (
    CONTACT_KIND_CODES,
    CSV_TABLES,
    ENTITY_FILES,
    JSON_DIR,
    NAMESPACE,
    TARGET_GROUP_CODE,
    hsds_spec,
    organization_id,
    orphans,
    records_from_tables,
)
from .hsds_schema import Problem, Spec, csv_records, validate_record
from .models import (
    ContactKind,
    ContactRoute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    ServiceStatus,
)
from .models.directory import NEED_CODES

KIND_BY_CODE = {code: kind for kind, code in CONTACT_KIND_CODES.items()}


@dataclass
class HsdsPackage:
    """A package as read: the JSON form (entity -> records) and the problems of reading it."""

    records: dict[str, list[dict[str, Any]]]
    files: dict[str, str]  # entity -> the file its records came from
    problems: list[Problem] = field(default_factory=list)
    source: str = "json"


@dataclass
class ImportResult:
    created: dict[str, int]
    updated: dict[str, int]
    written: bool


class HsdsImportError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems

    def messages(self) -> list[str]:
        return [problem_message(problem) for problem in self.problems]


# --- words ---------------------------------------------------------------------------------------------


def _what(problem: Problem) -> str:
    p = problem.params
    code = problem.code
    if code == "required":
        return _("saknas men krävs")
    if code == "type":
        expected = {"string": _("text"), "number": _("ett tal"), "integer": _("ett heltal"), "array": _("en lista")}
        kind = p.get("expected")
        names = [str(expected.get(str(k), k)) for k in (kind if isinstance(kind, list) else [kind])]
        return _("ska vara %(type)s (är %(value)s)") % {"type": _(" eller ").join(names), "value": _shown(p)}
    if code == "format":
        formats = {"uuid": _("ett UUID"), "email": _("en e-postadress"), "uri": _("en webbadress (URI)")}
        formats.update({"date": _("ett datum ÅÅÅÅ-MM-DD"), "date-time": _("en tidpunkt (ISO 8601)")})
        what = formats.get(str(p.get("format")), str(p.get("format")))
        return _("ska vara %(format)s (är %(value)s)") % {"format": what, "value": _shown(p)}
    if code == "enum":
        return _("har ett värde som inte är tillåtet (%(value)s); tillåtna: %(allowed)s") % {
            "value": _shown(p),
            "allowed": ", ".join(map(str, p.get("allowed", ()))),
        }
    if code == "reference":
        return _("pekar på %(target)s %(value)s som inte finns i paketet") % {
            "target": p.get("target", ""),
            "value": p.get("value", ""),
        }
    messages = {
        "json": _("är inte giltig JSON (%(detail)s)"),
        "not_list": _("ska vara en JSON-lista med poster"),
        "not_object": _("ska vara ett JSON-objekt"),
        "duplicate": _("finns två gånger i paketet"),
        "unknown_organization": _(
            "är ingen medlem i förbundet (%(value)s): organisationen måste ha samma id eller namn som en medlem"
        ),
        "id_taken_in_file": _("används redan för en annan sorts post i paketet"),
        "status": _("kan bara vara active eller inactive (är %(value)s)"),
        "language": _("är ingen språkkod katalogen känner (%(value)s)"),
        "need": _("är inget behov katalogen känner (%(value)s)"),
        "byday": _("ska vara veckodagar som MO,TU,WE (är %(value)s)"),
        "time": _("ska vara en tid TT:MM eller TT:MM:SS (är %(value)s)"),
        "date": _("ska vara ett datum ÅÅÅÅ-MM-DD (är %(value)s)"),
        "consent": _("en namngiven person får bara stå i katalogen med samtycke: ange samtyckesdatum som värde"),
        "one_phone": _("kontakten har redan ett telefonnummer; katalogen har ett nummer per kontaktväg"),
        "phone_without_contact": _("ett telefonnummer måste höra till en kontakt (contact_id)"),
        "schedule_without_service": _("öppettiden måste höra till en tjänst (service_id eller service_at_location_id)"),
        "mismatch": _("hör inte ihop med %(target)s"),
        "name_taken": _("en annan tjänst hos samma myndighet heter redan %(value)s"),
        "link_twice": _("tjänsten finns redan på den platsen"),
        "missing_file": _("saknas i paketet"),
        "empty_file": _("är tom"),
        "unknown_column": _("är ingen kolumn i HSDS 3.0"),
        "missing_column": _("saknas som kolumn men krävs"),
        "row_length": _("har %(got)s celler men rubriken har %(expected)s"),
        "model": "%(detail)s",
        "schema": _("följer inte schemat (%(detail)s)"),
    }
    text = messages.get(code, code)
    return text % {**p, "value": _shown(p)} if "%(" in text else text


def _shown(params: Mapping[str, Any]) -> str:
    value = params.get("value")
    return "–" if value is None else json.dumps(value, ensure_ascii=False)[:80]


def problem_message(problem: Problem) -> str:
    """One problem in Swedish: "services.json, post 3fa…, fält name: saknas men krävs"."""
    where = [problem.file]
    if problem.record.startswith("#"):
        where.append(_("rad %(row)s") % {"row": problem.record[1:]})
    elif problem.record:
        where.append(_("post %(id)s") % {"id": problem.record})
    if problem.field:
        where.append(_("fält %(field)s") % {"field": problem.field})
    return f"{', '.join(where)}: {_what(problem)}"


# --- reading -----------------------------------------------------------------------------------------


def hsds_package_read(path: Path | str, *, spec: Spec | None = None) -> HsdsPackage:
    """The package at `path` (a directory): its JSON files if it has `json/`, else its CSV tables."""
    spec = spec or hsds_spec()
    root = Path(path)
    if not root.is_dir():
        return HsdsPackage({}, {}, [Problem(str(root), "", "", "missing_file")])
    if (root / JSON_DIR).is_dir():
        return _read_json(root / JSON_DIR)
    return _read_csv(root, spec)


def _read_json(folder: Path) -> HsdsPackage:
    records: dict[str, list[dict[str, Any]]] = {}
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for entity, name in ENTITY_FILES.items():
        shown = f"{JSON_DIR}/{name}"
        files[entity] = shown
        file = folder / name
        if not file.is_file():
            records[entity] = []
            if entity in ("organization", "service"):
                problems.append(Problem(shown, "", "", "missing_file"))
            continue
        try:
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            problems.append(Problem(shown, "", "", "json", {"detail": str(error)}))
            records[entity] = []
            continue
        if isinstance(data, Mapping) and isinstance(data.get("contents"), list):
            data = data["contents"]  # a Page, as the API answers
        if not isinstance(data, list):
            problems.append(Problem(shown, "", "", "not_list"))
            data = []
        records[entity] = data
    return HsdsPackage(records, files, problems, "json")


def _read_csv(folder: Path, spec: Spec) -> HsdsPackage:
    tables = spec.tables()
    paths = {name: tables[name].path for name in CSV_TABLES}
    problems: list[Problem] = []
    descriptor = folder / "datapackage.json"
    if descriptor.is_file():
        try:
            package = json.loads(descriptor.read_text(encoding="utf-8-sig"))
            for resource in package.get("resources", ()):
                if resource.get("name") in paths and isinstance(resource.get("path"), str):
                    paths[resource["name"]] = resource["path"]
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as error:
            problems.append(Problem("datapackage.json", "", "", "json", {"detail": str(error)}))
    rows: dict[str, list[dict[str, Any]]] = {}
    for name in CSV_TABLES:
        file = folder / paths[name]
        if not file.is_file():
            rows[name] = []
            if name in ("organization", "service"):
                problems.append(Problem(paths[name], "", "", "missing_file"))
            continue
        try:
            text = file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(Problem(paths[name], "", "", "json", {"detail": str(error)}))
            rows[name] = []
            continue
        found, bad = csv_records(tables[name], text, file=paths[name])
        rows[name], problems = found, problems + bad
    problems += orphans(rows, file_of=paths)
    # Each table's rows are checked against their own schema here (a row's number is what a person needs);
    # the nested form below is what the rules read.
    spec_problems: list[Problem] = []
    for name in CSV_TABLES:
        for row in rows[name]:
            record = {k: v for k, v in row.items() if k != "__row__"}
            spec_problems += validate_record(spec, name, record, file=paths[name], record_ref=f"#{row['__row__']}")
    records = records_from_tables(rows)
    files = {entity: paths[entity] for entity in ENTITY_FILES}
    return HsdsPackage(records, files, problems + spec_problems, "csv")


# --- checking ----------------------------------------------------------------------------------------


def _ref(record: Mapping[str, Any], package: HsdsPackage) -> str:
    if package.source == "csv" and record.get("__row__"):
        return f"#{record['__row__']}"
    return str(record.get("id", ""))


def _parse_time(value: Any) -> time | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    for suffix in ("Z", "+00:00"):
        text = text.removesuffix(suffix)
    return time.fromisoformat(text)


@dataclass
class _Plan:
    """What would be written: model instances by entity, in dependency order."""

    services: list[Service] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    links: list[ServiceAtLocation] = field(default_factory=list)
    routes: list[ContactRoute] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)


class _Checker:
    def __init__(self, association: Association, package: HsdsPackage, spec: Spec) -> None:
        self.association = association
        self.package = package
        self.spec = spec
        self.problems: list[Problem] = list(package.problems)
        self.plan = _Plan()

    def problem(self, entity: str, record: Mapping[str, Any], field_name: str, code: str, **params: Any) -> None:
        self.problems.append(
            Problem(self.package.files.get(entity, entity), _ref(record, self.package), field_name, code, params)
        )

    def run(self) -> None:
        records = self.package.records
        seen: dict[str, str] = {}
        self.valid: dict[str, dict[str, dict[str, Any]]] = {}
        for entity in ENTITY_FILES:
            self.valid[entity] = {}
            for record in records.get(entity, []):
                if self.package.source == "json":
                    found = validate_record(
                        self.spec,
                        entity,
                        record,
                        file=self.package.files[entity],
                        record_ref=_ref(record, self.package),
                    )
                    if found:
                        self.problems += found
                        continue
                if not isinstance(record, dict):
                    continue
                rid = str(record.get("id"))
                if rid in seen:
                    self.problem(entity, record, "id", "duplicate" if seen[rid] == entity else "id_taken_in_file")
                    continue
                seen[rid] = entity
                self.valid[entity][rid] = record
        self.agencies = self._organizations()
        self._services()
        self._locations()
        self._links()
        self._contacts()
        self._schedules()

    def _organizations(self) -> dict[str, Agency]:
        members = list(self.association.agencies.all())
        by_id = {organization_id(agency): agency for agency in members}
        by_name = {agency.name.strip().casefold(): agency for agency in members}
        found: dict[str, Agency] = {}
        for oid, record in self.valid["organization"].items():
            agency = by_id.get(oid) or by_name.get(str(record.get("name", "")).strip().casefold())
            if agency is None:
                self.problem("organization", record, "name", "unknown_organization", value=record.get("name"))
            else:
                found[oid] = agency
        return found

    def _needs_reference(
        self, entity: str, record: Mapping[str, Any], key: str, target: str, table: Mapping[str, Any]
    ) -> Any:
        value = record.get(key)
        if value in (None, ""):
            self.problem(entity, record, key, "required")
            return None
        if str(value) not in table:
            # A reference to a record that was itself invalid is that record's problem, already reported.
            if str(value) not in {
                str(r.get("id")) for r in self.package.records.get(target, []) if isinstance(r, dict)
            }:
                self.problem(entity, record, key, "reference", target=target, value=value)
            return None
        return table[str(value)]

    def _instance(self, model: type[models.Model], rid: str) -> Any:
        wanted = self._local_uuid(model, rid)
        existing = model.objects.filter(uuid=wanted).first()  # type: ignore[attr-defined]
        return existing or model(uuid=wanted)

    def _local_uuid(self, model: type[models.Model], rid: str) -> uuid.UUID:
        wanted = uuid.UUID(rid)
        # The lookup crosses tenants on purpose: a uuid is unique in the whole table, so one taken by another
        # association's row must not be reused (nor that row touched); only its existence is learnt.
        with scopes_disabled():
            owner = (
                model.objects.filter(uuid=wanted)  # type: ignore[attr-defined]
                .values_list(self._association_path(model), flat=True)
                .first()
            )
        if owner is None or owner == self.association.pk:
            return wanted
        return uuid.uuid5(NAMESPACE, f"import:{self.association.pk}:{rid}")

    @staticmethod
    def _association_path(model: type[models.Model]) -> str:
        return "association" if model in (Service, Location) else "service__association"

    def _model_check(self, entity: str, record: Mapping[str, Any], instance: models.Model, exclude: list[str]) -> bool:
        try:
            instance.clean_fields(exclude=exclude)
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.problem(entity, record, name, "model", detail=message)
            return False
        return True

    def _services(self) -> None:
        self.services: dict[str, Service] = {}
        names: set[tuple[int, str]] = set()
        for sid, record in self.valid["service"].items():
            org = self._needs_reference(
                "service", record, "organization_id", "organization", self.valid["organization"]
            )
            agency = self.agencies.get(str(record.get("organization_id"))) if org is not None else None
            ok = org is not None and agency is not None
            status = record.get("status")
            if status not in ServiceStatus.values:
                self.problem("service", record, "status", "status", value=status)
                ok = False
            needs, target_group = [], ""
            for index, attribute in enumerate(record.get("attributes", [])):
                code = str((attribute.get("taxonomy_term") or {}).get("code", ""))
                if code == TARGET_GROUP_CODE:
                    target_group = str(attribute.get("value", ""))
                elif code in NEED_CODES:
                    needs.append(code)
                else:
                    self.problem("service", record, f"attributes[{index}].taxonomy_term.code", "need", value=code)
                    ok = False
            languages = [str(lang.get("code", "")) for lang in record.get("languages", [])]
            if not ok or agency is None:
                continue
            service = self._instance(Service, sid)
            service.association = self.association
            service.agency = agency
            service.name = str(record["name"])
            service.description = str(record.get("description", ""))
            service.target_group = target_group
            service.application_process = str(record.get("application_process", ""))
            service.eligibility = str(record.get("eligibility_description", ""))
            service.needs = needs
            service.municipalities = [str(area.get("name", "")) for area in record.get("service_areas", [])]
            service.languages = languages
            service.status = str(status)
            service.url = str(record.get("url", ""))
            service.email = str(record.get("email", ""))
            assured = record.get("assured_date")
            try:
                service.last_confirmed_on = date.fromisoformat(str(assured)) if assured else None
            except ValueError:
                self.problem("service", record, "assured_date", "date", value=assured)
                continue
            if not self._model_check(
                "service", record, service, ["association", "agency", "search_text", "confirmation_token_hash"]
            ):
                continue
            # One name per agency and association (the model's unique constraint), in the package and here.
            name_key = (agency.pk, service.name)
            taken = (
                Service.objects.filter(association=self.association, agency=agency, name=service.name)
                .exclude(uuid=service.uuid)
                .exists()
            )
            if name_key in names or taken:
                self.problem("service", record, "name", "name_taken", value=service.name)
                continue
            names.add(name_key)
            self.services[sid] = service
            self.plan.services.append(service)

    def _locations(self) -> None:
        self.locations: dict[str, Location] = {}
        for lid, record in self.valid["location"].items():
            org = self._needs_reference(
                "location", record, "organization_id", "organization", self.valid["organization"]
            )
            agency = self.agencies.get(str(record.get("organization_id"))) if org is not None else None
            if agency is None:
                continue
            location = self._instance(Location, lid)
            location.association = self.association
            location.agency = agency
            location.name = str(record.get("name", ""))
            address: dict[str, Any] = next(iter(record.get("addresses", [])), {})
            location.street = str(address.get("address_1", ""))
            location.postal_code = str(address.get("postal_code", ""))
            location.city = str(address.get("city", ""))
            location.municipality = str(address.get("region", ""))
            location.accessibility = "\n".join(
                str(item.get("description", "")) for item in record.get("accessibility", []) if item.get("description")
            )
            for key in ("latitude", "longitude"):
                value = record.get(key)
                setattr(location, key, Decimal(str(round(float(value), 6))) if value is not None else None)
            if self._model_check("location", record, location, ["association", "agency"]):
                self.locations[lid] = location
                self.plan.locations.append(location)

    def _links(self) -> None:
        self.links: dict[str, ServiceAtLocation] = {}
        pairs: set[tuple[int, int]] = set()
        for aid, record in self.valid["service_at_location"].items():
            service = self._resolved("service_at_location", record, "service_id", "service", self.services)
            location = self._resolved("service_at_location", record, "location_id", "location", self.locations)
            if service is None or location is None:
                continue
            link = self._instance(ServiceAtLocation, aid)
            link.service, link.location = service, location
            pair = (id(service), id(location))
            taken = (
                service.pk is not None
                and location.pk is not None
                and ServiceAtLocation.objects.filter(service=service, location=location)
                .exclude(uuid=link.uuid)
                .exists()
            )
            if pair in pairs or taken:
                self.problem("service_at_location", record, "location_id", "link_twice")
                continue
            pairs.add(pair)
            self.links[aid] = link
            self.plan.links.append(link)

    def _resolved(self, entity: str, record: Mapping[str, Any], key: str, target: str, built: Mapping[str, Any]) -> Any:
        found = self._needs_reference(entity, record, key, target, self.valid[target])
        return built.get(str(record.get(key))) if found is not None else None

    def _contacts(self) -> None:
        routes: dict[str, ContactRoute] = {}
        for cid, record in self.valid["contact"].items():
            service = self._resolved("contact", record, "service_id", "service", self.services)
            kind, consent, ok = ContactKind.FUNCTION, None, True
            for index, attribute in enumerate(record.get("attributes", [])):
                code = str((attribute.get("taxonomy_term") or {}).get("code", ""))
                if code in KIND_BY_CODE:
                    kind = KIND_BY_CODE[code]
                    if kind == ContactKind.PERSON:
                        try:
                            consent = date.fromisoformat(str(attribute.get("value", "")))
                        except ValueError:
                            self.problem("contact", record, f"attributes[{index}].value", "consent")
                            ok = False
            if service is None or not ok:
                continue
            route = self._instance(ContactRoute, cid)
            route.service, route.kind, route.consent_on = service, kind, consent
            route.name = str(record.get("name", ""))
            route.title = str(record.get("title", ""))
            route.email = str(record.get("email", ""))
            route.phone, route.phone_hours = "", ""
            routes[cid] = route
            self._contact_records = getattr(self, "_contact_records", {})
            self._contact_records[cid] = record
        with_phone: set[str] = set()
        for record in self.valid["phone"].values():
            if record.get("contact_id") in (None, ""):
                self.problem("phone", record, "contact_id", "phone_without_contact")
                continue
            contact_id = str(record["contact_id"])
            found = self._needs_reference("phone", record, "contact_id", "contact", self.valid["contact"])
            if found is None or contact_id not in routes:
                continue
            if contact_id in with_phone:
                self.problem("phone", record, "contact_id", "one_phone")
                continue
            with_phone.add(contact_id)
            routes[contact_id].phone = str(record.get("number", ""))
            routes[contact_id].phone_hours = str(record.get("description", ""))
        for cid, route in routes.items():
            if self._model_check("contact", self._contact_records[cid], route, ["service"]):
                self.plan.routes.append(route)

    def _schedules(self) -> None:
        for sid, record in self.valid["schedule"].items():
            link = None
            if record.get("service_at_location_id") not in (None, ""):
                link = self._resolved("schedule", record, "service_at_location_id", "service_at_location", self.links)
                if link is None:
                    continue
            service_key = record.get("service_id")
            if service_key in (None, ""):
                if link is None:
                    self.problem("schedule", record, "service_id", "schedule_without_service")
                    continue
                service = link.service
            else:
                service = self._resolved("schedule", record, "service_id", "service", self.services)
                if service is None:
                    continue
                if link is not None and link.service is not service:
                    self.problem("schedule", record, "service_at_location_id", "mismatch", target="service_id")
                    continue
            schedule = self._instance(Schedule, sid)
            schedule.service, schedule.service_at_location = service, link
            schedule.byday = str(record.get("byday", ""))
            schedule.description = str(record.get("description", ""))
            ok = True
            for key in ("opens_at", "closes_at"):
                try:
                    setattr(schedule, key, _parse_time(record.get(key)))
                except ValueError:
                    self.problem("schedule", record, key, "time", value=record.get(key))
                    ok = False
            if not ok:
                continue
            # The service_at_location check of the model needs saved ids; the mismatch is checked above.
            schedule_check = Schedule(byday=schedule.byday, opens_at=schedule.opens_at, closes_at=schedule.closes_at)
            if self._model_check("schedule", record, schedule_check, ["service", "service_at_location", "uuid"]):
                self.plan.schedules.append(schedule)


def hsds_import_check(*, association: Association, package: HsdsPackage, spec: Spec | None = None) -> _Plan:
    checker = _Checker(association, package, spec or hsds_spec())
    checker.run()
    if checker.problems:
        raise HsdsImportError(checker.problems)
    return checker.plan


def hsds_import(
    *, association: Association, package: HsdsPackage, dry_run: bool = False, spec: Spec | None = None
) -> ImportResult:
    """Checks the whole package; with no problem (and not `dry_run`) writes it in one transaction."""
    plan = hsds_import_check(association=association, package=package, spec=spec)
    created = dict.fromkeys(("service", "location", "service_at_location", "contact", "schedule"), 0)
    updated = dict(created)
    groups: list[tuple[str, list[Any]]] = [
        ("service", plan.services),
        ("location", plan.locations),
        ("service_at_location", plan.links),
        ("contact", plan.routes),
        ("schedule", plan.schedules),
    ]
    for entity, items in groups:
        for item in items:
            (updated if item.pk else created)[entity] += 1
    if dry_run:
        return ImportResult(created, updated, written=False)
    with transaction.atomic():
        for _entity, items in groups:
            for item in items:
                # A parent assigned before it was saved: Django takes its pk now (Model._prepare_related_fields).
                item.save()
        for service in plan.services:
            # The directory's search reads each service's search text; it is made where the directory makes it.
            service_search_text_refresh(service)
    return ImportResult(created, updated, written=True)
