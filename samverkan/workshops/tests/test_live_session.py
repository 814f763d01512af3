"""The live session: join by code, answer, edit, withdraw, hide, the room's steps, the screen's polling."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.workshops import services
from samverkan.workshops.models import Answer, Prompt, PromptState, Step, Workshop
from samverkan.workshops.participants import COOKIE_NAME

from .factories import live_workshop, open_prompt, phone_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop(actors) -> Workshop:
    return live_workshop(actors.association)


def _screen_html(actors, workshop: Workshop) -> str:
    client = actors.client_for(actors.admin)
    return client.get(reverse("workshops:screen", args=[actors.association.slug, workshop.pk])).content.decode()


# Joining -----------------------------------------------------------------------------------------------------


def test_join_by_code_redirects_to_the_workshop_whatever_the_case_and_spaces(client, workshop) -> None:
    typed = " ".join(workshop.code.lower())
    response = client.get("/w/", {"kod": typed})
    assert response.status_code == 302 and response["Location"] == f"/w/{workshop.code}/"
    page = client.get(f"/w/{workshop.code}/")
    assert page.status_code == 200
    assert workshop.name in page.content.decode()


def test_join_with_an_unknown_code_says_so_and_keeps_the_code(client, workshop) -> None:
    response = client.get("/w/", {"kod": "ZZZZZZ"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "Ingen pågående workshop har koden" in html and 'value="ZZZZZZ"' in html


def test_a_closed_workshops_code_no_longer_joins(client, workshop) -> None:
    services.workshop_close(workshop=workshop)
    assert client.get(f"/w/{workshop.code}/").status_code == 404


def test_join_code_is_unique_among_open_workshops_and_free_again_once_closed(actors, workshop) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.create(association=actors.other_association, name="Krock", code=workshop.code)
    services.workshop_close(workshop=workshop)
    again = Workshop.objects.create(association=actors.other_association, name="Ny", code=workshop.code)
    assert again.code == workshop.code


def test_join_code_is_six_readable_characters(workshop) -> None:
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", workshop.code)


def test_qr_code_is_a_server_rendered_svg_of_the_join_link(actors, workshop) -> None:
    response = actors.client_for(actors.member).get(
        reverse("workshops:join_qr", args=[actors.association.slug, workshop.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content


# Answering ---------------------------------------------------------------------------------------------------


def test_phone_sends_several_answers_and_sees_its_own(client, workshop) -> None:
    for text in ("Att se individens behov", "Korta kontaktvägar"):
        response = phone_send(client, workshop, text)
        assert response.status_code == 302 and "klart=skickat" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert "Tack! Ditt svar är skickat." in html
    assert "Att se individens behov" in html and "Korta kontaktvägar" in html
    assert Answer.objects.filter(prompt__workshop=workshop).count() == 2


def test_an_empty_answer_is_refused_with_a_swedish_message(client, workshop) -> None:
    response = phone_send(client, workshop, "   ")
    assert response.status_code == 400
    assert "Skriv ditt svar innan du skickar." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_too_long_answer_is_refused_and_the_text_is_kept(client, workshop) -> None:
    response = client.post(f"/w/{workshop.code}/svar/", {"prompt": open_prompt(workshop).pk, "text": "ord " * 200})
    assert response.status_code == 400
    html = response.content.decode()
    assert "högst 500 tecken" in html and "ord ord ord" in html
    assert not Answer.objects.exists()


def test_phone_edits_its_own_answer(client, workshop) -> None:
    phone_send(client, workshop, "Först så här")
    answer = Answer.objects.get()
    url = reverse("workshops:answer_edit", args=[workshop.code, answer.pk])
    assert "Först så här" in client.get(url).content.decode()
    response = client.post(url, {"text": "Nu så här i stället"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "Nu så här i stället"


def test_phone_withdraws_its_own_answer(client, workshop) -> None:
    phone_send(client, workshop, "Det här tar jag tillbaka")
    answer = Answer.objects.get()
    response = client.post(reverse("workshops:answer_withdraw", args=[workshop.code, answer.pk]))
    assert response.status_code == 302 and "klart=taget" in response["Location"]
    assert not Answer.objects.exists()


def test_another_phone_can_neither_see_edit_nor_withdraw_my_answer(client, workshop) -> None:
    phone_send(client, workshop, "Mitt eget svar")
    answer = Answer.objects.get()
    other = Client()
    edit = reverse("workshops:answer_edit", args=[workshop.code, answer.pk])
    assert other.get(edit).status_code == 404
    assert other.post(edit, {"text": "kapat"}).status_code == 404
    assert other.post(reverse("workshops:answer_withdraw", args=[workshop.code, answer.pk])).status_code == 404
    assert "Mitt eget svar" not in other.get(f"/w/{workshop.code}/").content.decode()
    answer.refresh_from_db()
    assert answer.text == "Mitt eget svar"


def test_no_sending_editing_or_withdrawing_once_the_prompt_is_closed(client, workshop) -> None:
    prompt = open_prompt(workshop)
    phone_send(client, workshop, "Hann med")
    answer = Answer.objects.get()
    services.prompt_set_state(prompt=prompt, state=PromptState.CLOSED)
    assert phone_send(client, workshop, "För sent", prompt).status_code == 400
    edit = reverse("workshops:answer_edit", args=[workshop.code, answer.pk])
    response = client.post(edit, {"text": "Ändrat för sent"})
    assert response.status_code == 400 and "Frågan är stängd" in response.content.decode()
    assert client.post(reverse("workshops:answer_withdraw", args=[workshop.code, answer.pk])).status_code == 400
    answer.refresh_from_db()
    assert answer.text == "Hann med" and Answer.objects.count() == 1


def test_a_paused_prompt_takes_no_answers_until_it_opens_again(client, workshop) -> None:
    prompt = open_prompt(workshop)
    services.prompt_set_state(prompt=prompt, state=PromptState.PAUSED)
    response = phone_send(client, workshop, "Under pausen", prompt)
    assert response.status_code == 400 and "pausad" in response.content.decode()
    services.prompt_set_state(prompt=prompt, state=PromptState.OPEN)
    assert phone_send(client, workshop, "Efter pausen", prompt).status_code == 302


def test_a_closed_prompt_can_be_reopened(client, workshop) -> None:
    prompt = open_prompt(workshop)
    services.prompt_set_state(prompt=prompt, state=PromptState.CLOSED)
    services.prompt_set_state(prompt=prompt, state=PromptState.OPEN)
    assert phone_send(client, workshop, "Igen", prompt).status_code == 302


def test_rating_prompt_keeps_one_rating_per_phone(actors, client) -> None:
    workshop = live_workshop(actors.association, rating="Hur användbart är det?")
    rating = Prompt.objects.get(workshop=workshop, kind="rating")
    services.prompt_set_state(prompt=rating, state=PromptState.OPEN)
    assert client.post(f"/w/{workshop.code}/svar/", {"prompt": rating.pk, "rating": "4"}).status_code == 302
    assert client.post(f"/w/{workshop.code}/svar/", {"prompt": rating.pk, "rating": "2"}).status_code == 302
    assert list(Answer.objects.filter(prompt=rating).values_list("rating", flat=True)) == [2]
    assert client.post(f"/w/{workshop.code}/svar/", {"prompt": rating.pk, "rating": "7"}).status_code == 400


def test_rating_result_is_never_shown_for_fewer_than_the_minimum_group_size(actors, settings) -> None:
    from samverkan.workshops.selectors import rating_summary

    settings.SAMVERKAN_MIN_GROUP_SIZE = 3
    actors.association.min_group_size = 4  # the association's own, stricter rule wins
    actors.association.save()
    workshop = live_workshop(actors.association, rating="Hur användbart är det?")
    rating = Prompt.objects.get(workshop=workshop, kind="rating")
    services.prompt_set_state(prompt=rating, state=PromptState.OPEN)
    for value in (5, 4, 3):
        services.answer_send(prompt=rating, participant=f"p{value}", rating=value)
    summary = rating_summary(rating)
    assert summary.n == 3 and summary.mean is None and summary.counts is None
    html = _screen_html(actors, workshop)
    assert "resultatet visas när fler har svarat" in html and "Medel" not in html
    services.answer_send(prompt=rating, participant="fourth phone", rating=4)
    assert rating_summary(rating).mean == 4.0
    assert "Medel 4,0 av 5 (n = 4)" in _screen_html(actors, workshop)


# What is stored ----------------------------------------------------------------------------------------------


def test_participant_key_is_a_keyed_hash_never_the_phone_token(client, workshop) -> None:
    phone_send(client, workshop, "Anonymt")
    token = client.cookies[COOKIE_NAME].value
    answer = Answer.objects.get()
    assert len(answer.participant) == 64 and token not in answer.participant
    assert not Answer.objects.filter(participant=token).exists()
    assert client.cookies[COOKIE_NAME]["httponly"]


def test_the_same_phone_has_unrelated_keys_in_two_workshops(actors, client, workshop) -> None:
    second = live_workshop(actors.association, name="Andra")
    phone_send(client, workshop, "Ett")
    phone_send(client, second, "Två")
    keys = set(Answer.objects.values_list("participant", flat=True))
    assert len(keys) == 2


def test_an_answer_stores_no_time_no_ip_only_the_date(client, workshop) -> None:
    client.post(
        f"/w/{workshop.code}/svar/",
        {"prompt": open_prompt(workshop).pk, "text": "Inget spårbart"},
        REMOTE_ADDR="203.0.113.77",
    )
    answer = Answer.objects.get()
    assert answer.created_on == timezone.localdate()
    for field in Answer._meta.get_fields():
        assert field.get_internal_type() not in ("DateTimeField", "TimeField", "GenericIPAddressField"), field.name
    row = Answer.objects.filter(pk=answer.pk).values().get()
    assert not any("203.0.113.77" in str(value) for value in row.values())


def test_agency_is_off_by_default_and_ignored_unless_the_facilitator_asks(actors, client, workshop) -> None:
    agency = actors.association.agencies.first()
    assert "Myndighet (frivilligt)" not in client.get(f"/w/{workshop.code}/").content.decode()
    client.post(f"/w/{workshop.code}/svar/", {"prompt": open_prompt(workshop).pk, "text": "x", "agency": agency.pk})
    assert Answer.objects.get().agency is None
    asking = live_workshop(actors.association, name="Med myndighet", ask_agency=True)
    assert "Myndighet (frivilligt)" in client.get(f"/w/{asking.code}/").content.decode()
    client.post(f"/w/{asking.code}/svar/", {"prompt": open_prompt(asking).pk, "text": "y", "agency": agency.pk})
    assert Answer.objects.get(prompt__workshop=asking).agency == agency


def test_answers_are_listed_by_random_key_not_by_arrival(actors, workshop) -> None:
    prompt = open_prompt(workshop)
    sent = [f"Svar nummer {i}" for i in range(30)]
    for i, text in enumerate(sent):
        services.answer_send(prompt=prompt, participant=f"p{i}", text=text)
    html = _screen_html(actors, workshop)
    shown = sorted(sent, key=lambda t: html.index(f"<li>{t}</li>"))
    assert shown != sent  # 30 answers in arrival order by chance: 1 in 30!
    assert shown == [a.text for a in Answer.objects.filter(prompt=prompt).order_by("id")]


# Hiding ------------------------------------------------------------------------------------------------------


def test_hidden_answer_never_reaches_the_screen(actors, client, workshop) -> None:
    phone_send(client, workshop, "Olämpligt svar om en kollega")
    phone_send(client, workshop, "Ett bra svar")
    answer = Answer.objects.get(text__startswith="Olämpligt")
    admin = actors.client_for(actors.admin)
    response = admin.post(
        reverse("workshops:answer_hide", args=[actors.association.slug, workshop.pk, answer.pk]), {"hidden": "1"}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.hidden  # kept, not deleted
    html = _screen_html(actors, workshop)
    assert "Ett bra svar" in html
    assert "Olämpligt" not in html and "kollega" not in html  # neither the list nor the word cloud
    updates = admin.get(reverse("workshops:screen_updates", args=[actors.association.slug, workshop.pk]))
    assert "Ett bra svar" in updates.content.decode() and "Olämpligt" not in updates.content.decode()
    assert list(Answer.objects.visible().values_list("text", flat=True)) == ["Ett bra svar"]
    # Shown again by the facilitator, it is back.
    admin.post(
        reverse("workshops:answer_hide", args=[actors.association.slug, workshop.pk, answer.pk]), {"hidden": "0"}
    )
    assert "Olämpligt" in _screen_html(actors, workshop)


def test_the_facilitator_sees_a_hidden_answer_marked_to_show_it_again(actors, client, workshop) -> None:
    phone_send(client, workshop, "Dolt men kvar")
    services.answer_set_hidden(answer=Answer.objects.get(), hidden=True)
    html = (
        actors.client_for(actors.admin)
        .get(reverse("workshops:workshop_detail", args=[actors.association.slug, workshop.pk]))
        .content.decode()
    )
    assert "Dolt men kvar" in html and "Visa igen" in html


# The screen's transport ---------------------------------------------------------------------------------------


def test_screen_poll_answers_204_until_something_changes(actors, client, workshop) -> None:
    admin = actors.client_for(actors.admin)
    url = reverse("workshops:screen_updates", args=[actors.association.slug, workshop.pk])
    workshop.refresh_from_db()
    assert admin.get(url, {"v": workshop.version}).status_code == 204
    phone_send(client, workshop, "Nytt svar")
    response = admin.get(url, {"v": workshop.version})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nytt svar" in html
    new_version = int(re.search(r'data-version="(\d+)"', html).group(1))
    assert new_version > workshop.version
    assert admin.get(url, {"v": new_version}).status_code == 204


def test_every_change_the_screen_shows_raises_the_version(actors, client, workshop) -> None:
    prompt = open_prompt(workshop)
    seen = [Workshop.objects.get(pk=workshop.pk).version]

    def bumped() -> bool:
        seen.append(Workshop.objects.get(pk=workshop.pk).version)
        return seen[-1] > seen[-2]

    phone_send(client, workshop, "Ett")
    assert bumped()
    answer = Answer.objects.get()
    client.post(reverse("workshops:answer_edit", args=[workshop.code, answer.pk]), {"text": "Två"})
    assert bumped()
    services.answer_set_hidden(answer=answer)
    assert bumped()
    services.prompt_set_state(prompt=prompt, state=PromptState.PAUSED)
    assert bumped()
    services.workshop_set_step(workshop=workshop, step=Step.THEMES)
    assert bumped()


# Steps -------------------------------------------------------------------------------------------------------


def test_step_change_reaches_the_phones_poll(actors, client, workshop) -> None:
    workshop.refresh_from_db()
    poll = reverse("workshops:room_poll", args=[workshop.code])
    assert client.get(poll, {"r": workshop.room_version}).status_code == 204
    phone_send(client, workshop, "Svar ändrar inte rummet")
    assert client.get(poll, {"r": workshop.room_version}).status_code == 204  # an answer is not a room change
    admin = actors.client_for(actors.admin)
    response = admin.post(
        reverse("workshops:workshop_step", args=[actors.association.slug, workshop.pk]), {"step": "voting"}
    )
    assert response.status_code == 302
    changed = client.get(poll, {"r": workshop.room_version})
    assert changed.status_code == 200 and changed["HX-Trigger"] == "room-changed"
    assert "Röstning" in client.get(f"/w/{workshop.code}/").content.decode()
    assert "Röstning" in _screen_html(actors, workshop)


def test_an_unknown_step_is_refused(actors, workshop) -> None:
    admin = actors.client_for(actors.admin)
    admin.post(reverse("workshops:workshop_step", args=[actors.association.slug, workshop.pk]), {"step": "x"})
    workshop.refresh_from_db()
    assert workshop.step == Step.ANSWERING


def test_facilitator_creates_a_workshop_with_the_default_prompt_and_a_rating_question(actors) -> None:
    admin = actors.client_for(actors.admin)
    form = admin.get(reverse("workshops:workshop_create", args=[actors.association.slug])).content.decode()
    assert "Integrerad samverkan – vad är det, och är det användbart?" in form
    response = admin.post(
        reverse("workshops:workshop_create", args=[actors.association.slug]),
        {
            "name": "Beredningsgruppen",
            "date": "2026-12-01",
            "prompts": "Integrerad samverkan – vad är det, och är det användbart?\nVad hindrar oss?",
            "rating_question": "Hur användbart är det?",
        },
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get(name="Beredningsgruppen")
    assert [(p.kind, p.state) for p in Prompt.objects.filter(workshop=workshop)] == [
        ("open", "draft"),
        ("open", "draft"),
        ("rating", "draft"),
    ]
    assert workshop.created_by == actors.admin and not workshop.ask_agency


def test_a_workshop_without_a_name_keeps_what_was_typed(actors) -> None:
    admin = actors.client_for(actors.admin)
    response = admin.post(
        reverse("workshops:workshop_create", args=[actors.association.slug]),
        {"name": "", "date": "2026-12-01", "prompts": "Min egen fråga"},
    )
    assert response.status_code == 400
    assert "Min egen fråga" in response.content.decode()
    assert not Workshop.objects.exists()


def test_facilitator_opens_pauses_and_closes_a_prompt_from_the_page(actors, workshop) -> None:
    prompt = open_prompt(workshop)
    admin = actors.client_for(actors.admin)
    url = reverse("workshops:prompt_state", args=[actors.association.slug, workshop.pk, prompt.pk])
    for state in ("paused", "open", "closed", "open"):
        assert admin.post(url, {"state": state}).status_code == 302
        prompt.refresh_from_db()
        assert prompt.state == state
    admin.post(url, {"state": "draft"})
    prompt.refresh_from_db()
    assert prompt.state == "open"  # back to draft is not a move


def test_phone_page_on_a_waiting_step_reloads_itself_without_javascript(client, workshop) -> None:
    services.workshop_set_step(workshop=workshop, step=Step.THEMES)
    html = client.get(f"/w/{workshop.code}/").content.decode()
    assert '<noscript><meta http-equiv="refresh"' in html


def test_key_figures_and_start_panel(actors, client, workshop) -> None:
    phone_send(client, workshop, "Ett svar")
    html = actors.client_for(actors.member).get(reverse("tenancy:start", args=[actors.association.slug])).content
    text = html.decode()
    assert "Workshoppar" in text and "Workshop pågår: Workshop i Alfa" in text
    assert "Workshop" in text and reverse("workshops:workshop_list", args=["alfa"]) in text
