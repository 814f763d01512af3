"""The Django admin's user forms: one account per e-mail address, whatever its case."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import User
from samverkan.common.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(db: Any) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("root@plattform.se", "root-password-1234"))
    return client


def _add(client: Client, email: str) -> Any:
    return client.post(
        "/admin/accounts/user/add/",
        {
            "email": email,
            "password1": "ett-bra-losenord-77",
            "password2": "ett-bra-losenord-77",
            "usable_password": "true",
        },
    )


def test_admin_refuses_a_user_whose_email_differs_only_in_case(actors: Any, superuser_client: Client) -> None:
    response = _add(superuser_client, "Admin@ALFA.se")
    assert response.status_code == 200
    assert "Det finns redan en användare med e-postadressen admin@alfa.se" in response.content.decode()
    assert User.objects.filter(email__iexact="admin@alfa.se").count() == 1
    # ...so the existing person can still log in.
    login = Client().post(reverse("accounts:login"), {"username": "admin@alfa.se", "password": TEST_PASSWORD})
    assert login.status_code == 302


def test_admin_stores_a_new_users_email_in_lower_case(superuser_client: Client) -> None:
    response = _add(superuser_client, "Ny.Person@Kommun.SE")
    assert response.status_code == 302
    assert User.objects.filter(email="ny.person@kommun.se").exists()


def test_admin_change_form_refuses_an_email_taken_in_another_case(actors: Any, superuser_client: Client) -> None:
    member = actors.member
    response = superuser_client.post(
        f"/admin/accounts/user/{member.pk}/change/",
        {
            "email": "ADMIN@alfa.se",
            "name": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        },
    )
    assert response.status_code == 200
    assert "Det finns redan en användare med e-postadressen admin@alfa.se" in response.content.decode()
    member.refresh_from_db()
    assert member.email == "member@alfa.se"
    kept = superuser_client.post(
        f"/admin/accounts/user/{member.pk}/change/", {"email": "Member@Alfa.se", "name": "M", "is_active": "on"}
    )
    assert kept.status_code == 302
    member.refresh_from_db()
    assert member.email == "member@alfa.se"
