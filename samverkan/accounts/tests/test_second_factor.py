"""The second factor: enrolment, the login step, recovery codes, throttling and the policy hook."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from samverkan.accounts import codes, otp
from samverkan.accounts.models import RecoveryCode, RecoveryCodeDevice
from samverkan.accounts.second_factor import (
    register_requirement,
    requirements,
    second_factor_required,
    unregister_requirement,
)
from samverkan.common.factories import TEST_PASSWORD
from samverkan.tenancy.models import Membership, Role

from .second_factor_helpers import enrolled, fresh_code, totp_code, verified_client

OVERVIEW = "/konto/tvastegsverifiering/"
VERIFY = "/konto/tvastegsverifiering/kod/"
ACTIVATE = "/konto/tvastegsverifiering/aktivera/"
REGENERATE = "/konto/tvastegsverifiering/reservkoder/"
REMOVE = "/konto/tvastegsverifiering/ta-bort/"
CODE_RE = re.compile(r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>")


def _password_login(email: str = "admin@alfa.se") -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _enrol_through_the_pages(client: Client, user) -> tuple[TOTPDevice, list[str]]:
    assert client.post(OVERVIEW).status_code == 302
    page = client.get(ACTIVATE).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # The secret the page shows (in groups) is the device's: an app typed in by hand computes the same codes.
    shown = re.search(r'<p class="secret" id="secret">.*?<code>([A-Z2-7 ]+)</code>', page).group(1)
    assert shown.replace(" ", "") == otp.secret_of(device)
    response = client.post(ACTIVATE, {"code": totp_code(device)})
    assert response.status_code == 200
    return device, CODE_RE.findall(response.content.decode())


# Enrolment


def test_enrolment_with_a_real_totp_code_turns_the_factor_on_and_shows_ten_recovery_codes(actors) -> None:
    client = actors.client_for(actors.admin)
    device, shown = _enrol_through_the_pages(client, actors.admin)
    device.refresh_from_db()
    assert device.confirmed
    assert len(shown) == 10 and len(set(shown)) == 10
    assert otp.recovery_codes_left(actors.admin) == 10
    # The session that enrolled is verified: the rest of the site opens at once.
    assert client.get(reverse("tenancy:start", args=["alfa"])).status_code == 200


def test_enrolment_page_shows_a_qr_code_and_the_secret_in_groups(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(OVERVIEW)
    response = client.get(ACTIVATE)
    page = response.content.decode()
    assert "<svg" in page and "QR-kod för autentiseringsappen" in page
    secret = otp.secret_of(TOTPDevice.objects.get(user=actors.admin))
    assert codes.group_secret(secret) in page
    assert "no-store" in response["Cache-Control"]


def test_enrolment_refuses_a_wrong_first_code_in_swedish_and_keeps_the_secret(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(OVERVIEW)
    device = TOTPDevice.objects.get(user=actors.admin)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(ACTIVATE, {"code": wrong})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert TOTPDevice.objects.filter(user=actors.admin).count() == 1
    assert not RecoveryCodeDevice.objects.filter(user=actors.admin).exists()


def test_enrolment_takes_no_recovery_code_as_the_first_code(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(OVERVIEW)
    response = client.post(ACTIVATE, {"code": "7KQ2-M9XD-4HTR"})
    assert response.status_code == 400
    assert not TOTPDevice.objects.get(user=actors.admin).confirmed


def test_recovery_codes_are_stored_hashed_never_in_clear(actors) -> None:
    _device, shown = enrolled(actors.admin)
    stored = list(RecoveryCode.objects.filter(device__user=actors.admin).values_list("digest", flat=True))
    assert len(stored) == 10
    plain = {codes.normalise_code(code) for code in shown}
    assert not plain & set(stored)
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in stored)
    assert not any(code in digest.upper() for code in plain for digest in stored)


def test_the_recovery_codes_page_is_never_cached_and_offers_a_download_of_the_codes(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(OVERVIEW)
    response = client.post(ACTIVATE, {"code": totp_code(TOTPDevice.objects.get(user=actors.admin))})
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    href = re.search(r'href="(data:text/plain[^"]+)" download="samverkan-reservkoder.txt"', page).group(1)
    assert all(code in unquote(href) for code in CODE_RE.findall(page))


# The login step


def test_after_the_password_a_user_with_an_app_gets_the_code_page_before_any_other_page(actors) -> None:
    enrolled(actors.admin)
    client = _password_login()
    start = reverse("tenancy:start", args=["alfa"])
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Ff%2Falfa%2F"
    assert client.get(VERIFY).status_code == 200
    # Logging out and the language switch still work.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_the_code_from_the_app_verifies_the_session_and_goes_on_to_next(actors) -> None:
    device, _codes = enrolled(actors.admin)
    client = _password_login()
    start = reverse("tenancy:start", args=["alfa"])
    response = client.post(VERIFY, {"code": totp_code(device), "next": start})
    assert response.status_code == 302 and response["Location"] == start
    assert client.get(start).status_code == 200


def test_a_code_can_be_used_only_once(actors) -> None:
    device, _codes = enrolled(actors.admin)
    code = fresh_code(device)
    assert _password_login().post(VERIFY, {"code": code}).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert _password_login().post(VERIFY, {"code": code}).status_code == 400


def test_a_user_without_an_app_logs_in_with_the_password_alone(actors) -> None:
    client = _password_login("member@alfa.se")
    assert client.get(reverse("tenancy:start", args=["alfa"])).status_code == 200


def test_recovery_code_works_once(actors) -> None:
    _device, shown = enrolled(actors.admin)
    first = _password_login()
    # Typed loosely: lower case, spaces instead of dashes.
    response = first.post(VERIFY, {"code": shown[0].lower().replace("-", " ")}, follow=True)
    assert response.status_code == 200
    assert "Du har 9 reservkoder kvar" in response.content.decode()
    assert otp.recovery_codes_left(actors.admin) == 9
    second = _password_login()
    response = second.post(VERIFY, {"code": shown[0]})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.content.decode()
    assert second.get(reverse("tenancy:start", args=["alfa"])).status_code == 302


def test_wrong_code_is_refused_and_throttled_so_even_the_right_code_waits(actors, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # a minute after the first wrong code, whatever the machine's speed
    device, _codes = enrolled(actors.admin)
    client = _password_login()
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Koden stämmer inte" in text and "Du kan försöka igen om 60 sekunder" in text
    response = client.post(VERIFY, {"code": totp_code(device)})
    assert response.status_code == 400
    assert "För många felaktiga koder i rad, så koden prövades inte" in response.content.decode()
    assert client.get(reverse("tenancy:start", args=["alfa"])).status_code == 302
    # Once the wait is over, the right code gets in.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=2))
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302


def test_the_throttle_belongs_to_the_device_so_logging_in_again_does_not_reset_it(actors, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device, _codes = enrolled(actors.admin)
    for _ in range(3):
        _password_login().post(VERIFY, {"code": "000000" if totp_code(device) != "000000" else "111111"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # the 2nd and 3rd tries fell in the wait and were not checked
    response = _password_login().post(VERIFY, {"code": totp_code(device)})
    assert "För många felaktiga koder" in response.content.decode()


def test_a_malformed_code_is_explained_and_not_counted_as_a_try(actors, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_RECOVERY_THROTTLE_FACTOR = 60
    device, _codes = enrolled(actors.admin)
    client = _password_login()
    response = client.post(VERIFY, {"code": "12345"})
    assert response.status_code == 400
    assert "Koden är sex siffror från appen, eller en reservkod med tolv tecken" in response.content.decode()
    assert client.post(VERIFY, {"code": totp_code(device)}).status_code == 302


def test_wrong_recovery_codes_are_throttled_too(actors, settings) -> None:
    settings.OTP_RECOVERY_THROTTLE_FACTOR = 60
    _device, shown = enrolled(actors.admin)
    client = _password_login()
    assert client.post(VERIFY, {"code": "AAAA-BBBB-CCCC"}).status_code == 400
    response = client.post(VERIFY, {"code": shown[0]})
    assert "För många felaktiga koder" in response.content.decode()
    assert otp.recovery_codes_left(actors.admin) == 10


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "http:/x"]
)
def test_next_can_never_lead_off_site(actors, target: str) -> None:
    device, _codes = enrolled(actors.admin)
    client = _password_login()
    response = client.post(VERIFY, {"code": totp_code(device), "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_can_never_lead_off_site_after_enrolment(actors) -> None:
    client = actors.client_for(actors.admin)
    client.post(OVERVIEW, {"next": "https://evil.example/"})
    response = client.post(
        ACTIVATE + "?next=https://evil.example/", {"code": totp_code(TOTPDevice.objects.get(user=actors.admin))}
    )
    continue_link = re.search(r'<a class="button" href="([^"]*)">Jag har sparat', response.content.decode())
    assert continue_link.group(1) == "/"


@pytest.mark.parametrize("url", [OVERVIEW, VERIFY, ACTIVATE, REGENERATE, REMOVE])
def test_anonymous_visitor_is_sent_to_login(client, db, url: str) -> None:
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405)
        if response.status_code == 302:
            assert response["Location"].startswith("/konto/logga-in/")


# New recovery codes and removal


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(actors) -> None:
    device, old = enrolled(actors.admin)
    client = verified_client(actors.admin, device)
    refused = client.post(REGENERATE, {"regenerate-code": "123"})
    assert refused.status_code == 400 and "Koden är sex siffror från appen" in refused.content.decode()
    response = client.post(REGENERATE, {"regenerate-code": old[0]})
    assert response.status_code == 200
    new = CODE_RE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not RecoveryCodeDevice.objects.get(user=actors.admin).verify_token(old[1])
    RecoveryCodeDevice.objects.filter(user=actors.admin).update(throttling_failure_count=0)  # the old code's wait
    assert RecoveryCodeDevice.objects.get(user=actors.admin).verify_token(new[1])


def test_removing_the_factor_needs_a_current_code(actors) -> None:
    device, _codes = enrolled(actors.admin)
    client = verified_client(actors.admin, device)
    refused = client.post(REMOVE, {"remove-code": ""})
    assert refused.status_code == 400 and "Skriv koden" in refused.content.decode()
    assert otp.has_second_factor(actors.admin)
    response = client.post(REMOVE, {"remove-code": fresh_code(device)}, follow=True)
    assert "Tvåstegsverifieringen är borttagen" in response.content.decode()
    assert not otp.has_second_factor(actors.admin)
    assert not RecoveryCode.objects.filter(device__user=actors.admin).exists()


# The policy hook: a requirement registered by a capability (here: by the test)


@pytest.fixture
def admins_need_it():
    def admin_here(user, association) -> bool:
        return Membership.objects.filter(user=user, association=association, role=Role.ADMIN).exists()

    register_requirement(admin_here)
    yield admin_here
    unregister_requirement(admin_here)


@pytest.fixture
def protected(settings) -> str:
    settings.ROOT_URLCONF = "samverkan.accounts.tests.urls_protected"
    return "/f/alfa/skyddad/"


def test_registering_a_requirement_twice_counts_once(admins_need_it) -> None:
    register_requirement(admins_need_it)
    assert requirements().count(admins_need_it) == 1


def test_protected_view_sends_a_user_without_an_app_to_enrolment_and_back(actors, admins_need_it, protected) -> None:
    client = actors.client_for(actors.admin)
    response = client.get(protected)
    assert response.status_code == 302
    assert response["Location"] == f"{OVERVIEW}?next=%2Ff%2Falfa%2Fskyddad%2F"
    assert "kräver tvåstegsverifiering" in client.get(response["Location"]).content.decode()
    client.post(OVERVIEW, {"next": protected})
    device = TOTPDevice.objects.get(user=actors.admin)
    page = client.post(f"{ACTIVATE}?next={protected}", {"code": totp_code(device)}).content.decode()
    assert f'href="{protected}"' in page  # "Jag har sparat koderna – fortsätt"
    assert client.get(protected).content == b"deltagare"


def test_protected_view_sends_an_unverified_user_with_an_app_to_the_code_page(
    actors, admins_need_it, protected
) -> None:
    enrolled(actors.admin)
    client = actors.client_for(actors.admin)
    response = client.get(protected)
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Ff%2Falfa%2Fskyddad%2F"


def test_protected_view_lets_a_verified_user_pass(actors, admins_need_it, protected) -> None:
    client = verified_client(actors.admin)
    response = client.get(protected)
    assert response.status_code == 200 and response.content == b"deltagare"


def test_protected_view_needs_no_second_factor_where_no_requirement_holds(actors, admins_need_it, protected) -> None:
    assert not second_factor_required(actors.member, actors.association)
    assert actors.client_for(actors.member).get(protected).status_code == 200


def test_a_requirement_holds_only_in_its_own_association(actors, admins_need_it) -> None:
    assert second_factor_required(actors.admin, actors.association)
    assert not second_factor_required(actors.admin, actors.other_association)


def test_protected_view_sends_the_anonymous_visitor_to_login(client, actors, admins_need_it, protected) -> None:
    response = client.get(protected)
    assert response.status_code == 302 and response["Location"].startswith("/konto/logga-in/")


def test_without_a_registered_requirement_nobody_is_asked(actors, protected) -> None:
    assert all(not r(actors.admin, actors.association) for r in requirements())
    assert actors.client_for(actors.admin).get(protected).status_code == 200


# The codes as people type them (pure)


@given(st.lists(st.sampled_from(codes.ALPHABET), min_size=12, max_size=12).map("".join))
def test_a_recovery_code_typed_in_any_case_with_dashes_or_spaces_is_the_same_code(code: str) -> None:
    shown = codes.format_code(code)
    assert codes.normalise_code(shown) == code
    assert codes.normalise_code(shown.lower().replace("-", " ")) == code
    assert codes.looks_like_recovery_code(codes.normalise_code(shown))
    assert not codes.looks_like_totp(shown)


def test_letters_that_look_like_digits_are_read_as_digits() -> None:
    assert codes.normalise_code("o1il-OOOO-llll") == "0111" + "0000" + "1111"


def test_new_recovery_codes_are_ten_distinct_codes_of_sixty_bits() -> None:
    new = codes.new_recovery_codes()
    assert len(new) == 10 == len(set(new))
    assert all(len(c) == 12 and set(c) <= set(codes.ALPHABET) for c in new)
    assert len(codes.ALPHABET) ** 12 == 2**60


def test_the_code_page_shows_nothing_of_the_account_before_the_code(actors) -> None:
    enrolled(actors.admin)
    page = _password_login().get(VERIFY).content.decode()
    assert "Samordningsförbundet Alfa" not in page
    assert 'id="switch-association"' not in page


def test_each_code_field_is_described_by_its_own_help_text(actors) -> None:
    enrolled(actors.admin)
    page = verified_client(actors.admin).get(OVERVIEW).content.decode()
    for prefix in ("regenerate", "remove"):
        assert f'aria-describedby="id_{prefix}-code_help"' in page
        assert f'id="id_{prefix}-code_help"' in page


def test_the_platform_admin_site_can_remove_a_device_but_never_shows_a_secret(actors) -> None:
    from samverkan.common.factories import UserFactory

    device, _codes = enrolled(actors.admin)
    operator = UserFactory(email="drift@plattform.se", is_staff=True, is_superuser=True)
    client = actors.client_for(operator)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page and otp.secret_of(device) not in page
    recovery = RecoveryCodeDevice.objects.get(user=actors.admin)
    assert client.get(f"/admin/accounts/recoverycodedevice/{recovery.pk}/change/").status_code == 200
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not otp.has_second_factor(actors.admin)


def test_require_second_factor_above_association_view_fails_loudly(actors, admins_need_it) -> None:
    from django.test import RequestFactory

    from samverkan.accounts.second_factor import require_second_factor

    view = require_second_factor(lambda request, slug: None)
    request = RequestFactory().get("/f/alfa/x/")
    request.user = actors.admin
    with pytest.raises(TypeError, match="below @association_view"):
        view(request, "alfa")
