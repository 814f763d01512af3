"""The answer path's hand-written SQL, all of it: nothing else in measure writes SQL by hand.

A respondent's GET and POST are the hot path (bench/submissions.py). The ORM cost several times the
queries themselves there (compiling two levels of select_related, one transaction per write), so
these statements are written here and run through samverkan/common/sql.py (prepared on PostgreSQL):

- the link read: the campaign (with association and instrument) behind an open or a personal link;
- the agency list of the staff form;
- the submission: receipts, the sealed pending response and the device's draft tombstone;
- the draft upsert, which never overwrites a tombstone.

Every statement has a test comparing it with an ORM reference (test_answering.py, test_exactly_once.py).
"""

from __future__ import annotations

import functools
import json
import secrets
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction

from samverkan.common.sql import fetchall as sql_fetchall
from samverkan.common.sql import fetchone as sql_fetchone
from samverkan.common.sql import table
from samverkan.tenancy.models import Agency, Association

from .models import Campaign, CampaignLink, Draft, Instrument, Invitation, PendingResponse, Receipt

# --- the link read ---------------------------------------------------------------------------------
#
# The ORM query with two levels of select_related cost about 2 ms to compile on every request,
# several times the query itself, so this read is written in SQL and turned into model instances;
# fields not read here stay deferred and load on access, so nothing is silently wrong.

_TARGET_SQL = """
SELECT {target}, c.id, c.name, c.association_id, c.instrument_id, c.respondent_groups,
       c.opens_on, c.closes_on, c.closed_on, a.name, i.name, i.intro, i.kind, i.frozen
FROM {target_table} t
JOIN {campaign} c ON c.id = t.campaign_id
JOIN {association} a ON a.id = c.association_id
JOIN {instrument} i ON i.id = c.instrument_id
WHERE t.{key} = %s
"""


def _target_row(target_table: str, target: str, key: str, value: str) -> tuple[Any, ...] | None:
    sql = _TARGET_SQL.format(
        target=target,
        target_table=target_table,
        key=key,
        campaign=table(Campaign),
        association=table(Association),
        instrument=table(Instrument),
    )
    return sql_fetchone(sql, [value])


def _instance(model: Any, data: dict[str, Any]) -> Any:
    """A model instance as the ORM would load it with only these fields (the rest deferred)."""
    fields = [f.attname for f in model._meta.concrete_fields if f.attname in data]
    return model.from_db("default", fields, [data[name] for name in fields])


def _campaign_from_row(row: tuple[Any, ...]) -> Campaign:
    (campaign_id, name, association_id, instrument_id, groups, opens_on, closes_on, closed_on) = row[:8]
    (association_name, instrument_name, intro, kind, frozen) = row[8:]
    to_date = Campaign._meta.get_field("opens_on").to_python
    campaign: Campaign = _instance(
        Campaign,
        {
            "id": campaign_id,
            "name": name,
            "association_id": association_id,
            "instrument_id": instrument_id,
            "respondent_groups": json.loads(groups) if isinstance(groups, str) else groups,
            "opens_on": to_date(opens_on),
            "closes_on": to_date(closes_on),
            "closed_on": to_date(closed_on) if closed_on is not None else None,
        },
    )
    campaign.association = _instance(Association, {"id": association_id, "name": association_name})
    campaign.instrument = _instance(
        Instrument,
        {"id": instrument_id, "name": instrument_name, "intro": intro, "kind": kind, "frozen": bool(frozen)},
    )
    return campaign


def link_target(token: str) -> tuple[str, Campaign] | None:
    """(respondent group, campaign with its association and instrument) behind an open link, in one query."""
    row = _target_row(table(CampaignLink), "t.respondent_group", "token", token)
    return None if row is None else (row[0], _campaign_from_row(row[1:]))


def invitation_target(lookup: str) -> tuple[str, Campaign] | None:
    """(respondent group, campaign …) behind a personal link, found by its keyed lookup hash."""
    row = _target_row(table(Invitation), "t.respondent_group", "lookup", lookup)
    return None if row is None else (row[0], _campaign_from_row(row[1:]))


# --- the agency list -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyChoice:
    pk: int
    name: str


def agency_choices(association_id: int) -> list[AgencyChoice]:
    """The association's member agencies for the answer form, ordered as Agency.Meta.ordering."""
    through = table(Association.agencies.through)
    agency = table(Agency)
    rows = sql_fetchall(
        f"SELECT g.id, g.name FROM {agency} g JOIN {through} m ON m.agency_id = g.id "  # noqa: S608 — table names
        "WHERE m.association_id = %s ORDER BY g.kind, g.name",
        [association_id],
    )
    return [AgencyChoice(pk, name) for pk, name in rows]


# --- the draft upsert ------------------------------------------------------------------------------
#
# Saving and submitting meet in one row: the submission turns it into a tombstone in the same
# statement that stores the answers, and a save never overwrites a tombstone, so a late autosave
# (a tap just before "Skicka") can never bring the answers back, whatever the timing. The
# database's unique key serialises the two.

_DRAFT_UPSERT = """
INSERT INTO {draft} ({rowid}"key", "campaign_id", "sealed", "submitted", "updated_on")
VALUES ({rowid_value}%s, %s, %s, {submitted}, %s)
ON CONFLICT ("key") DO UPDATE SET "sealed" = excluded."sealed", "submitted" = excluded."submitted",
    "updated_on" = excluded."updated_on"
WHERE NOT {draft}."submitted"
"""


def random_rowid() -> int:
    """SQLite numbers rows in the order they are written; an explicit random rowid says nothing."""
    return secrets.randbits(62) + 1


def _draft_upsert(cursor: Any, *, key: str, campaign_id: int, sealed: str, submitted: bool, today: date) -> None:
    sqlite = connection.vendor == "sqlite"
    sql = _DRAFT_UPSERT.format(
        draft=table(Draft),
        rowid='"rowid", ' if sqlite else "",
        rowid_value="%s, " if sqlite else "",
        submitted="TRUE" if submitted else "FALSE",
    )
    if not sqlite and connection.vendor != "postgresql":
        raise NotImplementedError(connection.vendor)
    params = [key, campaign_id, sealed, today]
    cursor.execute(sql, [random_rowid(), *params] if sqlite else params)


def draft_keep(*, key: str, campaign_id: int, sealed: str, today: date) -> None:
    """Keep a draft's sealed answers, unless that draft is already a tombstone (then nothing changes)."""
    with connection.cursor() as cursor:
        _draft_upsert(cursor, key=key, campaign_id=campaign_id, sealed=sealed, submitted=False, today=today)


# --- the submission --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubmissionWrites:
    """Everything one submission writes, worked out (and validated) before anything is written."""

    campaign_id: int
    respondent_group: str
    form_receipt: str
    invitation_receipt: str | None
    draft_key: str | None
    sealed: str  # the response (answers, scores, agency, date), sealed until it is published
    today: date


# The whole submission is one statement on PostgreSQL (one round trip, no BEGIN/COMMIT) and one
# transaction elsewhere. It writes only rows that name nobody: the receipts (keyed hashes, the primary
# key), the sealed pending response (random key) and the device's draft tombstone. The invitation is
# never touched, so no transaction id, row version or order ties an invitation to an answer.
_SUBMIT_SQL_POSTGRESQL = """
WITH form_receipt AS (
    INSERT INTO {receipt} ("key", "campaign_id", "kind", "respondent_group")
    VALUES (%(form)s, %(campaign)s, 'form', %(group)s)
), invitation_receipt AS (
    INSERT INTO {receipt} ("key", "campaign_id", "kind", "respondent_group")
    SELECT %(invitation)s::text, %(campaign)s, 'invitation', %(group)s WHERE %(invitation)s::text IS NOT NULL
), pending AS (
    INSERT INTO {pending} ("id", "campaign_id", "respondent_group", "sealed")
    VALUES (%(id)s::uuid, %(campaign)s, %(group)s, %(sealed)s)
), draft AS (
    INSERT INTO {draft} ("key", "campaign_id", "sealed", "submitted", "updated_on")
    SELECT %(draft)s::text, %(campaign)s, '', TRUE, %(today)s::date WHERE %(draft)s::text IS NOT NULL
    ON CONFLICT ("key") DO UPDATE SET "sealed" = '', "submitted" = TRUE, "updated_on" = excluded."updated_on"
)
SELECT 1
"""


@functools.cache
def _submit_sql_postgresql() -> str:
    return _SUBMIT_SQL_POSTGRESQL.format(receipt=table(Receipt), pending=table(PendingResponse), draft=table(Draft))


def _store_postgresql(writes: SubmissionWrites) -> None:
    params = {
        "form": writes.form_receipt,
        "invitation": writes.invitation_receipt,
        "campaign": writes.campaign_id,
        "group": writes.respondent_group,
        "id": uuid.uuid4(),
        "sealed": writes.sealed,
        "draft": writes.draft_key,
        "today": writes.today,
    }
    # Inside an outer transaction (paper import) a savepoint keeps a duplicate from spoiling it.
    with transaction.atomic() if connection.in_atomic_block else nullcontext():
        sql_fetchone(_submit_sql_postgresql(), params)


def _store_generic(writes: SubmissionWrites) -> None:
    """The same writes as one transaction (SQLite: in-process, so cheap), every row at a random rowid."""
    receipt, pending = table(Receipt), table(PendingResponse)
    with transaction.atomic(), connection.cursor() as cursor:
        receipts = [(writes.form_receipt, "form")]
        if writes.invitation_receipt is not None:
            receipts.append((writes.invitation_receipt, "invitation"))
        for key, kind in receipts:
            cursor.execute(
                f'INSERT INTO {receipt} ("rowid", "key", "campaign_id", "kind", "respondent_group") '  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [random_rowid(), key, writes.campaign_id, kind, writes.respondent_group],
            )
        cursor.execute(
            f'INSERT INTO {pending} ("rowid", "id", "campaign_id", "respondent_group", "sealed") '  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [random_rowid(), uuid.uuid4().hex, writes.campaign_id, writes.respondent_group, writes.sealed],
        )
        if writes.draft_key is not None:
            _draft_upsert(
                cursor,
                key=writes.draft_key,
                campaign_id=writes.campaign_id,
                sealed="",
                submitted=True,
                today=writes.today,
            )


def submission_store(writes: SubmissionWrites) -> None:
    """Write one submission; django.db.IntegrityError when a receipt already exists (nothing is written)."""
    store = _store_postgresql if connection.vendor == "postgresql" else _store_generic
    store(writes)
