"""Login lockout (django-axes): who is counted, by which address, and how long anything is kept."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.common.factories import TEST_PASSWORD

LOGIN = "accounts:login"
PROXY = "10.0.0.1"  # the TLS proxy: every request reaches Django from here


def _post(client: Client, username: str, password: str, **extra: str):
    return client.post(reverse(LOGIN), {"username": username, "password": password}, **extra)


def test_wrong_guesses_in_any_letter_case_count_towards_one_lockout(actors, settings) -> None:
    # Login matches the e-mail in any case, so the lockout must count every spelling of it as one user.
    client = Client()
    variants = ["admin@alfa.se", "ADMIN@ALFA.SE", "Admin@Alfa.se", " aDmIn@alfa.SE "]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _post(client, variants[attempt % len(variants)], "fel")
    response = _post(client, "admin@alfa.se", TEST_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"admin@alfa.se"}


def test_sixteen_wrong_guesses_over_four_case_variants_lock_the_account(actors, settings) -> None:
    settings.AXES_FAILURE_LIMIT = 5
    client = Client()
    for variant in ["admin@alfa.se", "ADMIN@alfa.se", "Admin@alfa.se", "admin@ALFA.se"] * 4:
        _post(client, variant, "fel")
    assert _post(client, "Admin@Alfa.SE", TEST_PASSWORD).status_code == 429


def test_behind_the_proxy_an_attacker_cannot_lock_a_victim_out_from_the_victims_own_address(actors, settings) -> None:
    settings.SAMVERKAN_PROXY_COUNT = 1
    attacker, victim = Client(REMOTE_ADDR=PROXY), Client(REMOTE_ADDR=PROXY)
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _post(attacker, "admin@alfa.se", "fel", HTTP_X_FORWARDED_FOR="203.0.113.5")
    # The attacker is locked out …
    assert _post(attacker, "admin@alfa.se", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # … the victim, at another address behind the same proxy, is not.
    response = _post(victim, "admin@alfa.se", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_the_proxy_a_forged_forwarded_for_does_not_dodge_the_lockout(actors, settings) -> None:
    # The proxy appends the address it saw; whatever the client wrote before it is ignored.
    settings.SAMVERKAN_PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR=PROXY)
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, "admin@alfa.se", "fel", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.5")
    response = _post(attacker, "admin@alfa.se", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert response.status_code == 429


def test_without_a_configured_proxy_the_forwarded_for_header_is_ignored(actors, settings) -> None:
    # Directly exposed, a client could otherwise pick a new "address" for every guess.
    settings.SAMVERKAN_PROXY_COUNT = 0
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _post(attacker, "admin@alfa.se", "fel", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    response = _post(attacker, "admin@alfa.se", TEST_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_behind_two_proxies_the_address_the_outer_proxy_saw_is_used(actors, settings) -> None:
    settings.SAMVERKAN_PROXY_COUNT = 2
    # client 203.0.113.5 → load balancer → nginx (10.0.0.2) → gunicorn
    _post(Client(REMOTE_ADDR=PROXY), "admin@alfa.se", "fel", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5, 10.0.0.2")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_a_missing_or_garbled_forwarded_for_falls_back_to_the_connecting_address(actors, settings) -> None:
    settings.SAMVERKAN_PROXY_COUNT = 1
    _post(Client(REMOTE_ADDR=PROXY), "admin@alfa.se", "fel")
    _post(Client(REMOTE_ADDR=PROXY), "admin@alfa.se", "fel", HTTP_X_FORWARDED_FOR="not-an-address")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {PROXY}


def test_a_successful_login_leaves_no_access_log_with_name_or_address(actors) -> None:
    assert _post(Client(), "admin@alfa.se", TEST_PASSWORD).status_code == 302
    assert AccessLog.objects.count() == 0


def _age(model: type, hours: float) -> None:
    model.objects.update(attempt_time=timezone.now() - timedelta(hours=hours))


def test_prune_login_attempts_removes_what_is_older_than_the_cool_off_and_keeps_the_rest(actors, settings) -> None:
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    _post(Client(REMOTE_ADDR="203.0.113.5"), "admin@alfa.se", "fel")
    _age(AccessAttempt, settings.AXES_COOLOFF_TIME + 1)
    _age(AccessFailureLog, settings.AXES_COOLOFF_TIME + 1)
    AccessLog.objects.create(username="admin@alfa.se", ip_address="203.0.113.5", user_agent="x", http_accept="x")
    _age(AccessLog, settings.AXES_COOLOFF_TIME + 1)
    _post(Client(REMOTE_ADDR="198.51.100.7"), "member@alfa.se", "fel")  # recent: still counts towards a lockout
    assert AccessFailureLog.objects.count() == 2

    call_command("prune_login_attempts", verbosity=0)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["member@alfa.se"]
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["member@alfa.se"]
    assert AccessLog.objects.count() == 0


def test_prune_login_attempts_keeps_a_running_lockout(actors, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _post(client, "admin@alfa.se", "fel")
    call_command("prune_login_attempts", verbosity=0)
    assert _post(client, "admin@alfa.se", TEST_PASSWORD).status_code == 429
