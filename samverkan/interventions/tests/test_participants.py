"""Participants: roles per intervention, the second factor, the identity number never kept, deletion, extract."""

from __future__ import annotations

import datetime
import io
import logging

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from samverkan.interventions import participant_selectors as selectors
from samverkan.interventions import participant_services as services
from samverkan.interventions.models import AnonymousParticipation, Participant
from samverkan.interventions.participant_views import extract_html
from samverkan.interventions.tests.participant_fixtures import PNR, participant_data, register, verified_client

pytestmark = pytest.mark.django_db

PNR_FORMS = ("19900101-0017", "199001010017", "900101-0017", "9001010017")


def _urls(world, participant=None):
    slug, pk = world.actors.association.slug, world.intervention.pk
    urls = [
        reverse("interventions:participant_list", args=[slug, pk]),
        reverse("interventions:participant_create", args=[slug, pk]),
        reverse("interventions:anonymous_create", args=[slug, pk]),
    ]
    if participant is not None:
        urls += [
            reverse(name, args=[slug, pk, participant.pk])
            for name in ("interventions:participant_edit", "interventions:participant_delete")
        ]
        urls.append(reverse("interventions:participant_extract", args=[slug, pk, participant.pk]))
    return urls


def _form(**kwargs):
    data = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in participant_data().items()}
    data.update(kwargs)
    return data


def test_insatsansvarig_never_reaches_a_participant_row(world) -> None:
    participant = register(world, code="D-SYNLIG1")
    client = verified_client(world.manager)
    for url in _urls(world, participant):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"D-SYNLIG1" not in response.content
        assert client.post(url).status_code == 403, url
    assert Participant.objects.filter(pk=participant.pk).exists()
    # The aggregates are theirs to see, without a single code.
    response = client.get(
        reverse("interventions:outcomes", args=[world.actors.association.slug, world.intervention.pk])
    )
    assert response.status_code == 200 and b"D-SYNLIG1" not in response.content


def test_the_api_offers_no_participant_rows(world, client: Client) -> None:
    """The API answers to an association's token, not to a person: no API route serves participants."""
    from django.urls import get_resolver

    register(world, code="D-API00001", end=datetime.date(2024, 5, 1), income_end="lon", end_reason="arbete")
    seen = 0
    for pattern in get_resolver().url_patterns:
        if str(pattern.pattern).startswith("api/"):
            for sub in getattr(pattern, "url_patterns", []):
                route = str(sub.pattern)
                assert "deltagare" not in route and "participant" not in route, route
                seen += 1
    assert seen


def test_admin_without_a_role_in_the_intervention_sees_no_participants(world) -> None:
    participant = register(world)
    client = verified_client(world.actors.admin)
    for url in _urls(world, participant):
        assert client.get(url).status_code == 403, url


def test_deltagaransvarig_of_another_intervention_is_refused(world) -> None:
    from samverkan.interventions.models import AssignmentRole, InterventionAssignment

    InterventionAssignment.objects.filter(user=world.coordinator).update(intervention=world.second_intervention)
    assert InterventionAssignment.objects.get(user=world.coordinator).role == AssignmentRole.PARTICIPANTS
    participant = register(world)
    client = verified_client(world.coordinator)
    for url in _urls(world, participant):
        assert client.get(url).status_code == 403, url


def test_participant_pages_require_a_verified_second_factor(world) -> None:
    participant = register(world)
    client = Client()
    client.force_login(world.coordinator)
    for url in _urls(world, participant):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:second_factor")), response["Location"]
    # With an app but an unverified session: to the code page.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=world.coordinator, name="app", confirmed=True)
    response = client.get(_urls(world)[0])
    assert response.status_code == 302 and "next=" in response["Location"]
    assert verified_client(world.coordinator).get(_urls(world)[0]).status_code == 200


def test_deltagaransvarig_sees_and_edits_the_participants(world) -> None:
    participant = register(world, code="D-EGEN0001")
    client = verified_client(world.coordinator)
    slug, pk = world.actors.association.slug, world.intervention.pk
    response = client.get(reverse("interventions:participant_list", args=[slug, pk]))
    assert response.status_code == 200 and b"D-EGEN0001" in response.content
    assert response["Cache-Control"] == "no-store"
    response = client.post(
        reverse("interventions:participant_edit", args=[slug, pk, participant.pk]),
        _form(code="D-EGEN0001", end="2024-10-01", income_end="lon", end_reason="arbete", status_90="lon"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    participant.refresh_from_db()
    assert participant.end == datetime.date(2024, 10, 1) and participant.income_end == "lon"


def test_other_tenant_ids_are_404(world) -> None:
    client = verified_client(world.coordinator)
    slug = world.actors.association.slug
    theirs = register(world, intervention=world.other_intervention, code="D-BETA0001")
    mine_elsewhere = register(world, intervention=world.second_intervention, code="D-STEG2001")
    assert (
        client.get(reverse("interventions:participant_list", args=[slug, world.other_intervention.pk])).status_code
        == 404
    )
    assert client.get(reverse("interventions:outcomes", args=[slug, world.other_intervention.pk])).status_code == 404
    for p in (theirs, mine_elsewhere):
        for name in ("participant_edit", "participant_delete", "participant_extract"):
            url = reverse(f"interventions:{name}", args=[slug, world.intervention.pk, p.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert Participant.objects.filter(pk__in=[theirs.pk, mine_elsewhere.pk]).count() == 2


def test_anonymous_visitor_is_sent_to_login(world, client: Client) -> None:
    participant = register(world)
    urls = _urls(world, participant)
    urls.append(reverse("interventions:outcomes", args=[world.actors.association.slug, world.intervention.pk]))
    urls.append(reverse("interventions:assignments", args=[world.actors.association.slug, world.intervention.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), url


def test_the_identity_number_never_appears_in_the_database_logs_audit_or_pages(world, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    client = verified_client(world.coordinator)
    slug, pk = world.actors.association.slug, world.intervention.pk
    url = reverse("interventions:participant_create", args=[slug, pk])
    response = client.post(url, _form(code="D-PNR00001", identity_number=PNR))
    assert response.status_code == 302
    participant = Participant.objects.get(code="D-PNR00001")
    assert participant.identity_hash and participant.identity_key_id
    # A second registration of the same person is refused, and the page does not echo the number back.
    again = client.post(url, _form(code="D-PNR00002", identity_number="900101-0017"))
    assert again.status_code == 200 and "redan registrerad" in again.content.decode()
    bad = client.post(url, _form(code="D-PNR00003", identity_number="19900101-0018"))
    assert bad.status_code == 200 and "kontrollsiffra" in bad.content.decode()
    pages = again.content.decode() + bad.content.decode()
    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    audit = " ".join(str(e.changes) + e.object_repr for e in LogEntry.objects.all())
    pdf_html = extract_html(participant)
    for form in (*PNR_FORMS, "19900101-0018", "199001010018"):
        for where, text in (("db", dump.getvalue()), ("log", caplog.text), ("audit", audit), ("page", pages)):
            assert form not in text, (form, where)
        assert form not in pdf_html
    assert participant.identity_hash not in audit


def test_bad_input_keeps_the_form_and_says_why_in_swedish(world) -> None:
    client = verified_client(world.coordinator)
    url = reverse("interventions:participant_create", args=[world.actors.association.slug, world.intervention.pk])
    response = client.post(url, _form(code="D-FEL00001", start="2024-05-01", end="2024-04-01", income_end="lon"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in text and "Ange avslutsorsak." in text
    assert 'value="D-FEL00001"' in text
    assert not Participant.objects.filter(code="D-FEL00001").exists()


def test_deleting_a_participant_removes_everything_and_leaves_aggregates_consistent(world) -> None:
    for i in range(12):
        register(world, code=f"D-ALL{i:05}", end=datetime.date(2024, 9, 1), income_end="lon", end_reason="arbete")
    for i in range(6):
        register(
            world, code=f"D-SJK{i:05}", end=datetime.date(2024, 9, 1), income_end="sjukpenning", end_reason="sjukdom"
        )
    services.anonymous_add(
        intervention=world.intervention,
        start_year=2024,
        end_year=2024,
        gender="man",
        age_band="30-39",
        income_start="sjukpenning",
        income_end="lon",
        count=5,
    )
    victim = Participant.objects.get(code="D-ALL00003")
    victim.consent_purpose = "Ändrat ändamål"
    victim.save()
    before = selectors.outcome_page(world.intervention, 2024)
    assert before.total == 23
    client = verified_client(world.coordinator)
    slug, pk = world.actors.association.slug, world.intervention.pk
    response = client.post(reverse("interventions:participant_delete", args=[slug, pk, victim.pk]))
    assert response.status_code == 302
    assert not Participant.objects.filter(pk=victim.pk).exists()
    after = selectors.outcome_page(world.intervention, 2024)
    assert after.total == 22
    assert after.transition is not None and before.transition is not None
    assert after.transition.cell("sjukpenning", "lon") == before.transition.cell("sjukpenning", "lon") - 1
    assert after.work_end is not None and after.work_end.count == 16
    # Sum of the visible cells of every row plus the hidden remainder is still the row total (one source of truth).
    records = selectors.outcome_records(world.intervention, 2024)
    assert sum(r.count for r in records) == after.total
    entries = LogEntry.objects.all()
    assert not any("D-ALL00003" in (e.object_repr + str(e.changes)) for e in entries)
    assert not entries.filter(object_pk=str(victim.pk), content_type__model="participant").exists()
    neutral = [e for e in entries if "borttagen på begäran" in str(e.changes)]
    assert len(neutral) == 1 and neutral[0].object_repr == world.intervention.name
    assert AnonymousParticipation.objects.get().count == 5


def test_audit_trail_masks_values_and_never_holds_the_hash(world) -> None:
    participant = services.participant_register(
        intervention=world.intervention,
        recorded_by=world.coordinator,
        identity_number=PNR,
        **participant_data(code="D-AUD00001"),
    )
    participant.gender = "man"
    participant.save()
    entries = LogEntry.objects.filter(content_type__model="participant", object_pk=str(participant.pk))
    assert entries.count() == 2
    for entry in entries:
        assert "identity_hash" not in entry.changes_dict and "identity_key_id" not in entry.changes_dict
        assert "kvinna" not in str(entry.changes) and "sjukpenning" not in str(entry.changes)
    update = entries.filter(action=LogEntry.Action.UPDATE).get()
    assert set(update.changes_dict) == {"gender"}


def test_register_extract_is_a_pdf_with_everything_stored(world) -> None:
    participant = register(
        world, code="D-UTDRAG01", end=datetime.date(2024, 6, 1), income_end="lon", end_reason="arbete"
    )
    html = extract_html(participant)
    for expected in (
        "D-UTDRAG01",
        "kvinna",
        "25–29",
        "sjukpenning/rehabiliteringspenning",
        "lön/anställning",
        "Uppföljning av insatsen",
        "2024-02-01",
        "Steg 1",
    ):
        assert expected in html, expected
    client = verified_client(world.coordinator)
    url = reverse(
        "interventions:participant_extract", args=[world.actors.association.slug, world.intervention.pk, participant.pk]
    )
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_without_consent_only_anonymous_counts_are_kept(world) -> None:
    client = verified_client(world.coordinator)
    url = reverse("interventions:anonymous_create", args=[world.actors.association.slug, world.intervention.pk])
    data = {
        "start_year": 2024,
        "end_year": 2024,
        "gender": "kvinna",
        "age_band": "20-24",
        "income_start": "a_kassa",
        "income_end": "lon",
        "count": 2,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    row = AnonymousParticipation.objects.get()
    assert row.count == 4 and not Participant.objects.exists()
    field_names = {f.name for f in AnonymousParticipation._meta.get_fields()}
    assert not field_names & {"code", "start", "end", "identity_hash", "consent_date"}


def test_admin_manages_roles_and_members_cannot(world) -> None:
    slug, pk = world.actors.association.slug, world.intervention.pk
    url = reverse("interventions:assignments", args=[slug, pk])
    assert world.actors.client_for(world.actors.member).get(url).status_code == 403
    assert world.actors.client_for(world.coordinator).get(url).status_code == 403
    admin = world.actors.client_for(world.actors.admin)
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"user": str(world.actors.member.pk), "role": "deltagaransvarig"})
    assert response.status_code == 302
    from samverkan.interventions.participant_access import can_see_participants, has_participant_role

    assert can_see_participants(world.actors.member, world.intervention)
    assert has_participant_role(world.actors.member, world.actors.association)
    admin.post(url, {"user": str(world.actors.member.pk), "role": ""})
    assert not can_see_participants(world.actors.member, world.intervention)
    # An outsider cannot be given a role: not in the choices.
    response = admin.post(url, {"user": str(world.actors.outsider.pk), "role": "deltagaransvarig"})
    assert response.status_code == 200


def test_the_second_factor_is_required_for_deltagaransvarig_only(world) -> None:
    from samverkan.accounts.second_factor import second_factor_required

    assert second_factor_required(world.coordinator, world.actors.association)
    assert not second_factor_required(world.manager, world.actors.association)
    assert not second_factor_required(world.coordinator, world.actors.other_association)


def test_outcome_page_shows_no_small_group(world) -> None:
    for i in range(7):
        register(world, code=f"D-OUT{i:05}", end=datetime.date(2024, 9, 1), income_end="lon", end_reason="arbete")
    for i in range(2):
        register(
            world, code=f"D-SMA{i:05}", end=datetime.date(2024, 9, 1), income_end="studiemedel", end_reason="studier"
        )
    client = world.actors.client_for(world.actors.member)
    url = reverse("interventions:outcomes", args=[world.actors.association.slug, world.intervention.pk])
    text = client.get(url + "?ar=2024").content.decode()
    tables = selectors.outcome_page(world.intervention, 2024)
    assert tables.total == 9
    assert tables.transition is not None and tables.transition.column_totals["studiemedel"] is None
    assert tables.transition.cell("sjukpenning", "lon") is None  # else 9 − 7 = 2 in studiemedel
    assert "n = 9" in text and 'aria-label="dolt"' in text
    few = client.get(url + "?ar=2023").content.decode()
    assert "Inget utfall visas" in few


def test_key_rotation_matches_under_the_old_key_and_rehashes_under_the_new(world, settings) -> None:
    settings.SAMVERKAN_PERSONNUMMER_KEY = "gammal-nyckel"
    participant = services.participant_register(
        intervention=world.intervention, recorded_by=world.coordinator, identity_number=PNR, **participant_data()
    )
    old_hash, old_key = participant.identity_hash, participant.identity_key_id
    settings.SAMVERKAN_PERSONNUMMER_KEY = "ny-nyckel"
    settings.SAMVERKAN_PERSONNUMMER_OLD_KEYS = []
    assert services.matching_participants(intervention=world.intervention, number=PNR) == []
    settings.SAMVERKAN_PERSONNUMMER_OLD_KEYS = ["gammal-nyckel"]
    assert services.matching_participants(intervention=world.intervention, number=PNR) == [participant]
    assert services.participant_identity_upgrade(participant=participant, number=PNR)
    participant.refresh_from_db()
    assert participant.identity_hash != old_hash and participant.identity_key_id != old_key
    settings.SAMVERKAN_PERSONNUMMER_OLD_KEYS = []
    assert services.matching_participants(intervention=world.intervention, number=PNR) == [participant]
    with pytest.raises(services.ServiceError):  # the same person again, now under the new key
        services.participant_register(
            intervention=world.intervention,
            recorded_by=world.coordinator,
            identity_number="900101-0017",
            **participant_data(code="D-IGEN0001"),
        )
