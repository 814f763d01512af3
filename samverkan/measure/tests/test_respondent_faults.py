"""Faults as a respondent meets them (issue 8): lost replies, double clicks, shared devices, cookies off."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from samverkan.measure import services
from samverkan.measure.models import Draft
from samverkan.measure.tests.factories import answer_form, open_campaign, ring_answers, stored_count


def _link(campaign) -> str:
    return reverse("measure:answer_link", args=[campaign.links.get(respondent_group="staff").token])


def _personal_client(actors, campaign) -> tuple[Client, str]:
    actors.client_for(actors.admin).post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]),
        {"respondent_group": "board", "emails": "fia@kommun.se"},
    )
    link = re.search(r"http://testserver(\S+)", mail.outbox[-1].body).group(1)
    path, _hash, secret = link.partition("#")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post(path, {"csrfmiddlewaretoken": csrf, "action": "code", "code": secret})
    return client, path


def test_reopening_an_open_link_after_a_lost_reply_says_it_was_sent_and_stores_no_second_answer(actors) -> None:
    """Finding: reopening after a lost reply gave a fresh key, and sending again stored a second answer
    (55 of 300 thanks pages were reset in a restart storm). The device's tombstone now counts."""
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    client = Client(enforce_csrf_checks=True)
    csrf, key = answer_form(client, url)
    client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(3)})
    # The thanks page never arrived; the respondent opens the link again.
    again = client.get(url).content.decode()
    assert "Ditt svar är redan inskickat" in again
    assert 'name="submission_key"' not in again  # no fresh form that would store a second answer
    assert stored_count(campaign) == 1


def test_a_personal_link_answers_a_resubmission_of_the_same_form_with_thanks_not_410(actors) -> None:
    """Finding: a double click or a lost reply on a personal link got 410 "Länken är redan använd";
    the form's one-time key is now looked at before the invitation's receipt."""
    campaign = open_campaign(actors.association)
    client, path = _personal_client(actors, campaign)
    csrf, key = answer_form(client, path)
    payload = {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(4)}
    first, second = client.post(path, payload), client.post(path, payload)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("measure:thanks")
    # A different form on the same personal link is a second answer: refused.
    other = client.post(path, {**payload, "submission_key": "another-form"})
    assert other.status_code == 410
    assert stored_count(campaign) == 1


def test_a_shared_device_can_start_over_without_the_previous_persons_draft(actors) -> None:
    """Finding: a shared device offered an unsent draft to the next person with no "start over"."""
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    client = Client(enforce_csrf_checks=True)
    csrf, key = answer_form(client, url)
    client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "save", "open_meaning": "Mitt"})
    page = client.get(url).content.decode()
    assert "Mitt" in page and "Börja om med ett tomt formulär" in page
    restarted = client.post(url, {"csrfmiddlewaretoken": csrf, "action": "restart"})
    assert restarted.status_code == 302
    fresh = client.get(url).content.decode()
    assert "Mitt" not in fresh
    assert re.search(r'name="submission_key" value="([^"]+)"', fresh).group(1) != key
    assert not Draft.objects.exclude(sealed="").exists()


def test_after_sending_the_next_person_on_the_device_can_answer_as_a_new_person(actors) -> None:
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    client = Client(enforce_csrf_checks=True)
    csrf, key = answer_form(client, url)
    client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(3)})
    assert "Svara som en ny person" in client.get(url).content.decode()
    client.post(url, {"csrfmiddlewaretoken": csrf, "action": "restart"})
    csrf, key2 = answer_form(client, url)
    assert key2 != key
    client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key2, "action": "submit", **ring_answers(2)})
    assert stored_count(campaign) == 2


def test_cookieless_autosaves_keep_no_drafts(actors) -> None:
    """Finding: autosave made a new draft per cookieless POST (10 POSTs added 24 MB)."""
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    for i in range(10):
        response = Client().post(
            url, {"submission_key": f"k{i}", "action": "autosave", "open_meaning": "x" * 3000}, HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200
        assert "kakor" in response.content.decode()
    assert Draft.objects.count() == 0


def test_an_autosave_of_any_length_is_refused_clearly(actors) -> None:
    """Finding: autosave took any length."""
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    client = Client()
    _csrf, key = answer_form(client, url)
    huge = {f"egen_{i}": "y" * 3000 for i in range(30)}
    too_long = client.post(url, {"submission_key": key, "action": "autosave", "open_meaning": "z" * 70_000, **huge})
    assert too_long.status_code == 413
    assert "för stort" in too_long.content.decode()
    assert Draft.objects.count() == 0
    kept = client.post(url, {"submission_key": key, "action": "save", "open_meaning": "z" * 70_000})
    assert kept.status_code == 413 and "z" * 100 in kept.content.decode()  # what was typed is still there


def test_an_empty_questionnaire_is_not_counted_as_an_answer(actors) -> None:
    """Finding: an empty questionnaire was counted as an answer."""
    campaign = open_campaign(actors.association)
    url = _link(campaign)
    client = Client(enforce_csrf_checks=True)
    csrf, key = answer_form(client, url)
    response = client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit"})
    assert response.status_code == 400
    assert "Du har inte svarat på någon fråga" in response.content.decode()
    assert stored_count(campaign) == 0
    with pytest.raises(services.EmptySubmission):
        services.response_submit(campaign=campaign, respondent_group="staff", raw_answers={}, submission_key="e")
