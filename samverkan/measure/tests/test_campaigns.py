"""Creating campaigns and instruments through the pages an admin uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.measure.models import Campaign, CampaignLink, Instrument
from samverkan.measure.tests.factories import campaign_form_data, core_instrument, open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


def test_admin_creates_a_campaign_with_one_link_per_group_and_a_frozen_instrument(actors) -> None:
    client = actors.client_for(actors.admin)
    response = client.post(reverse("measure:campaign_create", args=["alfa"]), campaign_form_data())
    campaign = Campaign.objects.get(name="Mätning våren 2027")
    assert response.status_code == 302
    assert response["Location"] == reverse("measure:campaign_detail", args=["alfa", campaign.pk])
    assert campaign.association == actors.association
    assert set(CampaignLink.objects.filter(campaign=campaign).values_list("respondent_group", flat=True)) == {
        "board",
        "staff",
    }
    assert Instrument.objects.get(pk=campaign.instrument_id).frozen
    detail = client.get(response["Location"]).content.decode()
    link = CampaignLink.objects.filter(campaign=campaign).first()
    assert link is not None and link.token in detail
    qr = client.get(reverse("measure:link_qr", args=["alfa", campaign.pk, "staff"]))
    assert (
        qr.status_code == 200
        and qr["Content-Type"] == "image/svg+xml"
        and b'<svg xmlns="http://www.w3.org/2000/svg"' in qr.content
    )


def test_campaign_form_errors_are_swedish_and_keep_what_was_typed(actors) -> None:
    client = actors.client_for(actors.admin)
    today = timezone.localdate()
    response = client.post(
        reverse("measure:campaign_create", args=["alfa"]),
        campaign_form_data(
            min_group_size="2", closes_on=(today - timedelta(days=3)).isoformat(), name="Min fina mätning"
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Slutdatum kan inte vara före startdatum." in html
    assert "Min fina mätning" in html
    assert not Campaign.objects.filter(name="Min fina mätning").exists()


def test_member_cannot_create_or_close(actors) -> None:
    campaign = open_campaign(actors.association)
    client = actors.client_for(actors.member)
    assert client.post(reverse("measure:campaign_create", args=["alfa"]), campaign_form_data()).status_code == 403
    assert client.post(reverse("measure:campaign_close", args=["alfa", campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.closed_on is None


def test_closing_stops_answers_and_the_page_says_so(actors) -> None:
    campaign = open_campaign(actors.association)
    client = actors.client_for(actors.admin)
    close = reverse("measure:campaign_close", args=["alfa", campaign.pk])
    assert client.post(close, {"confirm": "yes"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    link = CampaignLink.objects.filter(campaign=campaign).first()
    assert link is not None
    page = client.get(reverse("measure:answer_link", args=[link.token]))
    assert "stängd" in page.content.decode()


def test_previous_round_must_use_the_same_instrument(actors) -> None:
    from samverkan.measure.tests.factories import participant_instrument

    earlier = open_campaign(actors.association, name="Deltagare 2025", instrument=participant_instrument())
    response = actors.client_for(actors.admin).post(
        reverse("measure:campaign_create", args=["alfa"]), campaign_form_data(previous=str(earlier.pk))
    )
    assert "samma enkät" in response.content.decode()


def test_own_items_go_to_a_copy_marked_local_and_a_used_version_stays_frozen(actors) -> None:
    client = actors.client_for(actors.admin)
    core = core_instrument()
    copy_response = client.post(reverse("measure:instrument_copy", args=["alfa", core.pk]), {"name": "Vår egen enkät"})
    assert copy_response.status_code == 302
    own = Instrument.objects.get(association=actors.association, name="Vår egen enkät")
    assert own.items.count() == core.items.count() and not own.items.filter(is_local=True).exists()
    # Used by a campaign, the version is frozen: adding an item makes a new version.
    campaign = open_campaign(actors.association, name="Egen mätning", instrument=own)
    submit(campaign, "staff", ring_answers(3))
    add = client.post(
        reverse("measure:item_add", args=["alfa", own.pk]),
        {"kind": "likert", "text": "Vi har en gemensam plan för våra deltagare.", "options": ""},
    )
    assert add.status_code == 302
    newest = Instrument.objects.filter(association=actors.association, name="Vår egen enkät").order_by("-version")
    assert newest[0].version == 2
    local = newest[0].items.get(is_local=True)
    assert local.text.startswith("Vi har en gemensam plan") and not local.benchmark_key
    assert own.items.count() == core.items.count()  # the used version is unchanged
    # The core instrument can never be changed by an association.
    assert client.post(
        reverse("measure:item_add", args=["alfa", core.pk]), {"kind": "text", "text": "x"}
    ).status_code in (
        403,
        404,
    )


def test_other_association_cannot_see_or_copy_an_own_instrument(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(reverse("measure:instrument_copy", args=["alfa", core_instrument().pk]), {"name": "Alfas enkät"})
    own = Instrument.objects.get(name="Alfas enkät")
    outsider = actors.client_for(actors.outsider)
    assert outsider.get(reverse("measure:instrument_detail", args=["beta", own.pk])).status_code == 404
    assert (
        outsider.post(reverse("measure:instrument_copy", args=["beta", own.pk]), {"name": "Stulen"}).status_code == 404
    )
