"""Answering a network round: the notice before starting, exactly once per link and per agency, bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.measure.models import AnonymityMode, Campaign, Invitation, Receipt
from samverkan.network import services
from samverkan.network.answer_views import LINK_COOKIE
from samverkan.network.models import NetworkAnswer
from samverkan.network.tests.factories import agencies_of, answer, invite, open_round, raw_answers

NOTICE = "Svaren gäller organisationer och visas per myndighet för förbundet"
START, FORM = reverse("network:answer_start"), reverse("network:answer_form")


def _holding(token: str, **kwargs) -> Client:
    """A browser that has opened the personal link (the script posted the secret; it is kept in a cookie)."""
    client = Client(**kwargs)
    client.cookies[LINK_COOKIE] = token
    return client


def _csrf(client: Client, url: str) -> dict[str, str]:
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    key = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert token and key, page[:500]
    return {"csrfmiddlewaretoken": token.group(1), "submission_key": key.group(1)}


@pytest.fixture
def round_and_link(actors):
    network_round = open_round(actors.association)
    _fk, af, *_rest = agencies_of(actors.association)
    token = invite(network_round, af)
    return network_round, af, token


def test_the_start_page_says_the_answers_are_shown_per_agency_before_anything_is_asked(actors, round_and_link) -> None:
    network_round, agency, token = round_and_link
    page = _holding(token).get(START).content.decode()
    assert NOTICE in page
    assert "inte anonyma" in page
    assert agency.name in page
    # Nothing is asked on the start page: the questions come after the notice, on the next page.
    assert 'type="radio"' not in page
    assert FORM in page
    # And the round says so in its data too.
    assert Campaign.objects.get(pk=network_round.campaign_id).anonymity_mode == AnonymityMode.ORGANISATIONS


def test_the_invitation_mail_says_the_answers_are_not_anonymous_and_names_the_agency(actors) -> None:
    network_round = open_round(actors.association)
    agency = agencies_of(actors.association)[0]
    services.network_invitations_create(
        network_round=network_round, emails={agency.pk: "rep@fk.se"}, answer_url=lambda t: f"https://x/karta/svara/#{t}"
    )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "inte anonyma" in body and agency.name in body
    link = re.search(r"https://x/karta/svara/#(\S+)", body)
    assert link and f"ange koden: {link.group(1)}" in body
    invitation = Invitation.objects.get(campaign=network_round.campaign)
    assert invitation.mail_status == "sent"


def test_an_answer_through_the_link_is_stored_per_agency_and_a_second_one_is_refused(actors, round_and_link) -> None:
    network_round, agency, token = round_and_link
    client = _holding(token, enforce_csrf_checks=True)
    url = FORM
    form = _csrf(client, url)
    targets = [a for a in agencies_of(actors.association) if a.pk != agency.pk]
    response = client.post(url, form | raw_answers(targets, {targets[0].name: 4}))
    assert response.status_code == 302 and response["Location"] == reverse("network:answer_thanks")
    rows = NetworkAnswer.objects.filter(round=network_round, source=agency)
    assert rows.count() == len(targets)
    assert rows.get(target=targets[0]).depth == 4
    # The same form again (a double click, a lost reply): thanked, nothing stored twice.
    again = client.post(url, form | raw_answers(targets, {targets[0].name: 1}))
    assert again.status_code == 302
    # A fresh form on the same link: refused, plainly.
    second = client.post(url, {**form, "submission_key": "another-key"} | raw_answers(targets))
    assert second.status_code == 410
    assert "redan" in second.content.decode()
    assert rows.count() == len(targets) and rows.get(target=targets[0]).depth == 4
    # Opening the link again says it has been used instead of offering a form.
    for page in (START, FORM):
        reopened = _holding(token).get(page)
        assert reopened.status_code == 410 and 'type="radio"' not in reopened.content.decode()


def test_exactly_once_comes_from_measures_receipts_of_the_form_and_the_link(actors, round_and_link) -> None:
    from samverkan.measure import anonymity

    network_round, agency, token = round_and_link
    targets = [a for a in agencies_of(actors.association) if a.pk != agency.pk]
    services.network_answers_submit(
        network_round=network_round,
        agency=agency,
        raw_answers=raw_answers(targets),
        submission_key="k1",
        invitation_token=token,
    )
    keys = set(Receipt.objects.filter(campaign=network_round.campaign).values_list("key", flat=True))
    assert keys == {anonymity.form_receipt("k1"), anonymity.invitation_receipt(token)}
    with pytest.raises(services.InvitationUsed):
        services.network_answers_submit(
            network_round=network_round,
            agency=agency,
            raw_answers=raw_answers(targets),
            submission_key="k2",
            invitation_token=token,
        )


def test_one_agency_answers_once_per_round_whatever_the_way_in(actors) -> None:
    network_round = open_round(actors.association)
    agency = agencies_of(actors.association)[0]
    answer(network_round, agency)
    with pytest.raises(services.AgencyAlreadyAnswered, match="redan svarat"):
        answer(network_round, agency)
    assert NetworkAnswer.objects.filter(round=network_round, source=agency).count() == 3


def test_missing_answers_are_named_per_agency_and_what_was_typed_is_kept(actors, round_and_link) -> None:
    network_round, agency, token = round_and_link
    client = _holding(token, enforce_csrf_checks=True)
    url = FORM
    form = _csrf(client, url)
    targets = [a for a in agencies_of(actors.association) if a.pk != agency.pk]
    raw = raw_answers(targets, {targets[0].name: 5})
    del raw[f"{targets[1].pk}-depth"]
    raw[f"{targets[2].pk}-value"] = "7"
    response = client.post(url, form | raw)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj en samverkansnivå" in page and "Välj 1–4 eller vet ej" in page
    assert f'href="#agency-{targets[1].pk}"' in page
    # The answer typed for the first agency is still chosen.
    assert re.search(rf'name="{targets[0].pk}-depth" value="5" checked', page)
    assert not NetworkAnswer.objects.filter(round=network_round).exists()
    assert not Receipt.objects.filter(campaign=network_round.campaign).exists()


def test_a_closed_round_takes_no_answers(actors, round_and_link) -> None:
    network_round, agency, token = round_and_link
    services.network_round_close(network_round=network_round)
    response = _holding(token).get(FORM)
    assert response.status_code == 410
    targets = [a for a in agencies_of(actors.association) if a.pk != agency.pk]
    with pytest.raises(services.CampaignClosed):
        services.network_answers_submit(
            network_round=network_round, agency=agency, raw_answers=raw_answers(targets), submission_key="x"
        )


def test_a_round_that_has_not_opened_says_when_it_opens(actors) -> None:
    today = timezone.localdate()
    network_round = services.network_round_create(
        association=actors.association,
        name="Senare",
        opens_on=today + timedelta(days=3),
        closes_on=today + timedelta(days=30),
    )
    token = invite(network_round, agencies_of(actors.association)[0])
    response = _holding(token).get(START)
    assert response.status_code == 200 and "inte öppnat" in response.content.decode()


def test_the_code_is_posted_once_and_kept_in_a_cookie_for_these_pages_only(actors, round_and_link) -> None:
    """The secret travels after "#" (never in a requested address); the page posts it, or it is typed."""
    _round, _agency, token = round_and_link
    client = Client(enforce_csrf_checks=True)
    page = client.get(START).content.decode()
    assert 'id="invitation-code-form"' in page and token not in page
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(START, {"csrfmiddlewaretoken": csrf, "action": "code", "code": token})
    assert response.status_code == 302 and response["Location"] == START
    cookie = response.cookies[LINK_COOKIE]
    assert cookie.value == token and cookie["path"] == START and cookie["httponly"]
    assert NOTICE in client.get(START).content.decode()


def test_a_wrong_or_overlong_code_is_refused_and_kept_in_the_field(db) -> None:
    client = Client()
    wrong = client.post(START, {"action": "code", "code": "fel-kod"})
    assert wrong.status_code == 404
    assert "Koden gäller inte" in wrong.content.decode() and 'value="fel-kod"' in wrong.content.decode()
    assert client.post(START, {"action": "code", "code": "x" * 80}).status_code == 404
    # Without a code the form page asks for one instead of showing questions.
    page = _holding("x" * 80).get(FORM).content.decode()
    assert 'id="invitation-code-form"' in page and 'type="radio"' not in page


def test_measures_own_answer_pages_refuse_a_network_rounds_invitation(actors, round_and_link) -> None:
    """Mät's anonymous form must never take a network round's answers (nor say they are anonymous)."""
    _round, _agency, token = round_and_link
    client = Client()
    client.cookies["samverkan_inbjudan"] = token
    response = client.get(reverse("measure:answer_invitation"))
    assert response.status_code == 404
    assert "anonyma" not in response.content.decode()


def test_answering_writes_nothing_on_the_invitation(actors, round_and_link) -> None:
    """As in Mät, the receipt says the link was used; the invitation row itself is never written."""
    network_round, agency, token = round_and_link
    invitation = Invitation.objects.get(campaign=network_round.campaign)
    before = {f.attname: getattr(invitation, f.attname) for f in Invitation._meta.concrete_fields}
    targets = [a for a in agencies_of(actors.association) if a.pk != agency.pk]
    services.network_answers_submit(
        network_round=network_round,
        agency=agency,
        raw_answers=raw_answers(targets),
        submission_key="k",
        invitation_token=token,
    )
    invitation.refresh_from_db()
    assert {f.attname: getattr(invitation, f.attname) for f in Invitation._meta.concrete_fields} == before


def test_a_reminder_goes_only_to_the_agencies_that_have_not_answered_with_the_same_link(actors) -> None:
    network_round = open_round(actors.association)
    af, fk, *_rest = agencies_of(actors.association)
    fk_token = invite(network_round, fk, "rep@fk.se")
    invite(network_round, af, "rep@af.se")
    answer(network_round, af)
    response = actors.client_for(actors.admin).post(
        reverse("network:round_remind", args=[actors.association.slug, network_round.pk])
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["rep@fk.se"]]
    assert "Påminnelse" in mail.outbox[0].subject and f"#{fk_token}" in mail.outbox[0].body
    assert (
        actors.client_for(actors.member)
        .post(reverse("network:round_remind", args=[actors.association.slug, network_round.pk]))
        .status_code
        == 403
    )
