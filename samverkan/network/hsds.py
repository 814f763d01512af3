"""The directory ("Vem ringer jag?") as Open Referral HSDS 3.0 records, and back.

`directory_records(association)` gives the JSON form: one list of records per entity
(`ENTITY_FILES`), each record flat as in the spec's tables (references by `*_id`), with the
children that have no file of their own nested as the spec's full examples nest them:

- organization: a member agency of the association. Its id is derived from the agency's (globally
  unique) name, uuid5(NAMESPACE, "agency:<name>"), so the same agency has the same id in every
  association and every export;
- service: `Service` (id = its `uuid`), with `languages`, `service_areas` (one per municipality) and
  `attributes` (needs, and "för vem", as terms of the taxonomy `samverkan-katalog`);
- location: `Location` (physical), with `addresses` (one, when street, postal code and city are all
  given, since HSDS requires them; `state_province` is the association's county, `region` the
  municipality, `country` "SE") and `accessibility`;
- service_at_location, contact (`ContactRoute`; its kind is an attribute; a named person only with
  consent, and the consent date is the attribute's value), phone (the contact route's number, with
  `description` = phone hours), schedule (weekly, `byday`, `opens_at`/`closes_at` as HH:MM:SS).

Ids of derived records (addresses, languages, phones, …) are uuid5 of their owner's id, so re-exports
keep every id. Nothing else leaves: no meeting requests, no confirmation tokens, no person without
consent (`exportable_contacts`).

`package_tables(records)` flattens the JSON form into the spec's CSV tables; `records_from_tables`
nests them back; the import (network/hsds_import.py) reads either.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Mapping
from datetime import date, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from samverkan.tenancy.models import Agency, Association

from .hsds_schema import Problem, Spec, load_spec, spec_root
from .models import (
    LANGUAGE_CHOICES,
    NEED_CHOICES,
    ContactKind,
    ContactRoute,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
)

# The namespace of every derived id. Never change it: ids in earlier exports are made from it.
NAMESPACE = uuid.UUID("5b0e6c1e-3c0e-5d7b-9a57-6f2a1c4e8d10")
COUNTRY = "SE"

# The JSON files of a package, in reference order (what a record points at comes first).
ENTITY_FILES: dict[str, str] = {
    "organization": "organizations.json",
    "service": "services.json",
    "location": "locations.json",
    "service_at_location": "service_at_locations.json",
    "contact": "contacts.json",
    "phone": "phones.json",
    "schedule": "schedules.json",
}
JSON_DIR = "json"
# The CSV tables written: the JSON entities and the children nested in them there.
CSV_TABLES = (
    "organization",
    "service",
    "location",
    "address",
    "accessibility",
    "service_at_location",
    "contact",
    "phone",
    "schedule",
    "language",
    "service_area",
    "taxonomy",
    "taxonomy_term",
    "attribute",
)
# Nested child lists of the JSON form and the table each goes to: (entity, key) -> (table, link column).
NESTED: dict[tuple[str, str], tuple[str, str]] = {
    ("service", "languages"): ("language", "service_id"),
    ("service", "service_areas"): ("service_area", "service_id"),
    ("service", "attributes"): ("attribute", "link_id"),
    ("location", "addresses"): ("address", "location_id"),
    ("location", "accessibility"): ("accessibility", "location_id"),
    ("contact", "attributes"): ("attribute", "link_id"),
}

TAXONOMY_NAME = "samverkan-katalog"
TARGET_GROUP_CODE = "malgrupp"
CONTACT_KIND_CODES = {ContactKind.FUNCTION: "kontakt-funktion", ContactKind.MAILBOX: "kontakt-brevlada"}
CONTACT_KIND_CODES[ContactKind.PERSON] = "kontakt-person"


def derived_id(kind: str, *parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join([kind, *(str(part) for part in parts)])))


def organization_id(agency: Agency) -> str:
    return derived_id("agency", agency.name)


def taxonomy_id() -> str:
    return derived_id("taxonomy", TAXONOMY_NAME)


def term_id(code: str) -> str:
    return derived_id("taxonomy_term", TAXONOMY_NAME, code)


def hsds_spec() -> Spec:
    """The HSDS 3.0 files: `SAMVERKAN_HSDS_SPECS`, else BASE_DIR/../shared/specs/hsds-3.0 (`SpecMissing`)."""
    default = Path(settings.BASE_DIR).parent / "shared" / "specs" / "hsds-3.0"
    return load_spec(spec_root(default, os.environ))


# --- the taxonomy of our own terms -------------------------------------------------------------------


def _terms() -> dict[str, str]:
    """code -> Swedish name of every term of `samverkan-katalog`."""
    terms = {code: str(label) for code, label in NEED_CHOICES}
    terms[TARGET_GROUP_CODE] = _("För vem")
    terms[CONTACT_KIND_CODES[ContactKind.FUNCTION]] = _("Funktion")
    terms[CONTACT_KIND_CODES[ContactKind.MAILBOX]] = _("Funktionsbrevlåda")
    terms[CONTACT_KIND_CODES[ContactKind.PERSON]] = _("Namngiven person (med samtycke)")
    return terms


def taxonomy_record() -> dict[str, Any]:
    return {
        "id": taxonomy_id(),
        "name": TAXONOMY_NAME,
        "description": _("Samverkans egna termer i katalogen: behov, målgrupp och typ av kontaktväg."),
        "version": "1",
    }


def term_record(code: str) -> dict[str, Any]:
    name = _terms().get(code, code)
    return {
        "id": term_id(code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": TAXONOMY_NAME,
        "taxonomy_id": taxonomy_id(),
        "language": "sv",
        "taxonomy_detail": taxonomy_record(),
    }


def _attribute(link_entity: str, link_id: str, code: str, value: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": derived_id("attribute", link_id, code),
        "link_id": link_id,
        "link_entity": link_entity,
        "link_type": "samverkan",
        "taxonomy_term_id": term_id(code),
        "taxonomy_term": term_record(code),
    }
    if value:
        record["value"] = value
    return record


# --- records -----------------------------------------------------------------------------------------


def _put(record: dict[str, Any], **values: Any) -> dict[str, Any]:
    """Adds the values that are not empty: HSDS leaves out what is not known."""
    for key, value in values.items():
        if value not in (None, "", []):
            record[key] = value
    return record


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M:%S") if value else None


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def organization_record(agency: Agency) -> dict[str, Any]:
    # HSDS requires a description; the directory holds none for an agency, so it says what the agency is.
    return {
        "id": organization_id(agency),
        "name": agency.name,
        "description": str(agency.get_kind_display()),  # type: ignore[attr-defined]
    }


def _language_name(code: str) -> str:
    return str(dict(LANGUAGE_CHOICES).get(code, code))


def service_record(service: Service) -> dict[str, Any]:
    sid = str(service.uuid)
    record = _put(
        {"id": sid, "organization_id": organization_id(service.agency), "name": service.name},
        description=service.description,
        url=service.url,
        email=service.email,
        application_process=service.application_process,
        eligibility_description=service.eligibility,
        assured_date=_date(service.last_confirmed_on),
    )
    record["status"] = service.status
    _put(
        record,
        languages=[
            {"id": derived_id("language", sid, code), "service_id": sid, "code": code, "name": _language_name(code)}
            for code in service.languages or []
        ],
        service_areas=[
            {
                "id": derived_id("service_area", sid, name),
                "service_id": sid,
                "name": name,
                "extent_type": "text",
                "extent": name,
            }
            for name in service.municipalities or []
        ],
        attributes=[_attribute("service", sid, code) for code in service.needs or []]
        + ([_attribute("service", sid, TARGET_GROUP_CODE, service.target_group)] if service.target_group else []),
    )
    return record


def location_record(location: Location, county: str) -> dict[str, Any]:
    lid = str(location.uuid)
    record = _put(
        {"id": lid, "location_type": "physical", "organization_id": organization_id(location.agency)},
        name=location.name,
        latitude=float(location.latitude) if location.latitude is not None else None,
        longitude=float(location.longitude) if location.longitude is not None else None,
    )
    if location.street and location.postal_code and location.city:
        record["addresses"] = [
            _put(
                {
                    "id": derived_id("address", lid),
                    "location_id": lid,
                    "address_1": location.street,
                    "city": location.city,
                    "state_province": county,
                    "postal_code": location.postal_code,
                    "country": COUNTRY,
                    "address_type": "physical",
                },
                region=location.municipality,
            )
        ]
    if location.accessibility:
        record["accessibility"] = [
            {"id": derived_id("accessibility", lid), "location_id": lid, "description": location.accessibility}
        ]
    return record


def service_at_location_record(link: ServiceAtLocation) -> dict[str, Any]:
    return {"id": str(link.uuid), "service_id": str(link.service.uuid), "location_id": str(link.location.uuid)}


def contact_record(route: ContactRoute) -> dict[str, Any]:
    cid = str(route.uuid)
    kind = ContactKind(route.kind)
    consent = _date(route.consent_on) if kind == ContactKind.PERSON else None
    return _put(
        {"id": cid, "service_id": str(route.service.uuid)},
        name=route.name,
        title=route.title,
        email=route.email,
        attributes=[_attribute("contact", cid, CONTACT_KIND_CODES[kind], consent)],
    )


def phone_record(route: ContactRoute) -> dict[str, Any]:
    return _put(
        {
            "id": derived_id("phone", route.uuid),
            "contact_id": str(route.uuid),
            "service_id": str(route.service.uuid),
            "number": route.phone,
            "type": "voice",
        },
        description=route.phone_hours,
    )


def schedule_record(schedule: Schedule) -> dict[str, Any]:
    return _put(
        {"id": str(schedule.uuid), "service_id": str(schedule.service.uuid), "freq": "WEEKLY", "wkst": "MO"},
        service_at_location_id=str(schedule.service_at_location.uuid) if schedule.service_at_location else None,
        byday=schedule.byday,
        opens_at=_time(schedule.opens_at),
        closes_at=_time(schedule.closes_at),
        description=schedule.description,
    )


def exportable_contacts(association: Association) -> QuerySet[ContactRoute]:
    """The contact routes that may leave: every function and mailbox; a named person only with consent."""
    return (
        ContactRoute.objects.filter(service__association=association)
        .exclude(kind=ContactKind.PERSON, consent_on__isnull=True)
        .select_related("service")
        .order_by("service__name", "kind", "name", "pk")
    )


def directory_records(association: Association) -> dict[str, list[dict[str, Any]]]:
    """The association's directory as HSDS records, entity -> records (the JSON form)."""
    county = association.county
    services = list(Service.objects.filter(association=association).select_related("agency").order_by("name", "pk"))
    locations = list(Location.objects.filter(association=association).select_related("agency").order_by("name", "pk"))
    used = {s.agency_id for s in services} | {loc.agency_id for loc in locations}
    agencies = sorted({*association.agencies.all(), *Agency.objects.filter(pk__in=used)}, key=lambda a: (a.name, a.pk))
    routes = list(exportable_contacts(association))
    return {
        "organization": [organization_record(agency) for agency in agencies],
        "service": [service_record(service) for service in services],
        "location": [location_record(location, county) for location in locations],
        "service_at_location": [
            service_at_location_record(link)
            for link in ServiceAtLocation.objects.filter(service__association=association)
            .select_related("service", "location")
            .order_by("service__name", "location__name", "pk")
        ],
        "contact": [contact_record(route) for route in routes],
        "phone": [phone_record(route) for route in routes if route.phone],
        "schedule": [
            schedule_record(schedule)
            for schedule in Schedule.objects.filter(service__association=association)
            .select_related("service", "service_at_location")
            .order_by("service__name", "pk")
        ],
    }


# --- the tabular form --------------------------------------------------------------------------------


def package_tables(records: Mapping[str, Iterable[Mapping[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The JSON form flattened into the spec's tables (`CSV_TABLES`): nested children become rows."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in CSV_TABLES}
    terms: dict[str, dict[str, Any]] = {}
    for entity in ENTITY_FILES:
        for record in records.get(entity, ()):
            row = {key: value for key, value in record.items() if not isinstance(value, list | dict)}
            tables[entity].append(row)
            for (owner, key), (table, _link) in NESTED.items():
                if owner != entity:
                    continue
                for child in record.get(key, ()):
                    flat = {k: v for k, v in child.items() if not isinstance(v, list | dict)}
                    tables[table].append(flat)
                    term = child.get("taxonomy_term")
                    if isinstance(term, Mapping):
                        terms[str(term["id"])] = {k: v for k, v in term.items() if not isinstance(v, list | dict)}
    tables["taxonomy_term"] = list(terms.values())
    tables["taxonomy"] = [taxonomy_record()] if terms else []
    return tables


def records_from_tables(tables: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """The spec's tables nested back into the JSON form (children under their owner by the link column).

    A child row whose owner is not in the package stays out of every record; the import reports it
    (`orphans`).
    """
    terms = {str(row.get("id")): row for row in tables.get("taxonomy_term", ())}
    taxonomies = {str(row.get("id")): row for row in tables.get("taxonomy", ())}
    records: dict[str, list[dict[str, Any]]] = {}
    by_id: dict[str, dict[str, dict[str, Any]]] = {}
    for entity in ENTITY_FILES:
        rows = [dict(row) for row in tables.get(entity, ())]
        records[entity] = rows
        by_id[entity] = {str(row.get("id")): row for row in rows}
    for (owner, key), (table, link) in NESTED.items():
        for row in tables.get(table, ()):
            if table == "attribute" and row.get("link_entity") != owner:
                continue
            parent = by_id[owner].get(str(row.get(link)))
            if parent is None:
                continue
            child = dict(row)
            if table == "attribute":
                term = terms.get(str(row.get("taxonomy_term_id")))
                if term is not None:
                    child["taxonomy_term"] = dict(term)
                    detail = taxonomies.get(str(term.get("taxonomy_id")))
                    if detail is not None:
                        child["taxonomy_term"]["taxonomy_detail"] = dict(detail)
            parent.setdefault(key, []).append(child)
    return records


def orphans(tables: Mapping[str, list[dict[str, Any]]], *, file_of: Mapping[str, str]) -> list[Problem]:
    """Child rows of the tables whose owner is not in the package."""
    owners = {entity: {str(row.get("id")) for row in tables.get(entity, ())} for entity in ENTITY_FILES}
    problems: list[Problem] = []
    for (owner, _key), (table, link) in NESTED.items():
        for row in tables.get(table, ()):
            if table == "attribute" and row.get("link_entity") != owner:
                continue
            if str(row.get(link)) not in owners[owner]:
                problems.append(
                    Problem(
                        file_of.get(table, table),
                        f"#{row.get('__row__', '')}" if row.get("__row__") else str(row.get("id", "")),
                        link,
                        "reference",
                        {"target": owner, "value": row.get(link)},
                    )
                )
    return problems


# --- the full records of the API ---------------------------------------------------------------------


def service_full(service: Service) -> dict[str, Any]:
    """One service with everything it has (the spec's service_full shape): organization, locations, …"""
    county = service.association.county
    record = service_record(service)
    record["organization"] = organization_record(service.agency)
    routes = list(exportable_contacts(service.association).filter(service=service))
    contacts = []
    for route in routes:
        contact = contact_record(route)
        if route.phone:
            contact["phones"] = [phone_record(route)]
        contacts.append(contact)
    if contacts:
        record["contacts"] = contacts
    schedules = list(service.schedules.select_related("service", "service_at_location").order_by("pk"))
    if own := [schedule_record(s) for s in schedules if s.service_at_location_id is None]:
        record["schedules"] = own
    links = []
    for link in service.service_at_locations.select_related("service", "location__agency").order_by(
        "location__name", "pk"
    ):
        item = service_at_location_record(link)
        item["location"] = location_record(link.location, county)
        if at := [schedule_record(s) for s in schedules if s.service_at_location_id == link.pk]:
            item["schedules"] = at
        links.append(item)
    if links:
        record["service_at_locations"] = links
    return record


def service_list_item(service: Service) -> dict[str, Any]:
    """A service's one-to-one fields (the spec's service_list shape)."""
    return {key: value for key, value in service_record(service).items() if not isinstance(value, list | dict)}


def organization_full(agency: Agency, services: Iterable[Service]) -> dict[str, Any]:
    record = organization_record(agency)
    record["services"] = [service_list_item(service) for service in services]
    return record


# --- the package on disk -----------------------------------------------------------------------------


def hsds_export(*, association: Association, out: Path, created: str) -> dict[str, int]:
    """Writes the association's directory as an HSDS 3.0 package into `out`; returns records per entity.

    `out/json/<entity>s.json`: one JSON list per entity (`ENTITY_FILES`); `out/<table>.csv` and
    `out/datapackage.json`: the Frictionless tabular data package of the spec's tables (`CSV_TABLES`).
    Every record is validated against the spec's schema before anything is written (`ValueError` names
    the first problem: an export the spec refuses is a bug here, not the user's).
    """
    import json

    from .hsds_schema import csv_text, datapackage_descriptor, validate_record

    spec = hsds_spec()
    records = directory_records(association)
    for entity, items in records.items():
        for record in items:
            problems = validate_record(spec, entity, record, file=ENTITY_FILES[entity])
            if problems:
                raise ValueError(f"HSDS export refused by the schema: {problems[0]}")
    out.mkdir(parents=True, exist_ok=True)
    (out / JSON_DIR).mkdir(exist_ok=True)
    for entity, name in ENTITY_FILES.items():
        text = json.dumps(records[entity], ensure_ascii=False, indent=2)
        (out / JSON_DIR / name).write_text(text + "\n", encoding="utf-8")
    tables = spec.tables()
    rows = package_tables(records)
    written = [tables[name] for name in CSV_TABLES]
    for table in written:
        (out / table.path).write_text(csv_text(table, rows[table.entity]), encoding="utf-8", newline="")
    descriptor = datapackage_descriptor(
        spec,
        written,
        name=f"samverkan-{association.slug}-katalog",
        title=_("Vem ringer jag? – %(association)s") % {"association": association.name},
        description=_("Katalogen över medlemmarnas tjänster i Open Referral HSDS 3.0."),
        created=created,
    )
    (out / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return {entity: len(items) for entity, items in records.items()}
