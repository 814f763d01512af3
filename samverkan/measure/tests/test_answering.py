"""Answering: no account, saved as you go, submitted exactly once, anonymous by structure."""

from __future__ import annotations

import re

from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from samverkan.measure import services
from samverkan.measure.models import Answer, Draft, Invitation, PendingResponse, Receipt, Response
from samverkan.measure.tests.factories import answer_form, open_campaign, ring_answers, stored_count


def _invitation_client(link: str) -> Client:
    """A browser that opened an e-mailed personal link: the secret after "#" is posted once as the code."""
    path, _hash, code = link.partition("#")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(path, {"csrfmiddlewaretoken": csrf, "action": "code", "code": code}).status_code == 302
    return client


def _link_url(campaign, group: str = "staff") -> str:
    return reverse("measure:answer_link", args=[campaign.links.get(respondent_group=group).token])


def test_open_link_answer_is_stored_once_even_when_posted_twice(actors) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True)
    url = _link_url(campaign)
    csrf, key = answer_form(client, url)
    payload = {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(3)}
    first = client.post(url, payload)
    second = client.post(url, payload)  # double click / reload / replay
    assert first.status_code == 302 and second.status_code == 302
    assert first["Location"] == reverse("measure:thanks")
    assert stored_count(campaign) == 1
    services.responses_publish(campaign=campaign, everything=True)
    response = Response.objects.get()
    assert response.respondent_group == "staff"
    assert Answer.objects.filter(response=response, item__code="ring_team").get().value == 3


def test_public_post_without_csrf_token_is_refused(actors) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True)
    response = client.post(_link_url(campaign), {"action": "submit", **ring_answers(3)})
    assert response.status_code == 403
    assert Response.objects.count() == 0


def test_answers_are_saved_as_you_go_and_come_back_on_the_same_device(actors) -> None:
    campaign = open_campaign(actors.association)
    client = Client(enforce_csrf_checks=True)
    url = _link_url(campaign)
    csrf, key = answer_form(client, url)
    saved = client.post(
        url,
        {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "autosave", "ring_team": "4"},
        HTTP_HX_REQUEST="true",
    )
    assert saved.status_code == 200
    page = client.get(url).content.decode()
    assert 'name="ring_team" value="4" checked' in page
    # Another device does not see the draft.
    assert 'value="4" checked' not in Client().get(url).content.decode()
    # Submitting removes the draft.
    csrf, key2 = answer_form(client, url)
    assert key2 == key
    client.post(url, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", "ring_team": "4"})
    # The draft became a tombstone: no answers left in it, and the device is told it has answered.
    assert Draft.objects.filter(submitted=False).count() == 0
    assert all(d.sealed == "" for d in Draft.objects.all())
    assert stored_count(campaign) == 1


def test_invalid_answer_is_reported_in_swedish_and_keeps_what_was_typed(actors) -> None:
    campaign = open_campaign(actors.association)
    client = Client()
    url = _link_url(campaign)
    _csrf, key = answer_form(client, url)
    response = client.post(
        url, {"submission_key": key, "action": "submit", "ring_team": "7", "open_meaning": "Att vi ses ofta"}
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "Ogiltigt svar" in content
    assert "Att vi ses ofta" in content
    assert stored_count(campaign) == 0


def test_closed_campaign_says_so_clearly(actors) -> None:
    campaign = open_campaign(actors.association)
    services.campaign_close(campaign=campaign)
    response = Client().get(_link_url(campaign))
    assert response.status_code == 410
    assert "Enkäten är stängd" in response.content.decode()


def test_invitation_link_works_once_and_then_says_it_was_used(actors) -> None:
    campaign = open_campaign(actors.association)
    admin = actors.client_for(actors.admin)
    admin.post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]),
        {"respondent_group": "board", "emails": "a@kommun.se\nb@kommun.se"},
    )
    assert len(mail.outbox) == 2
    link = re.search(r"http://testserver(/svara/inbjudan/#\S+)", mail.outbox[0].body).group(1)
    client = _invitation_client(link)
    path = link.partition("#")[0]
    csrf, key = answer_form(client, path)
    from samverkan.measure import answer_views

    assert not answer_views._EMPTY_PAGES  # a personal page is never kept for others
    client.post(path, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(4)})
    assert PendingResponse.objects.get().respondent_group == "board"
    again = _invitation_client(link).get(path)
    assert again.status_code == 410
    assert "redan använts" in again.content.decode()
    # A replay with a fresh submission key is refused by the invitation's receipt.
    other = _invitation_client(link)
    replay = other.post(
        path,
        {"csrfmiddlewaretoken": other.cookies["csrftoken"].value, "submission_key": "another", **ring_answers(4)},
    )
    assert replay.status_code == 410
    assert stored_count(campaign) == 1


def test_reminder_goes_to_every_invitee_with_the_same_link_and_words_for_those_who_answered(actors) -> None:
    """In an anonymous round nobody knows who answered, so everyone is reminded; a used link stays used."""
    campaign = open_campaign(actors.association)
    admin = actors.client_for(actors.admin)
    admin.post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]),
        {"respondent_group": "board", "emails": "a@kommun.se; b@kommun.se"},
    )
    first_links = {m.to[0]: re.search(r"(/svara/inbjudan/#\S+)", m.body).group(1) for m in mail.outbox}
    client = _invitation_client(first_links["a@kommun.se"])
    path = first_links["a@kommun.se"].partition("#")[0]
    client.post(
        path, {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, "submission_key": "k1", **ring_answers(2)}
    )
    mail.outbox.clear()
    admin.post(reverse("measure:invitations_remind", args=["alfa", campaign.pk]))
    assert sorted(m.to[0] for m in mail.outbox) == ["a@kommun.se", "b@kommun.se"]
    for message in mail.outbox:
        assert "Har du redan svarat? Tack!" in message.body
        assert re.search(r"(/svara/inbjudan/#\S+)", message.body).group(1) == first_links[message.to[0]]
    assert _invitation_client(first_links["a@kommun.se"]).get(path).status_code == 410
    assert _invitation_client(first_links["b@kommun.se"]).get(path).status_code == 200


def test_bad_invitation_list_sends_nothing_and_names_the_bad_addresses(actors) -> None:
    campaign = open_campaign(actors.association)
    response = actors.client_for(actors.admin).post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]),
        {"respondent_group": "board", "emails": "ok@kommun.se\ninte-en-adress"},
    )
    assert response.status_code == 400
    assert "inte-en-adress" in response.content.decode()
    assert Invitation.objects.count() == 0
    assert len(mail.outbox) == 0


def test_no_column_ties_a_response_to_an_invitation_a_person_or_a_time(db) -> None:
    """Anonymity by structure: the response tables have no invitation key, no address, no time of day."""
    forbidden = ("invitation", "email", "ip", "user", "token", "created", "time", "updated")
    for model in (Response, Answer):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        for column in columns:
            assert not any(word in column.lower() for word in forbidden), (table, column)
        for field in model._meta.get_fields():
            assert getattr(field, "related_model", None) not in (Invitation, Receipt, Draft, PendingResponse), field
    date_field = Response._meta.get_field("submitted_on")
    assert date_field.get_internal_type() == "DateField"
    for field in Invitation._meta.get_fields():
        assert getattr(field, "related_model", None) is not Response


def test_response_keys_are_random_so_their_order_says_nothing(actors) -> None:
    campaign = open_campaign(actors.association)
    client = Client()
    url = _link_url(campaign)
    for i in range(3):
        client.post(url, {"submission_key": f"k{i}", "action": "submit", **ring_answers(3)})
    services.responses_publish(campaign=campaign, everything=True)
    ids = [str(r.pk) for r in Response.objects.all()]
    assert len(set(ids)) == 3
    assert all(len(i) == 36 for i in ids)


def test_a_late_autosave_after_submitting_keeps_no_draft_and_loses_no_answer(actors) -> None:
    """An autosave that arrives after the answers were sent must not bring the draft back."""
    from samverkan.measure.models import CampaignLink

    campaign = open_campaign(actors.association, groups=("staff",))
    token = CampaignLink.objects.get(campaign=campaign).token
    url = reverse("measure:answer_link", args=[token])
    client = Client(enforce_csrf_checks=False)
    page = client.get(url).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
    assert client.post(url, {"submission_key": key, "action": "submit", "ring_team": "4"}).status_code == 302
    late = client.post(url, {"submission_key": key, "action": "autosave", "ring_team": "4"}, HTTP_HX_REQUEST="true")
    assert late.status_code == 200 and "redan inskickat" in late.content.decode()
    assert not Draft.objects.filter(submitted=False).exists()
    assert not Draft.objects.exclude(sealed="").exists()
    # Reopening the link on this device says it has answered; the next person starts over, empty.
    sent = client.get(url).content.decode()
    assert "Ditt svar är redan inskickat" in sent and 'value="4" checked' not in sent
    assert client.post(url, {"action": "restart"}).status_code == 302
    again = client.get(url).content.decode()
    new_key = re.search(r'name="submission_key" value="([^"]+)"', again).group(1)
    assert new_key != key and 'value="4" checked' not in again
    assert client.post(url, {"submission_key": new_key, "action": "submit", "ring_team": "2"}).status_code == 302
    assert stored_count(campaign) == 2


def test_first_visitors_share_the_page_but_never_a_key_or_token(actors) -> None:
    """The empty page is rendered once per process; the one-time key and CSRF token are per visitor."""
    campaign = open_campaign(actors.association)
    url = _link_url(campaign)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    csrf_1, key_1 = answer_form(first, url)
    csrf_2, key_2 = answer_form(second, url)
    assert key_1 != key_2 and csrf_1 != csrf_2
    from samverkan.measure import answer_views

    assert len(answer_views._EMPTY_PAGES) == 1  # rendered once, served twice
    assert "mark-" not in first.get(url).content.decode()
    for client, csrf, key in ((first, csrf_1, key_1), (second, csrf_2, key_2)):
        payload = {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(4)}
        assert client.post(url, payload).status_code == 302
    assert stored_count(campaign) == 2


def test_the_kept_page_follows_changes_and_never_shows_a_signed_in_user(actors) -> None:
    campaign = open_campaign(actors.association)
    url = _link_url(campaign)
    assert campaign.name in Client().get(url).content.decode()
    campaign.name = "Nytt namn på omgången"
    campaign.save(update_fields=["name"])
    assert "Nytt namn på omgången" in Client().get(url).content.decode()
    # An association member who opens the link sees their own header; the next visitor does not.
    member = Client()
    member.force_login(actors.admin)
    assert actors.admin.get_short_name() in member.get(url).content.decode()
    assert actors.admin.get_short_name() not in Client().get(url).content.decode()
    assert "Logga ut" not in Client().get(url).content.decode()


def test_organisation_is_kept_only_when_it_belongs_to_the_association(actors) -> None:
    from samverkan.tenancy.models import Agency

    campaign = open_campaign(actors.association)
    url = _link_url(campaign)
    member = actors.association.agencies.first()
    stranger = Agency.objects.create(name="Främmande kommun", kind=member.kind)
    page = Client().get(url).content.decode()
    assert f'<option value="{member.pk}">{member.name}</option>' in page
    assert "Främmande kommun" not in page
    for organisation in (str(member.pk), str(stranger.pk), "99999999999999999999", "x", "²"):
        client = Client(enforce_csrf_checks=True)
        csrf, key = answer_form(client, url)
        payload = {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(3)}
        assert client.post(url, {**payload, "organisation": organisation}).status_code == 302
    services.responses_publish(campaign=campaign, everything=True)
    assert sorted(Response.objects.values_list("agency_id", flat=True), key=str) == sorted(
        [member.pk, None, None, None, None], key=str
    )


def test_a_first_visit_and_a_submission_take_few_queries_and_all_are_seen(actors) -> None:
    """The answer path's hand-written statements still show in Django's query log (and stay few)."""
    from django.test.utils import CaptureQueriesContext

    campaign = open_campaign(actors.association)
    url = _link_url(campaign)
    client = Client(enforce_csrf_checks=True)
    with CaptureQueriesContext(connection) as opened:
        csrf, key = answer_form(client, url)
    assert any("measure_campaignlink" in q["sql"] for q in opened.captured_queries)
    assert len(opened.captured_queries) <= 3  # the link, the agencies, and perhaps a health check
    payload = {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **ring_answers(3)}
    with CaptureQueriesContext(connection) as sent:
        assert client.post(url, payload).status_code == 302
    # (The test runs inside a transaction, so the submission also sets and releases a savepoint.)
    statements = [q["sql"] for q in sent.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert any("measure_campaignlink" in sql for sql in statements)
    assert any("measure_pendingresponse" in sql for sql in statements)
    if connection.vendor == "postgresql":
        # The link, one statement for the whole submission, the group's waiting count, a health check.
        assert len(statements) <= 4
