"""Vem ringer jag?: the typo-tolerant search, meeting requests by mail, answers and confirmations by link."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from samverkan.measure.anonymity import keyed_hash
from samverkan.network import directory_selectors as selectors
from samverkan.network import directory_services as services
from samverkan.network.models import ContactRoute, MeetingRequest, MeetingStatus, Service
from samverkan.network.tests.directory_factories import make_service, small_directory

pytestmark = pytest.mark.django_db


def _search(client, slug: str, **params: str):
    return client.get(reverse("network:directory", args=[slug]), params)


def _names(association, **query) -> list[str]:
    return [
        s.name for s in selectors.directory_search(association=association, query=selectors.DirectoryQuery(**query))
    ]


# --- the search ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("psykiatr", "psykiatri"),
        ("ekonomisk bistånd", "bistand"),
        ("arbetstäning", "arbetstraning"),
        ("ekonomiskt bistand", "bistand"),
        ("Skuldsanering", "skuld"),
        ("PSYKISK OHÄLSA", "psykiatri"),
    ],
)
def test_the_search_finds_the_right_service_despite_typos_and_accents(actors, typed, expected) -> None:
    services_by_key = small_directory(actors.association)
    found = _names(actors.association, text=typed)
    assert found, (connection.vendor, typed)
    assert found[0] == services_by_key[expected].name, (connection.vendor, typed, found)


@pytest.mark.parametrize(("typed", "expected"), [("beroende", "beroende"), ("boende", "boende")])
def test_a_word_as_written_is_not_taken_for_a_typo_of_another(actors, typed, expected) -> None:
    services_by_key = small_directory(actors.association)
    assert _names(actors.association, text=typed) == [services_by_key[expected].name], connection.vendor


def test_a_word_nobody_wrote_finds_nothing_rather_than_everything(actors) -> None:
    small_directory(actors.association)
    assert _names(actors.association, text="flygplan") == []


def test_the_filters_narrow_by_need_agency_and_municipality(actors) -> None:
    s = small_directory(actors.association)
    assert _names(actors.association, need="skuld") == [s["skuld"].name]
    region = actors.association.agencies.get(name="Region Test")
    assert _names(actors.association, agency_id=region.pk) == [s["psykiatri"].name]
    assert _names(actors.association, municipality="Annanby") == [s["arbetstraning"].name]
    assert _names(actors.association, text="arbetsträning", municipality="Testby") == []


def test_an_inactive_service_is_not_found(actors) -> None:
    s = small_directory(actors.association)
    Service.objects.filter(pk=s["skuld"].pk).update(status="inactive")
    assert _names(actors.association, need="skuld") == []


def test_the_search_page_shows_contacts_as_tap_links_and_the_confirmation_date(actors) -> None:
    small_directory(actors.association)
    response = _search(actors.client_for(actors.member), actors.association.slug, q="skuld")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:0221555' in html
    assert 'href="mailto:mottagningen@testby.example.se"' in html
    assert "Senast bekräftad" in html
    assert "Budget- och skuldrådgivning" in html and "Psykiatrisk" not in html
    assert "tisdag" in html and "drop-in" in html


def test_a_search_never_shows_another_associations_services(actors) -> None:
    actors.other_association.agencies.add(actors.association.agencies.get(name="Testby kommun"))
    make_service(actors.other_association, "Betas skuldrådgivning", needs=("skuld",))
    small_directory(actors.association)
    response = _search(actors.client_for(actors.member), actors.association.slug, q="skuld")
    assert "Betas" not in response.content.decode()


def test_a_search_with_an_unknown_filter_is_refused_with_400(actors) -> None:
    response = _search(actors.client_for(actors.member), actors.association.slug, behov="flyg")
    assert response.status_code == 400


# --- editing: admins only --------------------------------------------------------------------------------------


def _service_post(actors, **overrides) -> dict[str, str]:
    agency = actors.association.agencies.get(name="Testby kommun")
    data = {
        "agency": str(agency.pk),
        "name": "Öppen förskola",
        "description": "Lek och föräldrastöd.",
        "target_group": "Föräldrar med barn 0–6 år",
        "needs": ["foraldraskap"],
        "municipalities": ["Testby"],
        "languages": ["sv", "ar"],
        "status": "active",
        "routes-TOTAL_FORMS": "1",
        "routes-INITIAL_FORMS": "0",
        "routes-MIN_NUM_FORMS": "1",
        "routes-MAX_NUM_FORMS": "1000",
        "routes-0-kind": "function",
        "routes-0-name": "Familjecentralen",
        "routes-0-phone": "0221-555 20 20",
        "routes-0-email": "familj@testby.example.se",
        "schedules-TOTAL_FORMS": "1",
        "schedules-INITIAL_FORMS": "0",
        "schedules-MIN_NUM_FORMS": "0",
        "schedules-MAX_NUM_FORMS": "1000",
        "schedules-0-days": ["MO", "WE"],
        "schedules-0-opens_at": "09:00",
        "schedules-0-closes_at": "12:00",
        "schedules-0-description": "öppen förskola",
    }
    data.update(overrides)
    return data


def test_an_admin_adds_a_service_with_its_contact_and_hours_and_it_is_found(actors) -> None:
    response = actors.client_for(actors.admin).post(
        reverse("network:service_create", args=[actors.association.slug]), _service_post(actors)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    service = Service.objects.get(name="Öppen förskola")
    assert service.last_confirmed_on == datetime.date.today()
    assert service.schedules.get().byday == "MO,WE"
    assert service.contact_routes.get().name == "Familjecentralen"
    assert _names(actors.association, text="förälder") == ["Öppen förskola"]


def test_a_named_person_without_consent_is_refused_and_the_form_keeps_what_was_typed(actors) -> None:
    response = actors.client_for(actors.admin).post(
        reverse("network:service_create", args=[actors.association.slug]),
        _service_post(actors, **{"routes-0-kind": "person", "routes-0-name": "Kim Exempel"}),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "samtycke" in html
    assert 'value="Kim Exempel"' in html
    assert not Service.objects.filter(name="Öppen förskola").exists()


def test_a_named_person_with_consent_is_shown_as_such(actors) -> None:
    data = _service_post(actors, **{"routes-0-kind": "person", "routes-0-name": "Kim Exempel"})
    data["routes-0-consent_on"] = "2026-01-15"
    client = actors.client_for(actors.admin)
    assert client.post(reverse("network:service_create", args=[actors.association.slug]), data).status_code == 302
    service = Service.objects.get(name="Öppen förskola")
    html = client.get(reverse("network:service_detail", args=[actors.association.slug, service.pk])).content.decode()
    assert "namngiven med samtycke" in html


def test_members_and_analysts_read_but_only_admins_edit_and_agency_contacts_correct_by_link(actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    slug = actors.association.slug
    for user in (actors.member, actors.analyst):
        client = actors.client_for(user)
        assert client.get(reverse("network:service_detail", args=[slug, service.pk])).status_code == 200
        assert client.get(reverse("network:service_edit", args=[slug, service.pk])).status_code == 403
        assert (
            client.post(reverse("network:service_delete", args=[slug, service.pk]), {"bekrafta": "ja"}).status_code
            == 403
        )
        assert client.get(reverse("network:directory_stale", args=[slug])).status_code == 403
    assert Service.objects.filter(pk=service.pk).exists()
    admin = actors.client_for(actors.admin)
    assert admin.post(reverse("network:service_delete", args=[slug, service.pk]), {"bekrafta": "ja"}).status_code == 302
    assert not Service.objects.filter(pk=service.pk).exists()


def test_another_associations_admin_gets_404_for_our_service_under_their_own_slug(actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    client = actors.client_for(actors.outsider)
    slug = actors.other_association.slug
    for name in ("service_detail", "service_edit", "meeting_request"):
        assert client.get(reverse(f"network:{name}", args=[slug, service.pk])).status_code == 404, name
    assert (
        client.post(reverse("network:service_delete", args=[slug, service.pk]), {"bekrafta": "ja"}).status_code == 404
    )
    assert Service.objects.filter(pk=service.pk).exists()


def test_the_anonymous_visitor_is_sent_to_login_from_every_directory_page(client, actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    slug = actors.association.slug
    for name, args in (
        ("directory", [slug]),
        ("service_create", [slug]),
        ("directory_stale", [slug]),
        ("meeting_requests", [slug]),
        ("locations", [slug]),
        ("location_create", [slug]),
        ("service_detail", [slug, service.pk]),
        ("service_edit", [slug, service.pk]),
        ("meeting_request", [slug, service.pk]),
    ):
        response = client.get(reverse(f"network:{name}", args=args))
        assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/"), name


# --- meeting requests ----------------------------------------------------------------------------------------


def _request_meeting(actors, service, description: str):
    route = service.contact_routes.get()
    return actors.client_for(actors.member).post(
        reverse("network:meeting_request", args=[actors.association.slug, service.pk]),
        {"contact_route": str(route.pk), "description": description, "requesting_agency": ""},
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Kvinna, 850101-1234, behöver stöd med arbetsträning.", "personnummer"),
        ("Man i 40-årsåldern, nås på 070-123 45 67.", "telefonnummer"),
        ("Kontakta henne på anna@example.se om tid.", "e-postadress"),
        ("Bor på Storgatan 12 och behöver boendestöd.", "gatuadress"),
    ],
)
def test_a_description_that_identifies_a_person_is_refused_in_swedish_and_the_text_is_kept(actors, text, kind) -> None:
    service = make_service(actors.association, "Arbetsträning")
    response = _request_meeting(actors, service, text)
    html = response.content.decode()
    assert response.status_code == 400
    assert kind in html
    assert text.split(",")[0] in html  # what was typed is still in the form
    assert not MeetingRequest.objects.exists()
    assert mail.outbox == []


def test_a_meeting_request_is_mailed_by_the_task_and_answered_through_the_link(actors, client) -> None:
    service = make_service(actors.association, "Arbetsträning")
    text = "Kvinna i 30-årsåldern, lång sjukskrivning, vill prova arbetsträning. Vi behöver ses med FK."
    response = _request_meeting(actors, service, text)
    assert response.status_code == 302
    meeting = MeetingRequest.objects.get()
    assert (meeting.requested_on, meeting.status, meeting.mail_status) == (datetime.date.today(), "skickad", "sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mottagningen@testby.example.se"]
    assert text in message.body
    url = re.search(r"(https?://\S+/vem-ringer-jag/svara/)#(\S+)", message.body)
    assert url is not None
    token = url.group(2)
    # Only the keyed hash is stored; the secret is in the mail alone and never in a path.
    assert meeting.answer_token_hash == keyed_hash(selectors.MEETING_ANSWER_PURPOSE, token)
    assert token not in str(MeetingRequest.objects.values().get())
    answer_url = reverse("network:meeting_answer")
    assert token not in answer_url
    opened = client.post(answer_url, {"code": token})
    assert opened.status_code == 200 and text in opened.content.decode()
    done = client.post(answer_url, {"code": token, "accept": "ja", "text": "Vi kan ses torsdag förmiddag."})
    assert done.status_code == 200
    meeting.refresh_from_db()
    assert (meeting.status, meeting.answer, meeting.answered_on) == (
        MeetingStatus.ACCEPTED,
        "Vi kan ses torsdag förmiddag.",
        datetime.date.today(),
    )
    # The one who asked is told by mail, and reads it in their own log; the admin sees everyone's.
    told = mail.outbox[-1]
    assert told.to == [actors.member.email] and "Vi kan ses torsdag förmiddag." in told.body
    assert "/vem-ringer-jag/moten/" in told.body
    for user in (actors.member, actors.admin):
        log = actors.client_for(user).get(reverse("network:meeting_requests", args=[actors.association.slug]))
        assert "Vi kan ses torsdag förmiddag." in log.content.decode()
        assert "Besvarad" in log.content.decode()
    analyst_log = actors.client_for(actors.analyst).get(
        reverse("network:meeting_requests", args=[actors.association.slug])
    )
    assert analyst_log.status_code == 200 and "Vi kan ses" not in analyst_log.content.decode()


def test_a_wrong_answer_code_is_404_and_the_typed_code_stays_in_the_form(client, actors) -> None:
    response = client.post(reverse("network:meeting_answer"), {"code": "fel-kod"})
    assert response.status_code == 404
    assert 'value="fel-kod"' in response.content.decode()


def test_an_answer_that_identifies_a_person_is_refused_too(actors, client) -> None:
    service = make_service(actors.association, "Arbetsträning")
    _request_meeting(actors, service, "Ung man, behöver arbetsträning.")
    token = re.search(r"#(\S+)", mail.outbox[0].body).group(1)
    response = client.post(
        reverse("network:meeting_answer"), {"code": token, "accept": "nej", "text": "Han heter 19900101-1234"}
    )
    assert response.status_code == 400
    assert MeetingRequest.objects.get().status == MeetingStatus.SENT


def test_a_contact_route_of_another_service_cannot_be_chosen(actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    other = make_service(actors.association, "Skuldrådgivning", email="skuld@testby.example.se")
    response = actors.client_for(actors.member).post(
        reverse("network:meeting_request", args=[actors.association.slug, service.pk]),
        {"contact_route": str(other.contact_routes.get().pk), "description": "Behöver stöd."},
    )
    assert response.status_code == 400
    assert not MeetingRequest.objects.exists()


# --- staleness and confirmation ------------------------------------------------------------------------------


def test_an_entry_is_stale_after_six_calendar_months(actors) -> None:
    today = datetime.date(2026, 8, 31)
    fresh = make_service(actors.association, "Färsk", confirmed_on=datetime.date(2026, 3, 1))
    stale = make_service(actors.association, "Gammal", confirmed_on=datetime.date(2026, 2, 28))
    assert selectors.stale_cutoff(today) == datetime.date(2026, 2, 28)
    assert [s.name for s in selectors.stale_services(association=actors.association, today=today)] == [stale.name]
    assert not selectors.is_stale(fresh, today)


def test_the_stale_list_shows_the_admin_the_entries_not_confirmed_for_six_months(actors) -> None:
    make_service(actors.association, "Färsk")
    make_service(actors.association, "Gammal", confirmed_on=datetime.date.today() - datetime.timedelta(days=200))
    html = actors.client_for(actors.admin).get(reverse("network:directory_stale", args=[actors.association.slug]))
    text = html.content.decode()
    assert "Gammal" in text and "Färsk" not in text


def _confirmation_token() -> str:
    return re.search(r"bekrafta/#(\S+)", mail.outbox[-1].body).group(1)


def test_the_daily_command_mails_each_stale_entrys_contacts_once_a_day_with_a_confirm_link(actors, client) -> None:
    old = datetime.date.today() - datetime.timedelta(days=200)
    service = make_service(actors.association, "Gammal", confirmed_on=old)
    ContactRoute.objects.create(service=service, name="Funktionsbrevlådan", email="brevlada@testby.example.se")
    make_service(actors.association, "Färsk")
    call_command("send_directory_confirmations")
    assert sorted(m.to[0] for m in mail.outbox) == ["brevlada@testby.example.se", "mottagningen@testby.example.se"]
    token = _confirmation_token()
    call_command("send_directory_confirmations")
    assert len(mail.outbox) == 2  # asked once a day
    opened = client.post(reverse("network:directory_confirm"), {"code": token})
    assert opened.status_code == 200 and "Gammal" in opened.content.decode()
    done = client.post(reverse("network:directory_confirm"), {"code": token, "action": "confirm"})
    assert done.status_code == 200
    service.refresh_from_db()
    assert service.last_confirmed_on == datetime.date.today()
    assert client.post(reverse("network:directory_confirm"), {"code": token}).status_code == 404  # used


def test_a_correction_through_the_link_is_applied_and_found_by_the_search(actors, client) -> None:
    service = make_service(
        actors.association, "Gammal", description="Gammal text.", confirmed_on=datetime.date(2025, 1, 1)
    )
    services.confirmations_request(
        association=actors.association, confirm_base_url="https://x.example.se/vem-ringer-jag/bekrafta/"
    )
    token = _confirmation_token()
    response = client.post(
        reverse("network:directory_confirm"),
        {
            "code": token,
            "action": "correct",
            "description": "Numera även skuldrådgivning på onsdagar.",
            "target_group": "Vuxna",
            "application_process": "Ring",
            "eligibility": "",
            "url": "",
            "email": "",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.description == "Numera även skuldrådgivning på onsdagar."
    assert service.last_confirmed_on == datetime.date.today()
    assert _names(actors.association, text="skuldradgivning") == ["Gammal"]


def test_a_bad_correction_is_refused_with_400_and_changes_nothing(actors, client) -> None:
    service = make_service(actors.association, "Gammal", confirmed_on=datetime.date(2025, 1, 1))
    services.confirmations_request(
        association=actors.association, confirm_base_url="https://x.example.se/vem-ringer-jag/bekrafta/"
    )
    token = _confirmation_token()
    response = client.post(
        reverse("network:directory_confirm"), {"code": token, "action": "correct", "url": "inte en adress"}
    )
    assert response.status_code == 400
    service.refresh_from_db()
    assert service.last_confirmed_on == datetime.date(2025, 1, 1)


def test_the_public_pages_are_reached_without_the_secret_in_any_address(client) -> None:
    for name in ("meeting_answer", "directory_confirm"):
        html = client.get(reverse(name.join(["network:", ""]))).content.decode()
        assert 'id="invitation-code-form"' in html  # the page posts the secret after "#" (js/invitation.js)
        assert "invitation.js" in html


def test_a_wrong_code_leaves_no_trace_of_itself_in_the_log(client, caplog) -> None:
    with caplog.at_level("INFO"):
        response = client.post(reverse("network:directory_confirm"), {"code": "hemlig-kod-123"})
    assert response.status_code == 404
    assert "hemlig-kod-123" not in caplog.text


def test_an_admin_edits_a_service_and_its_existing_rows(actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    route, schedule = service.contact_routes.get(), service.schedules.get()
    client = actors.client_for(actors.admin)
    url = reverse("network:service_edit", args=[actors.association.slug, service.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert re.search(r'value="TU"[^>]*checked', page.content.decode())
    data = _service_post(actors, name="Arbetsträning och praktik")
    data.update(
        {
            "routes-INITIAL_FORMS": "1",
            "routes-0-id": str(route.pk),
            "routes-0-service": str(service.pk),
            "schedules-INITIAL_FORMS": "1",
            "schedules-0-id": str(schedule.pk),
            "schedules-0-service": str(service.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    service.refresh_from_db()
    assert service.name == "Arbetsträning och praktik"
    assert list(service.contact_routes.values_list("name", flat=True)) == ["Familjecentralen"]
    assert service.schedules.get().byday == "MO,WE"


def test_a_place_added_by_the_admin_is_searchable_through_its_services(actors) -> None:
    service = make_service(actors.association, "Arbetsträning")
    client = actors.client_for(actors.admin)
    agency = actors.association.agencies.get(name="Testby kommun")
    response = client.post(
        reverse("network:location_create", args=[actors.association.slug]),
        {"agency": str(agency.pk), "name": "Verkstaden", "street": "Bruksgatan 2", "city": "Norrbruk"},
    )
    assert response.status_code == 302
    from samverkan.network.models import Location

    services.service_save(service=service, locations=[Location.objects.get(name="Verkstaden")])
    assert _names(actors.association, text="norrbruk") == ["Arbetsträning"]
    assert client.post(reverse("network:location_create", args=[actors.association.slug]), {}).status_code == 400
