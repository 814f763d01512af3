"""The audit trail: who changed what and when, for admins, scoped to the association, never an IP address."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from samverkan.interventions.audit import AUDITED, register_audited
from samverkan.interventions.audit_views import association_log
from samverkan.interventions.models import Financing, InKind, Intervention, VolumeCount

from .factories import InterventionFactory, money
from .test_interventions import form_data, with_rows

pytestmark = pytest.mark.django_db


def test_every_intervention_model_is_audited() -> None:
    assert {Intervention, Financing, InKind, VolumeCount} <= set(AUDITED)


def test_a_change_through_the_form_is_logged_with_its_author_and_no_ip(actors) -> None:
    data = with_rows(form_data(), "fin", [{"year": "2023", "financier_kind": "pooled", "amount": "1000"}])
    actors.client_for(actors.analyst).post(reverse("interventions:intervention_create", args=["alfa"]), data)
    intervention = Intervention.objects.get(code="team")
    entries = list(association_log(actors.association))
    assert {e.content_type.model for e in entries} == {"intervention", "financing"}
    assert all(e.actor == actors.analyst for e in entries)
    assert all(e.remote_addr is None for e in entries)
    created = next(e for e in entries if e.content_type.model == "intervention")
    assert created.additional_data == {"association_id": actors.association.pk, "intervention_id": intervention.pk}


def test_the_log_page_shows_who_changed_what_for_admins_only(actors) -> None:
    url = reverse("interventions:audit_log", args=["alfa"])
    data = form_data(name="Loggad insats")
    actors.client_for(actors.analyst).post(reverse("interventions:intervention_create", args=["alfa"]), data)
    intervention = Intervention.objects.get(code="team")
    edit = reverse("interventions:intervention_edit", args=["alfa", intervention.pk])
    actors.client_for(actors.analyst).post(edit, form_data(name="Omdöpt insats"))
    html = actors.client_for(actors.admin).get(url).content.decode()
    assert "Omdöpt insats" in html and "Loggad insats" in html  # the old name and the new
    assert actors.analyst.email in html or actors.analyst.get_full_name() in html
    assert "namn" in html  # the field's Swedish name
    assert actors.client_for(actors.analyst).get(url).status_code == 403
    assert actors.client_for(actors.member).get(url).status_code == 403


def test_the_log_holds_only_the_associations_own_entries(actors) -> None:
    InterventionFactory(association=actors.other_association, name="Betas hemliga insats")
    theirs = InterventionFactory(association=actors.other_association, name="Betas andra")
    money(theirs, 2023, 5)
    ours = InterventionFactory(association=actors.association, name="Alfas insats")
    assert {e.object_repr for e in association_log(actors.association)} == {"Alfas insats"}
    html = actors.client_for(actors.admin).get(reverse("interventions:audit_log", args=["alfa"])).content.decode()
    assert "Betas" not in html and "Alfas insats" in html
    assert ours.pk


def test_deleting_an_intervention_keeps_its_log_with_its_association(actors) -> None:
    intervention = InterventionFactory(association=actors.association, name="Borta")
    money(intervention, 2023, 100)
    url = reverse("interventions:intervention_delete", args=["alfa", intervention.pk])
    actors.client_for(actors.admin).post(url, {"bekrafta": "ja"})
    deleted = [e for e in association_log(actors.association) if e.action == LogEntry.Action.DELETE]
    assert {e.content_type.model for e in deleted} == {"intervention", "financing"}
    assert all(e.actor == actors.admin for e in deleted)


def test_register_audited_leaves_excluded_fields_out_of_the_log(actors) -> None:
    # What the participants' part must do with an identity-number hash: exclude it, and it never reaches the log.
    from auditlog.registry import auditlog

    auditlog.unregister(VolumeCount)
    AUDITED.remove(VolumeCount)
    try:
        register_audited(VolumeCount, exclude_fields=["head_count"])
        intervention = InterventionFactory(association=actors.association)
        VolumeCount.objects.create(intervention=intervention, year=2024, head_count=987654)
        entry = LogEntry.objects.get_for_model(VolumeCount).get()
        assert "head_count" not in (entry.changes or "")
        assert "987654" not in str(entry.changes) and "987654" not in str(entry.serialized_data)
    finally:
        auditlog.unregister(VolumeCount)
        AUDITED.remove(VolumeCount)
        register_audited(VolumeCount)
