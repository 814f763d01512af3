"""A campaign on an instrument of kind "network" belongs to the collaboration map (samverkan/network).

Mät only lends it dates, links, invitations and receipts: its own lists, pages and anonymous answer
form leave such a campaign alone, so a network round (whose answers are shown per agency) can never be
answered through the form that promises anonymity, nor show up among the measurement rounds.
"""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.measure import anonymity
from samverkan.measure.models import Campaign, CampaignLink, Instrument, InstrumentKind, Invitation
from samverkan.measure.tests.factories import open_campaign


def _network_campaign(association):
    instrument = Instrument.objects.create(name="Nätverk", kind=InstrumentKind.NETWORK, frozen=True)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        association=association,
        name="Nätverksomgång",
        instrument=instrument,
        respondent_groups=["managers"],
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=9),
    )
    return instrument, campaign


def test_measure_lists_and_pages_leave_a_network_campaign_alone(actors) -> None:
    ordinary = open_campaign(actors.association, name="Vanlig")
    instrument, campaign = _network_campaign(actors.association)
    assert list(Campaign.objects.for_association(actors.association)) == [ordinary]
    assert instrument not in Instrument.objects.available_to(actors.association)
    client = actors.client_for(actors.admin)
    assert "Nätverksomgång" not in client.get(reverse("measure:campaign_list", args=["alfa"])).content.decode()
    assert client.get(reverse("measure:results", args=["alfa", campaign.pk])).status_code == 404


def test_the_anonymous_answer_form_refuses_a_network_campaigns_link_and_invitation(actors) -> None:
    _instrument, campaign = _network_campaign(actors.association)
    link = CampaignLink.objects.create(campaign=campaign, respondent_group="managers", token="natverkslank")
    response = Client().get(reverse("measure:answer_link", args=[link.token]))
    assert response.status_code == 404
    nonce = "0" * 32
    token = anonymity.invitation_token(nonce)
    Invitation.objects.create(
        campaign=campaign,
        respondent_group="managers",
        email="rep@fk.se",
        nonce=nonce,
        lookup=anonymity.invitation_lookup(token),
    )
    client = Client()
    client.cookies["samverkan_inbjudan"] = token
    assert client.get(reverse("measure:answer_invitation")).status_code == 404
    # An ordinary round's link still opens its form.
    ordinary = open_campaign(actors.association, name="Vanlig")
    ordinary_link = CampaignLink.objects.get(campaign=ordinary, respondent_group="staff")
    assert Client().get(reverse("measure:answer_link", args=[ordinary_link.token])).status_code == 200
