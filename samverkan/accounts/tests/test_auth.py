from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from samverkan.common.factories import TEST_PASSWORD


def test_login_with_email_and_password_then_logout(actors) -> None:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": "ADMIN@alfa.se", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("tenancy:start", args=["alfa"]))["Location"].startswith(reverse("accounts:login"))


def test_wrong_password_shows_swedish_error_and_keeps_the_email(actors) -> None:
    response = Client().post(reverse("accounts:login"), {"username": "admin@alfa.se", "password": "fel"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord" in content
    assert 'value="admin@alfa.se"' in content


def test_repeated_failures_lock_the_account_even_with_the_right_password(actors, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "admin@alfa.se", "password": "fel"})
    response = client.post(reverse("accounts:login"), {"username": "admin@alfa.se", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "tillfälligt spärrat" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(actors) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "admin@alfa.se"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["admin@alfa.se"]
    link = re.search(r"http://testserver(/konto/losenord/aterstall/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": "ett-nytt-langt-losen", "new_password2": "ett-nytt-langt-losen"})
    assert response.status_code == 302
    login = Client().post(reverse("accounts:login"), {"username": "admin@alfa.se", "password": "ett-nytt-langt-losen"})
    assert login.status_code == 302


def test_password_reset_does_not_reveal_unknown_addresses(db) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_language_switch_to_english_and_back(actors) -> None:
    client = actors.client_for(actors.member)
    url = reverse("tenancy:start", args=["alfa"])
    assert "Översikt" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()
    assert "Overview" in english
    assert 'lang="en"' in english
    client.post(reverse("set_language"), {"language": "sv", "next": url})
    assert "Översikt" in client.get(url).content.decode()
