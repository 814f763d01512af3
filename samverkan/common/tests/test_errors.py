"""Error pages: Swedish, in the site's look, with a way back, and a database outage answers 503.

The outage cases run in a fresh process whose DATABASE_URL points at a server that is not
there (or does not answer): settings are read once at import, and the test process itself
needs its database.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from samverkan.common import error_pages as errors

ROOT = Path(__file__).resolve().parents[3]


def _assert_swedish_error_page(response, status: int, heading: str) -> str:
    content = response.content.decode()
    assert response.status_code == status, content[:500]
    assert response["Content-Type"].startswith("text/html")
    assert f"<h1>{heading}</h1>" in content
    assert 'lang="sv"' in content
    assert "css/samverkan.css" in content  # the site's look
    assert 'href="/">' in content and "Till startsidan" in content  # a way back
    return content


def test_unknown_address_gives_the_swedish_404_page_with_a_way_back(client, db) -> None:
    _assert_swedish_error_page(client.get("/finns-inte/"), 404, "Sidan finns inte")


def test_404_page_for_a_signed_in_user_reads_nothing_from_the_database(actors, django_assert_num_queries) -> None:
    client = actors.client_for(actors.member)
    with django_assert_num_queries(0):
        response = client.get("/finns-inte/")
    _assert_swedish_error_page(response, 404, "Sidan finns inte")


def test_other_associations_page_gives_the_swedish_404_page(actors) -> None:
    response = actors.client_for(actors.outsider).get(reverse("tenancy:start", args=["alfa"]))
    _assert_swedish_error_page(response, 404, "Sidan finns inte")


def test_member_on_an_admin_page_gets_the_swedish_403_page(actors) -> None:
    response = actors.client_for(actors.member).get(reverse("tenancy:settings", args=["alfa"]))
    _assert_swedish_error_page(response, 403, "Du har inte behörighet")


def test_unknown_host_gives_the_swedish_400_page(client, db) -> None:
    _assert_swedish_error_page(client.get("/", HTTP_HOST="evil.example"), 400, "Felaktig begäran")


def test_form_without_its_csrf_cookie_gives_the_swedish_403_page(db) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "a@b.se"})
    _assert_swedish_error_page(response, 403, "Formuläret har gått ut")


def test_gone_page_is_swedish_with_a_way_back() -> None:
    _assert_swedish_error_page(errors.error_page(410), 410, "Sidan finns inte längre")


def test_unexpected_error_gives_the_swedish_500_page() -> None:
    response = errors.server_error(RequestFactory().get("/"))
    _assert_swedish_error_page(response, 500, "Något gick fel")
    assert "Retry-After" not in response


def test_error_pages_have_no_inline_style_or_script() -> None:
    for status in (400, 403, 404, 410, 500, 503):
        content = errors.error_page(status).content.decode()
        assert "style=" not in content and "<style" not in content and "<script" not in content


# --- a database outage, in a fresh process --------------------------------------------------

_PAGES_SCRIPT = """
import json, sys, time
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
client.cookies["sessionid"] = "x" * 32  # a signed-in visitor: the session is read from the database
results = []
for method, path in [("get", "/"), ("get", "/f/alfa/"), ("post", "/konto/logga-in/"), ("get", "/api/association")]:
    started = time.monotonic()
    data = {"username": "admin@alfa.se", "password": "fel"} if method == "post" else None
    headers = {"Authorization": "Bearer sv_x"} if path.startswith("/api/") else {}
    response = getattr(client, method)(path, data, headers=headers)
    results.append({
        "path": path, "status": response.status_code, "retry_after": response.get("Retry-After"),
        "body": response.content.decode(), "seconds": time.monotonic() - started,
    })
print(json.dumps(results))
"""


def _production_environment(database_url: str, **extra: str) -> dict[str, str]:
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("PYTEST_CURRENT_TEST", None)
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "samverkan.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        **extra,
    }


def _pages_during_outage(database_url: str, *, timeout: float = 60, **extra: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-c", _PAGES_SCRIPT],
        cwd=ROOT,
        env=_production_environment(database_url, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_swedish_503(pages: list[dict]) -> None:
    for page in pages:
        assert page["status"] == 503, page
        assert page["retry_after"] == str(errors.RETRY_AFTER_SECONDS), page
        if page["path"].startswith("/api/"):
            assert json.loads(page["body"]) == {"detail": "Tjänsten är tillfälligt otillgänglig"}
            continue
        assert "<h1>Tjänsten är tillfälligt otillgänglig</h1>" in page["body"], page
        assert "Server Error" not in page["body"]
        assert 'href="/">' in page["body"]


def test_postgresql_down_gives_the_swedish_503_page_on_every_page() -> None:
    _assert_swedish_503(_pages_during_outage("postgres://postgres@127.0.0.1:1/none"))


def test_sqlite_file_that_cannot_be_opened_gives_the_swedish_503_page(tmp_path) -> None:
    _assert_swedish_503(_pages_during_outage(f"sqlite:///{tmp_path}/no-such-folder/db.sqlite3"))


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts connections (the kernel's backlog) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()


def test_database_that_never_answers_gives_503_within_seconds_not_a_hang(silent_server) -> None:
    started = time.monotonic()
    pages = _pages_during_outage(
        f"postgres://postgres@127.0.0.1:{silent_server}/none", timeout=45, DATABASE_CONNECT_TIMEOUT="2"
    )
    _assert_swedish_503(pages)
    for page in pages:
        assert page["seconds"] < 8, page["seconds"]  # the 2 s connect timeout, not a hang
    assert time.monotonic() - started < 40


def test_unknown_api_address_answers_404_in_json(client, db) -> None:
    response = client.get("/api/finns-inte")
    assert response.status_code == 404
    assert response.json() == {"detail": "Sidan finns inte"}


def test_favicon_ico_leads_to_our_icon_instead_of_a_404(client, db) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg") and "/static/img/favicon" in response["Location"]
