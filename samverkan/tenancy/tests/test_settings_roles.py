"""The settings page describes each role as the views treat it (issue 8, finding 5)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from samverkan.measure.tests.factories import open_campaign, ring_answers, submit

pytestmark = pytest.mark.django_db


def _role_texts(actors: Any) -> dict[str, dict[str, str]]:
    """Per role, what the settings page says it can and cannot do (the text inside each marked part)."""
    html = actors.client_for(actors.admin).get(reverse("tenancy:settings", args=["alfa"])).content.decode()
    texts: dict[str, dict[str, str]] = {}
    for role, body in re.findall(r'<div class="role" data-role="(\w+)">(.*?)</div>', html, flags=re.S):
        parts = dict(re.findall(r'<dd class="role-(can|cannot)">(.*?)</dd>', body, flags=re.S))
        texts[role] = {k: " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in parts.items()}
    return texts


def test_settings_say_members_see_full_results_and_free_text_as_they_really_do(actors: Any) -> None:
    """It said members only "read overviews"; they open every results page, its tables and the free text."""
    campaign = open_campaign(actors.association, groups=("staff",))
    for i in range(6):
        submit(campaign, "staff", ring_answers(3, open_meaning=f"Text {i}"))
    args = ["alfa", campaign.pk]
    # What each part of the product is called on the page, and where it lives.
    pages = {
        "resultat": reverse("measure:results", args=args),
        "fritextsvar": reverse("measure:free_texts", args=args),
        "rapporten": reverse("measure:report_pdf", args=args),
        "exporterna": reverse("measure:export", args=[*args, "svar", "csv"]),
        "skapa mätomgångar": reverse("measure:campaign_create", args=["alfa"]),
        "inställningarna": reverse("tenancy:settings", args=["alfa"]),
    }
    texts = _role_texts(actors)
    assert set(texts) == {"admin", "analyst", "member"}
    assert "översikter" not in " ".join(t.get("can", "") for t in texts.values())
    for role, user in (("member", actors.member), ("analyst", actors.analyst), ("admin", actors.admin)):
        client = actors.client_for(user)
        for words, url in pages.items():
            status = client.get(url).status_code
            assert status in (200, 403), (role, url, status)
            part = "can" if status == 200 else "cannot"
            assert words in texts[role].get(part, ""), (role, words, part, texts[role])


def test_the_members_page_describes_the_roles_as_the_settings_page_does(actors) -> None:
    """The invitation form once said members only "read overviews"; both pages now share one description."""
    from django.urls import reverse

    admin = actors.client_for(actors.admin)
    members = admin.get(reverse("tenancy:members", args=[actors.association.slug])).content.decode()
    assert "läser översikter" not in members
    assert "fullständiga resultat" in members
