"""A round's life as staff see it: edit, a confirmed close, reopen, delete; a past start date asks first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.common.errors import ServiceError
from samverkan.measure import services
from samverkan.measure.models import (
    Answer,
    Campaign,
    CampaignLink,
    Draft,
    HallmarkScore,
    Invitation,
    PendingResponse,
    Receipt,
    Response,
)
from samverkan.measure.tests.factories import core_instrument, open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _edit_form(campaign: Campaign, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": campaign.name,
        "respondent_groups": list(campaign.respondent_groups),
        "opens_on": campaign.opens_on.isoformat(),
        "closes_on": campaign.closes_on.isoformat(),
        "min_group_size": str(campaign.min_group_size),
    }
    data.update(overrides)
    return data


# Access: every new view, for the other association's admin, a member and the anonymous visitor ----------------

VIEWS = ["campaign_edit", "campaign_close", "campaign_reopen", "campaign_delete"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_other_associations_admin_gets_404_from_the_round_actions(actors: Any, view: str, method: str) -> None:
    campaign = open_campaign(actors.association)
    url = reverse(f"measure:{view}", args=["alfa", campaign.pk])
    assert getattr(actors.client_for(actors.outsider), method)(url, {"confirm": "yes"}).status_code == 404
    # Nor through their own association's address.
    own = reverse(f"measure:{view}", args=["beta", campaign.pk])
    assert getattr(actors.client_for(actors.outsider), method)(own, {"confirm": "yes"}).status_code == 404
    assert Campaign.objects.filter(pk=campaign.pk, closed_on=None).exists()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_member_and_analyst_get_403_from_the_round_actions(actors: Any, view: str, method: str) -> None:
    campaign = open_campaign(actors.association)
    url = reverse(f"measure:{view}", args=["alfa", campaign.pk])
    for user in (actors.member, actors.analyst):
        assert getattr(actors.client_for(user), method)(url, {"confirm": "yes"}).status_code == 403
    assert Campaign.objects.filter(pk=campaign.pk, closed_on=None).exists()


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitor_is_sent_to_login_from_the_round_actions(actors: Any, view: str, method: str) -> None:
    campaign = open_campaign(actors.association)
    url = reverse(f"measure:{view}", args=["alfa", campaign.pk])
    response = getattr(Client(), method)(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert Campaign.objects.filter(pk=campaign.pk, closed_on=None).exists()


# Edit -----------------------------------------------------------------------------------------------------------


def test_admin_edits_a_rounds_name_dates_groups_and_minimum(actors: Any) -> None:
    campaign = open_campaign(actors.association, groups=("board", "staff"))
    old_staff_token = campaign.links.get(respondent_group="staff").token
    client = actors.client_for(actors.admin)
    url = reverse("measure:campaign_edit", args=["alfa", campaign.pk])
    page = client.get(url).content.decode()
    assert f'value="{campaign.name}"' in page and "Spara ändringarna" in page
    closes = TODAY() + timedelta(days=60)
    response = client.post(
        url,
        _edit_form(
            campaign,
            name="Omdöpt",
            respondent_groups=["staff", "managers"],
            closes_on=closes.isoformat(),
            min_group_size="7",
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.closes_on, campaign.min_group_size) == ("Omdöpt", closes, 7)
    assert campaign.respondent_groups == ["staff", "managers"]
    links = dict(CampaignLink.objects.filter(campaign=campaign).values_list("respondent_group", "token"))
    assert set(links) == {"staff", "managers"} and links["staff"] == old_staff_token  # shared links keep working


def test_a_group_with_answers_cannot_be_removed_when_editing(actors: Any) -> None:
    campaign = open_campaign(actors.association, groups=("board", "staff"))
    submit(campaign, "board", ring_answers(3))
    response = actors.client_for(actors.admin).post(
        reverse("measure:campaign_edit", args=["alfa", campaign.pk]),
        _edit_form(campaign, respondent_groups=["staff"], name="Nytt namn"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Styrelseledamot kan inte tas bort: gruppen har redan svar." in html
    assert 'value="Nytt namn"' in html  # what was typed is kept
    campaign.refresh_from_db()
    assert campaign.respondent_groups == ["board", "staff"] and campaign.name == "Mätning"
    assert campaign.links.filter(respondent_group="board").exists()


def test_a_group_with_invitations_cannot_be_removed_when_editing(actors: Any) -> None:
    campaign = open_campaign(actors.association, groups=("board", "staff"))
    services.invitations_create(
        campaign=campaign, emails=["a@kommun.se"], respondent_group="board", answer_base_url="https://x/svara/inbjudan/"
    )
    with pytest.raises(ServiceError) as refused:
        services.campaign_update(
            campaign=campaign,
            name=campaign.name,
            respondent_groups=["staff"],
            opens_on=campaign.opens_on,
            closes_on=campaign.closes_on,
            min_group_size=campaign.min_group_size,
        )
    assert refused.value.message_dict == {
        "respondent_groups": ["Styrelseledamot kan inte tas bort: gruppen har fått inbjudningar."]
    }


def test_the_start_date_cannot_move_past_the_first_answer(actors: Any) -> None:
    campaign = open_campaign(actors.association, opens_on=TODAY() - timedelta(days=5))
    submit(campaign, "staff", ring_answers(3), today=TODAY() - timedelta(days=4))
    with pytest.raises(ServiceError) as refused:
        services.campaign_update(
            campaign=campaign,
            name=campaign.name,
            respondent_groups=campaign.respondent_groups,
            opens_on=TODAY(),
            closes_on=campaign.closes_on,
            min_group_size=campaign.min_group_size,
        )
    assert "opens_on" in refused.value.message_dict


def test_editing_to_another_rounds_name_is_a_form_error(actors: Any) -> None:
    open_campaign(actors.association, name="Våren")
    campaign = open_campaign(actors.association, name="Hösten")
    response = actors.client_for(actors.admin).post(
        reverse("measure:campaign_edit", args=["alfa", campaign.pk]), _edit_form(campaign, name="Våren")
    )
    assert response.status_code == 400
    assert "Det finns redan en mätomgång med det namnet." in response.content.decode()


def test_creating_a_round_with_a_name_already_used_is_a_form_error_from_the_service(actors: Any) -> None:
    open_campaign(actors.association, name="Papper i våras")
    response = actors.client_for(actors.admin).post(
        reverse("measure:campaign_create", args=["alfa"]), _create_form(confirm_past_start="on")
    )
    assert response.status_code == 400
    assert "Det finns redan en mätomgång med det namnet." in response.content.decode()
    with pytest.raises(ServiceError):
        open_campaign(actors.association, name="Papper i våras")
    assert Campaign.objects.count() == 1


# A start date in the past ---------------------------------------------------------------------------------------


def _create_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Papper i våras",
        "instrument": core_instrument().pk,
        "respondent_groups": ["staff"],
        "opens_on": (TODAY() - timedelta(days=30)).isoformat(),
        "closes_on": (TODAY() + timedelta(days=5)).isoformat(),
        "min_group_size": "5",
        "previous": "",
    }
    data.update(overrides)
    return data


def test_a_start_date_in_the_past_needs_an_explicit_confirmation(actors: Any) -> None:
    client = actors.client_for(actors.admin)
    url = reverse("measure:campaign_create", args=["alfa"])
    assert 'name="confirm_past_start"' not in client.get(url).content.decode()  # the usual form stays short
    warned = client.post(url, _create_form())
    html = warned.content.decode()
    assert warned.status_code == 400
    assert "har redan passerat" in html and 'name="confirm_past_start"' in html
    assert not Campaign.objects.exists()
    confirmed = client.post(url, _create_form(confirm_past_start="on"))
    assert confirmed.status_code == 302
    assert Campaign.objects.get().opens_on == TODAY() - timedelta(days=30)


def test_editing_a_round_that_already_started_does_not_ask_about_its_start_date(actors: Any) -> None:
    campaign = open_campaign(actors.association, opens_on=TODAY() - timedelta(days=10))
    client = actors.client_for(actors.admin)
    url = reverse("measure:campaign_edit", args=["alfa", campaign.pk])
    assert client.post(url, _edit_form(campaign, name="Nytt")).status_code == 302
    earlier = client.post(url, _edit_form(campaign, opens_on=(TODAY() - timedelta(days=20)).isoformat()))
    assert earlier.status_code == 400 and "har redan passerat" in earlier.content.decode()


# Close, reopen --------------------------------------------------------------------------------------------------


def test_closing_asks_for_confirmation_first(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    client = actors.client_for(actors.admin)
    detail = client.get(reverse("measure:campaign_detail", args=["alfa", campaign.pk])).content.decode()
    url = reverse("measure:campaign_close", args=["alfa", campaign.pk])
    assert f'href="{url}"' in detail and f'action="{url}"' not in detail  # a link to the question, not a button
    page = client.get(url)
    assert page.status_code == 200 and "Stäng mätomgången?" in page.content.decode()
    assert client.post(url).status_code == 400  # a POST without the confirmation closes nothing
    campaign.refresh_from_db()
    assert campaign.closed_on is None
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_on == TODAY()


def test_admin_reopens_a_closed_round_with_a_new_closing_date(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    services.campaign_close(campaign=campaign)
    client = actors.client_for(actors.admin)
    url = reverse("measure:campaign_reopen", args=["alfa", campaign.pk])
    assert "Öppna igen" in client.get(url).content.decode()
    past = client.post(url, {"closes_on": (TODAY() - timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "i dag eller senare" in past.content.decode()
    new_close = TODAY() + timedelta(days=7)
    assert client.post(url, {"closes_on": new_close.isoformat()}).status_code == 302
    campaign.refresh_from_db()
    assert campaign.closed_on is None and campaign.closes_on == new_close and campaign.status == "open"
    answer = Client().get(reverse("measure:answer_link", args=[campaign.links.first().token]))
    assert answer.status_code == 200


def test_a_round_past_its_closing_date_can_be_reopened_too(actors: Any) -> None:
    campaign = open_campaign(
        actors.association, opens_on=TODAY() - timedelta(days=30), closes_on=TODAY() - timedelta(days=2)
    )
    services.campaign_reopen(campaign=campaign, closes_on=TODAY() + timedelta(days=3))
    campaign.refresh_from_db()
    assert campaign.status == "open"
    with pytest.raises(ServiceError):
        services.campaign_reopen(campaign=campaign, closes_on=TODAY() + timedelta(days=9))  # it is open


# Delete ---------------------------------------------------------------------------------------------------------


def test_delete_confirmation_states_how_many_answers_and_then_deletes_everything(actors: Any) -> None:
    campaign = open_campaign(actors.association)
    later = open_campaign(actors.association, name="Nästa", previous=campaign)
    for value in (1, 2, 3, 4, 5, 3):
        submit(campaign, "staff", ring_answers(value))
    services.invitations_create(
        campaign=campaign,
        emails=["a@kommun.se", "b@kommun.se"],
        respondent_group="board",
        answer_base_url="https://x/svara/inbjudan/",
    )
    Draft.objects.create(campaign=campaign, key="x" * 64, sealed="", updated_on=TODAY())
    submit(campaign, "board", ring_answers(2), publish_now=False)  # one waiting for its batch
    client = actors.client_for(actors.admin)
    url = reverse("measure:campaign_delete", args=["alfa", campaign.pk])
    page = client.get(url).content.decode()
    assert "7 svar" in page and "2 personliga inbjudningar" in page and "går inte att ångra" in page
    assert "1 senare mätomgång fortsätter den här" in page
    assert client.post(url).status_code == 400  # no confirmation, nothing deleted
    assert Response.objects.filter(campaign=campaign).count() == 6
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == reverse("measure:campaign_list", args=["alfa"])
    assert not Campaign.objects.filter(pk=campaign.pk).exists()
    for model in (Response, PendingResponse, Invitation, CampaignLink, Receipt, Draft):
        assert not model.objects.filter(campaign_id=campaign.pk).exists(), model
    assert not Answer.objects.exists() and not HallmarkScore.objects.exists()
    later.refresh_from_db()
    assert later.previous is None


def test_delete_confirmation_does_not_show_a_count_below_the_minimum_group_size(actors: Any) -> None:
    campaign = open_campaign(actors.association, min_group_size=5)
    for value in (1, 2):
        submit(campaign, "staff", ring_answers(value))
    page = actors.client_for(actors.admin).get(reverse("measure:campaign_delete", args=["alfa", campaign.pk]))
    html = page.content.decode()
    assert "färre än 5 svar" in html and "2 svar" not in html
