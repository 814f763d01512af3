"""The answer path's hand-written SQL (answer_sql.py) does exactly what the ORM would do, on every database."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import IntegrityError

from samverkan.common.factories import AgencyFactory, AssociationFactory
from samverkan.measure import anonymity, answer_sql, services
from samverkan.measure.models import Campaign, Draft, Invitation, PendingResponse, Receipt
from samverkan.measure.tests.factories import open_campaign
from samverkan.tenancy.models import AgencyKind


def _assert_read_as_the_orm(read, expected: Campaign) -> None:
    for field in ("pk", "name", "association_id", "instrument_id", "respondent_groups", "opens_on", "closes_on"):
        assert getattr(read, field) == getattr(expected, field), field
    assert read.closed_on == expected.closed_on and read.status == expected.status
    assert read.association.name == expected.association.name
    for field in ("pk", "name", "intro", "kind", "frozen"):
        assert getattr(read.instrument, field) == getattr(expected.instrument, field), field
    assert read.min_group_size == expected.min_group_size  # not read: loads on access, never wrong


def test_the_campaign_behind_a_link_is_read_as_the_orm_reads_it(actors) -> None:
    """The answer path reads link → campaign in hand-written SQL; every field must land where it belongs."""
    campaign = open_campaign(actors.association)
    services.campaign_close(campaign=campaign)
    token = campaign.links.get(respondent_group="staff").token
    group, read = answer_sql.link_target(token)
    expected = Campaign.objects.select_related("association", "instrument").get(pk=campaign.pk)
    assert group == "staff"
    assert read.status == "closed"
    _assert_read_as_the_orm(read, expected)
    assert answer_sql.link_target("no-such-token") is None


def test_the_campaign_behind_a_personal_link_is_read_as_the_orm_reads_it(actors) -> None:
    campaign = open_campaign(actors.association)
    lookup = anonymity.invitation_lookup("personal-token")
    Invitation.objects.create(
        campaign=campaign, respondent_group="board", email="a@example.se", nonce="0" * 32, lookup=lookup
    )
    group, read = answer_sql.invitation_target(lookup)
    expected = Campaign.objects.select_related("association", "instrument").get(pk=campaign.pk)
    assert group == "board"
    _assert_read_as_the_orm(read, expected)
    assert answer_sql.invitation_target(anonymity.invitation_lookup("other")) is None


def test_the_agency_list_of_the_answer_form_is_the_orms_in_the_orms_order(actors) -> None:
    other = AssociationFactory()
    mine = [
        AgencyFactory(name="Örebro kommun"),
        AgencyFactory(name="Arbetsförmedlingen Örebro", kind=AgencyKind.AF),
        AgencyFactory(name="Region Örebro län", kind=AgencyKind.REGION),
    ]
    actors.association.agencies.add(*mine)
    other.agencies.add(AgencyFactory(name="Kommun utanför"))
    expected = [(agency.pk, agency.name) for agency in actors.association.agencies.all()]  # Agency.Meta.ordering
    assert [(choice.pk, choice.name) for choice in answer_sql.agency_choices(actors.association.pk)] == expected


def _writes(campaign: Campaign, tag: str, *, invitation: bool) -> answer_sql.SubmissionWrites:
    return answer_sql.SubmissionWrites(
        campaign_id=campaign.pk,
        respondent_group="staff",
        form_receipt=f"form-{tag}",
        invitation_receipt=f"invitation-{tag}" if invitation else None,
        draft_key=f"draft-{tag}",
        sealed=f"sealed-{tag}",
        today=date(2026, 3, 4),
    )


def _orm_store(writes: answer_sql.SubmissionWrites) -> None:
    """The reference: what the submission statement must write, said with the ORM."""
    common = {"campaign_id": writes.campaign_id, "respondent_group": writes.respondent_group}
    Receipt.objects.create(key=writes.form_receipt, kind="form", **common)
    if writes.invitation_receipt is not None:
        Receipt.objects.create(key=writes.invitation_receipt, kind="invitation", **common)
    PendingResponse.objects.create(sealed=writes.sealed, **common)
    assert writes.draft_key is not None
    Draft.objects.update_or_create(
        key=writes.draft_key,
        defaults={"campaign_id": writes.campaign_id, "sealed": "", "submitted": True, "updated_on": writes.today},
    )


def _rows(tag: str) -> dict[str, list[tuple]]:
    """Every row a submission tagged `tag` wrote, with the tag taken out (the rest must be equal)."""
    receipts = sorted(
        (r.key.replace(tag, "*"), r.campaign_id, r.kind, r.respondent_group)
        for r in Receipt.objects.filter(key__endswith=tag)
    )
    pending = [
        (p.campaign_id, p.respondent_group, p.sealed.replace(tag, "*"), isinstance(p.id, uuid.UUID))
        for p in PendingResponse.objects.filter(sealed__endswith=tag)
    ]
    drafts = [
        (d.key.replace(tag, "*"), d.campaign_id, d.sealed, d.submitted, d.updated_on)
        for d in Draft.objects.filter(key__endswith=tag)
    ]
    return {"receipts": receipts, "pending": pending, "drafts": drafts}


@pytest.mark.parametrize("invitation", [False, True], ids=["open_link", "personal_link"])
@pytest.mark.parametrize("typed_before", [False, True], ids=["no_draft", "draft"])
def test_the_submission_statement_writes_what_the_orm_reference_writes(actors, invitation, typed_before) -> None:
    """Receipts, the sealed pending response and the draft's tombstone: the same rows as the ORM's, on
    SQLite and PostgreSQL, whether or not a draft was saved before; a replay writes nothing at all."""
    campaign = open_campaign(actors.association)
    if typed_before:
        for tag in ("sql", "ref"):
            Draft.objects.create(
                key=f"draft-{tag}", campaign=campaign, sealed="typed", submitted=False, updated_on=date(2026, 3, 3)
            )
    answer_sql.submission_store(_writes(campaign, "sql", invitation=invitation))
    _orm_store(_writes(campaign, "ref", invitation=invitation))
    stored = _rows("sql")
    assert stored == _rows("ref")
    assert len(stored["receipts"]) == (2 if invitation else 1) and len(stored["pending"]) == 1
    with pytest.raises(IntegrityError):
        answer_sql.submission_store(_writes(campaign, "sql", invitation=invitation))
    assert _rows("sql") == stored


def test_the_draft_upsert_writes_what_the_orm_reference_writes_and_never_revives_a_tombstone(actors) -> None:
    campaign = open_campaign(actors.association)
    first, later = date(2026, 3, 3), date(2026, 3, 4)

    def row(key: str) -> tuple:
        draft = Draft.objects.get(key=key)
        return (draft.campaign_id, draft.sealed, draft.submitted, draft.updated_on)

    answer_sql.draft_keep(key="new", campaign_id=campaign.pk, sealed="typed", today=first)
    Draft.objects.create(key="new-ref", campaign=campaign, sealed="typed", submitted=False, updated_on=first)
    assert row("new") == row("new-ref")
    answer_sql.draft_keep(key="new", campaign_id=campaign.pk, sealed="more", today=later)
    Draft.objects.filter(key="new-ref").update(sealed="more", updated_on=later)
    assert row("new") == row("new-ref")
    Draft.objects.create(key="sent", campaign=campaign, sealed="", submitted=True, updated_on=first)
    answer_sql.draft_keep(key="sent", campaign_id=campaign.pk, sealed="late autosave", today=later)
    assert row("sent") == (campaign.pk, "", True, first)
