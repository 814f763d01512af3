"""The Open Referral HSDS 3.0 specification as read from its own files: JSON schemas, tables, data package.

Pure (no Django): the directory's export, import and API (network/hsds.py, network/api.py) ask this
module what a valid record is. Nothing of the specification is copied into the project; `load_spec(root)`
reads the official files from `root` (the spec's checkout: `schema/*.json`, `schema/tabular.json`,
`datapackage.json`), once per path:

- every `schema/<entity>.json` goes into one `referencing.Registry` under its file URI, so the
  schemas' relative `$ref`s ("phone.json") resolve between the files, and `validator(entity)` is a
  Draft 2020-12 validator (the dialect the spec's OpenAPI file names) with format checks for uuid,
  email, date and time (jsonschema's own) and for uri and date-time (defined here, since jsonschema's
  need packages that are not installed);
- `tables()` is the tabular form: each table's CSV file name, columns (the scalar properties of
  `tabular.json`, in its order), required columns (`required` + `tabular_required`), column types,
  primary key and foreign keys (from the spec's `datapackage.json`).

Problems are returned as `Problem` values with a code and parameters, never as English sentences:
the caller words them in Swedish (network/hsds.py `problem_message`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_ENV = "SAMVERKAN_HSDS_SPECS"
HSDS_VERSION = "3.0"
# The schema files that are not one entity each.
NOT_ENTITIES = frozenset({"openapi", "tabular"})


class SpecMissing(Exception):
    """The specification's files are not where they were looked for."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # the data package's type: string, number, date, datetime, time
    format: str | None
    required: bool


@dataclass(frozen=True)
class ForeignKey:
    field: str
    resource: str  # the table (entity) it points at
    target: str  # the column there, always "id" in HSDS 3.0


@dataclass(frozen=True)
class Table:
    entity: str  # "service"
    path: str  # "services.csv"
    columns: tuple[Column, ...]
    primary_key: str
    foreign_keys: tuple[ForeignKey, ...]
    resource: Mapping[str, Any]  # the spec's data package resource, as written there

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one record: which file, which record (id or row), which field, what."""

    file: str
    record: str  # the record's id, or "rad 3" style row reference filled by the caller
    field: str  # dotted path inside the record ("phones[0].number"); "" for the whole record or file
    code: str  # required, type, format, enum, json, reference, duplicate, unknown_organization, ...
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)


def _is_uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", parts.scheme or "")) and bool(parts.netloc or parts.path)


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("date-time")(_is_datetime)
    return checker


@dataclass(frozen=True, eq=False)  # hashed by identity: one loaded spec, its validators cached
class Spec:
    root: Path
    schemas: Mapping[str, Mapping[str, Any]]  # entity -> its schema file's contents
    registry: Registry[Any]
    tabular: Mapping[str, Mapping[str, Any]]  # entity -> tabular.json's item schema
    datapackage: Mapping[str, Any]
    openapi: Mapping[str, Any]

    def schema_uri(self, entity: str) -> str:
        return (self.root / "schema" / f"{entity}.json").as_uri()

    def validator(self, entity: str) -> Draft202012Validator:
        return _validator(self, entity)

    def tables(self) -> dict[str, Table]:
        return _tables(self)

    def page_schema(self) -> Mapping[str, Any]:
        """OpenAPI's `Page` (total_items, total_pages, page_number, size, first_page, last_page, empty)."""
        return dict(self.openapi["components"]["schemas"]["Page"])


def spec_root(default: Path, environ: Mapping[str, str]) -> Path:
    """Where the specification is: `SAMVERKAN_HSDS_SPECS` if set, else `default`."""
    value = environ.get(SPEC_ENV, "").strip()
    return Path(value) if value else default


def load_spec(root: Path) -> Spec:
    """The specification at `root`; `SpecMissing` (with what is missing) when it is not there."""
    return _load_spec(Path(root).resolve())


@lru_cache(maxsize=4)
def _load_spec(root: Path) -> Spec:
    schema_dir = root / "schema"
    needed = [schema_dir / "tabular.json", schema_dir / "openapi.json", root / "datapackage.json"]
    missing = [str(path) for path in needed if not path.is_file()]
    if not schema_dir.is_dir() or missing:
        raise SpecMissing(
            f"HSDS 3.0 specification not found at {root} (missing: {', '.join(missing) or schema_dir}); "
            f"set {SPEC_ENV} to the directory holding schema/ and datapackage.json."
        )
    schemas: dict[str, Mapping[str, Any]] = {}
    for path in sorted(schema_dir.glob("*.json")):
        if path.stem not in NOT_ENTITIES:
            schemas[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resources(
        ((schema_dir / f"{entity}.json").as_uri(), Resource.from_contents(dict(contents), DRAFT202012))
        for entity, contents in schemas.items()
    )
    tabular = json.loads((schema_dir / "tabular.json").read_text(encoding="utf-8"))
    return Spec(
        root=root,
        schemas=schemas,
        registry=registry,
        tabular={name: value["items"] for name, value in tabular["properties"].items()},
        datapackage=json.loads((root / "datapackage.json").read_text(encoding="utf-8")),
        openapi=json.loads((schema_dir / "openapi.json").read_text(encoding="utf-8")),
    )


@lru_cache(maxsize=64)
def _validator(spec: Spec, entity: str) -> Draft202012Validator:
    if entity not in spec.schemas:
        raise KeyError(entity)
    return Draft202012Validator(
        {"$ref": spec.schema_uri(entity)}, registry=spec.registry, format_checker=format_checker()
    )


def _path_text(path: Iterable[str | int]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problems_of(error: ValidationError, file: str, record: str) -> Iterator[Problem]:
    at = list(error.absolute_path)
    kind = str(error.validator)
    if kind == "required":
        instance = error.instance if isinstance(error.instance, Mapping) else {}
        for name in error.validator_value:
            if name not in instance:
                yield Problem(file, record, _path_text([*at, name]), "required")
        return
    params: dict[str, Any] = {"value": error.instance if not isinstance(error.instance, dict | list) else None}
    if kind == "type":
        params["expected"] = error.validator_value
    elif kind == "format":
        params["format"] = error.validator_value
    elif kind == "enum":
        params["allowed"] = list(error.validator_value)
    else:
        params["detail"] = error.message
    yield Problem(file, record, _path_text(at), kind if kind in ("type", "format", "enum") else "schema", params)


def validate_record(spec: Spec, entity: str, record: Any, *, file: str, record_ref: str = "") -> list[Problem]:
    """Every way `record` breaks `entity`'s schema (its nested records included), in document order."""
    ref = record_ref or (str(record.get("id", "")) if isinstance(record, Mapping) else "")
    if not isinstance(record, Mapping):
        return [Problem(file, ref, "", "not_object")]
    found: list[Problem] = []
    errors = sorted(spec.validator(entity).iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        found.extend(_problems_of(error, file, ref))
    return found


# --- the tabular form ---------------------------------------------------------------------------------


def _tables(spec: Spec) -> dict[str, Table]:
    resources = {resource["name"]: resource for resource in spec.datapackage["resources"]}
    tables: dict[str, Table] = {}
    for entity, item in spec.tabular.items():
        resource = resources.get(entity)
        if resource is None:
            continue
        typed = {f["name"]: f for f in resource["schema"]["fields"]}
        required = set(item.get("required", ())) | set(item.get("tabular_required", ()))
        columns = tuple(
            Column(
                name=name,
                type=str(typed.get(name, {}).get("type", prop.get("datapackage_type", prop.get("type", "string")))),
                format=prop.get("format"),
                required=name in required,
            )
            for name, prop in item["properties"].items()
            if prop.get("type") not in ("array", "object") and "$ref" not in prop
        )
        foreign = tuple(
            ForeignKey(str(fk["fields"]), str(fk["reference"]["resource"]), str(fk["reference"]["fields"]))
            for fk in resource["schema"].get("foreignKeys", ())
        )
        tables[entity] = Table(
            entity=entity,
            path=str(item.get("path", resource["path"])),
            columns=columns,
            primary_key=str(resource["schema"].get("primaryKey", "id")),
            foreign_keys=foreign,
            resource=resource,
        )
    return tables


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_text(table: Table, rows: Iterable[Mapping[str, Any]]) -> str:
    """The table as CSV (comma, quoted as needed, CRLF as RFC 4180), every column of the spec, in its order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.column_names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in table.column_names])
    return out.getvalue()


def _number(text: str) -> int | float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return int(value) if value.is_integer() and re.fullmatch(r"[+-]?\d+(\.0*)?", text.strip()) else value


def csv_records(table: Table, text: str, *, file: str) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The rows of a table's CSV as records (empty cells left out, numbers as numbers), and what is wrong.

    A header without a required column, or with a column the spec does not know, is a problem of the
    file; a cell that is no number where the spec says number, a problem of its row ("rad N", counting
    the header as row 1).
    """
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return [], [Problem(file, "", "", "empty_file")]
    header = [name.strip().lstrip("\ufeff") for name in header]
    known = set(table.column_names)
    for name in header:
        if name not in known:
            problems.append(Problem(file, "", name, "unknown_column"))
    for name in table.required:
        if name not in header:
            problems.append(Problem(file, "", name, "missing_column"))
    types = {column.name: column.type for column in table.columns}
    records: list[dict[str, Any]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(Problem(file, f"#{number}", "", "row_length", {"expected": len(header), "got": len(cells)}))
            continue
        record: dict[str, Any] = {}
        for name, cell in zip(header, cells, strict=True):
            if name not in known or cell == "":
                continue
            if types.get(name) == "number":
                try:
                    record[name] = _number(cell)
                except ValueError:
                    problems.append(Problem(file, f"#{number}", name, "type", {"expected": "number", "value": cell}))
                    record[name] = cell
            else:
                record[name] = cell
        record["__row__"] = number
        records.append(record)
    return records, problems


def datapackage_descriptor(
    spec: Spec, tables: Sequence[Table], *, name: str, title: str, description: str, created: str
) -> dict[str, Any]:
    """A Frictionless tabular data package for the `tables` written, each resource as the spec describes it.

    The resources' schemas (fields, primaryKey) are the spec's own; a foreign key is kept when the table
    it points at is in the package (a key to a table not written would point nowhere).
    """
    written = {table.entity for table in tables}
    resources = []
    for table in tables:
        resource = json.loads(json.dumps(table.resource))
        schema = resource["schema"]
        keys = [fk for fk in schema.get("foreignKeys", ()) if fk["reference"]["resource"] in written]
        if keys:
            schema["foreignKeys"] = keys
        else:
            schema.pop("foreignKeys", None)
        resource["path"] = table.path
        resources.append(resource)
    # The spec's own name, title and licence describe the specification, not this data: only its profile
    # and version (as `hsds_version`) are carried over.
    return {
        "profile": spec.datapackage["profile"],
        "name": name,
        "title": title,
        "description": description,
        "created": created,
        "hsds_version": spec.datapackage.get("version", HSDS_VERSION),
        "resources": resources,
    }
