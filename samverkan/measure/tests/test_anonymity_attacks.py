"""The attacks of issue 8, run as a database reader, a log reader and a results reader would run them.

Threat: an association admin, an operator or anyone holding a backup wants to know what a named
colleague answered. Each test runs one attack that worked on commit 048fef4 and shows it now fails,
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from samverkan.measure import services
from samverkan.measure.models import Answer, Draft, HallmarkScore, Invitation, PendingResponse, Receipt, Response
from samverkan.measure.published import results_payload
from samverkan.measure.results import campaign_results
from samverkan.measure.tests.factories import open_campaign, ring_answers

POSTGRESQL = connection.vendor == "postgresql"


def _invite(actors: Any, campaign: Any, emails: list[str]) -> dict[str, str]:
    """Send personal invitations through the staff page; returns each address's e-mailed link."""
    mail.outbox.clear()
    actors.client_for(actors.admin).post(
        reverse("measure:invitations_send", args=["alfa", campaign.pk]),
        {"respondent_group": "board", "emails": "\n".join(emails)},
    )
    return {m.to[0]: re.search(r"http://testserver(\S+)", m.body).group(1) for m in mail.outbox}


def _answer_by_link(link: str, answers: dict[str, str], *, requested: list[str] | None = None) -> Client:
    """Open the e-mailed link as a browser does (the part after "#" is never sent) and answer."""
    path, _hash, secret = link.partition("#")
    client = Client(enforce_csrf_checks=True)
    seen = requested if requested is not None else []
    page = client.get(path)
    seen.append(page.request["PATH_INFO"])
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    opened = client.post(path, {"csrfmiddlewaretoken": csrf, "action": "code", "code": secret})
    seen.append(opened.request["PATH_INFO"])
    form = client.get(path)
    seen.append(form.request["PATH_INFO"])
    content = form.content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', content).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
    sent = client.post(path, {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "submit", **answers})
    seen.append(sent.request["PATH_INFO"])
    assert sent.status_code == 302, content
    return client


@pytest.mark.skipif(not POSTGRESQL, reason="xmin is PostgreSQL's transaction id")
def test_xmin_join_of_invitations_and_answers_matches_nobody(actors) -> None:
    """Finding: the invitation's "used" update and the response insert were one statement, so
    `join measure_response r on r.xmin = i.xmin` matched 5 of 5 invitees to their answers."""
    campaign = open_campaign(actors.association, groups=("board",))
    links = _invite(actors, campaign, [f"person{i}@kommun.se" for i in range(5)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM measure_invitation ORDER BY id")
        before = cursor.fetchall()
    for i, link in enumerate(links.values()):
        _answer_by_link(link, ring_answers(1 + i % 5))
    campaign_results(campaign=campaign)  # someone reads the results: the group's five are published
    assert Response.objects.filter(campaign=campaign).count() == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, xmin::text FROM measure_invitation ORDER BY id")
        assert cursor.fetchall() == before  # answering never writes an invitation
        for table in ("measure_response", "measure_answer", "measure_hallmarkscore", "measure_receipt"):
            cursor.execute(f"SELECT count(*) FROM measure_invitation i JOIN {table} r ON r.xmin = i.xmin")
            assert cursor.fetchone() == (0,), table
        # All five were published in one transaction: their transaction id says nothing about who is who.
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM measure_response WHERE campaign_id = %s", [campaign.pk])
        assert cursor.fetchone() == (1,)


def _physical_order_sql(table: str, key: str) -> str:
    order = "ctid" if POSTGRESQL else "rowid"
    return f"SELECT {key} FROM {table} ORDER BY {order}"


def test_row_order_of_published_answers_does_not_give_the_order_of_answering(actors) -> None:
    """Finding: SQLite rowids and the sequential ids of answers, hallmark scores and receipts gave the
    submission order. Ten people answer one after another, each with their own free text; no stored
    order of any response-side table (physical position, rowid, id) gives that order back."""
    campaign = open_campaign(actors.association, groups=("staff",), min_group_size=10)
    url = reverse("measure:answer_link", args=[campaign.links.get().token])
    order = [f"svar nummer {i}" for i in range(10)]
    for i, text in enumerate(order):
        client = Client()
        page = client.get(url).content.decode()
        key = re.search(r'name="submission_key" value="([^"]+)"', page).group(1)
        client.post(url, {"submission_key": key, "action": "submit", "open_meaning": text, "strat_1": str(1 + i % 5)})
    assert Response.objects.filter(campaign=campaign).count() == 0  # sealed, waiting
    campaign_results(campaign=campaign)  # reading the results publishes the batch of ten
    assert Response.objects.filter(campaign=campaign).count() == 10
    by_position = [
        row[0]
        for row in _fetch(
            "SELECT a.text FROM measure_answer a WHERE a.text <> '' ORDER BY " + ("a.ctid" if POSTGRESQL else "a.rowid")
        )
    ]
    by_id = list(Answer.objects.exclude(text="").order_by("id").values_list("text", flat=True))
    response_order = {
        _uuid(pk): i for i, pk in enumerate(r[0] for r in _fetch(_physical_order_sql("measure_response", "id")))
    }
    by_response_position = sorted(
        Answer.objects.exclude(text="").values_list("response_id", "text"), key=lambda row: response_order[row[0]]
    )
    score_order = [_uuid(r[0]) for r in _fetch(_physical_order_sql("measure_hallmarkscore", "response_id"))]
    assert sorted(by_position) == sorted(order)
    # 10! orders are possible: the chance that a random one is the true one is below one in three million.
    assert by_position != order
    assert by_id != order
    assert [text for _pk, text in by_response_position] != order
    text_of = dict(Answer.objects.exclude(text="").values_list("response_id", "text"))
    assert [text_of[pk] for pk in score_order if pk in text_of] != order
    assert sorted(Receipt.objects.values_list("key", flat=True)) == sorted(
        r[0] for r in _fetch("SELECT key FROM measure_receipt")
    )


def _uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _fetch(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.skipif(POSTGRESQL, reason="rowid is SQLite's")
def test_receipts_and_waiting_answers_get_random_rowids_in_sqlite(actors) -> None:
    campaign = open_campaign(actors.association, groups=("staff",), min_group_size=20)
    for i in range(8):
        services.response_submit(
            campaign=campaign, respondent_group="staff", raw_answers=ring_answers(3), submission_key=f"k{i}"
        )
    for table in ("measure_receipt", "measure_pendingresponse"):
        rowids = [row[0] for row in _fetch(f"SELECT rowid FROM {table}")]
        assert len(rowids) == 8
        assert min(rowids) > 1000  # not 1, 2, 3 …: a random 62-bit number each


def test_the_personal_secret_is_never_in_a_requested_path_or_a_log_line(actors, caplog) -> None:
    """Finding: the personal token was in the path of every logged POST and in Django's 4xx/5xx lines,
    and a token taken from such a line answered the questionnaire. Now it travels after "#" (never sent
    by a browser) and in the form body once, so no path and no log line holds it."""
    campaign = open_campaign(actors.association, groups=("board",))
    links = _invite(actors, campaign, ["anna@kommun.se"])
    link = links["anna@kommun.se"]
    path, _hash, secret = link.partition("#")
    assert secret and path == reverse("measure:answer_invitation")
    requested: list[str] = []
    with caplog.at_level(logging.DEBUG):
        client = _answer_by_link(link, ring_answers(4), requested=requested)
        client.get(path)  # reopening: "already used"
        Client().get(path + "x/")  # a wrong address is logged as 404
        Client().post(path, {"action": "code", "code": secret + "x"})  # a wrong code
    assert requested and all(secret not in p for p in requested)
    logged = "\n".join(record.getMessage() + " " + str(record.args) for record in caplog.records)
    assert secret not in logged
    # The stored lookup is a keyed hash: sha256 of the secret (what a log reader would try) matches nothing.
    assert not Invitation.objects.filter(lookup=hashlib.sha256(secret.encode()).hexdigest()).exists()


def test_a_saved_draft_cannot_be_tied_to_the_invitee_or_read(actors) -> None:
    """Finding: an invitation's draft key was sha256("invitation:<sequential id>"), so a saved, unsent
    draft sat next to the invitee's e-mail. Now it is a keyed hash of the link's secret and its content
    is sealed."""
    campaign = open_campaign(actors.association, groups=("board",))
    links = _invite(actors, campaign, ["bo@kommun.se", "cecilia@kommun.se"])
    path, _hash, secret = links["bo@kommun.se"].partition("#")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    client.post(path, {"csrfmiddlewaretoken": csrf, "action": "code", "code": secret})
    form = client.get(path).content.decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', form).group(1)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    client.post(
        path,
        {"csrfmiddlewaretoken": csrf, "submission_key": key, "action": "save", "open_meaning": "Hemligt utkast"},
    )
    draft = Draft.objects.get()
    candidates = set()
    for invitation in Invitation.objects.all():
        for text in (f"invitation:{invitation.pk}", invitation.email, invitation.lookup, invitation.nonce):
            candidates.add(hashlib.sha256(text.encode()).hexdigest())
            candidates.add(text)
    assert draft.key not in candidates
    assert "Hemligt" not in draft.sealed
    assert not [f for f in Draft._meta.get_fields() if getattr(f, "related_model", None) is Invitation]
    # The invitee finds their draft again; nobody else's link does.
    assert "Hemligt utkast" in client.get(path).content.decode()


def test_a_late_autosave_after_submitting_leaves_no_answers_in_any_draft(actors) -> None:
    campaign = open_campaign(actors.association, groups=("board",))
    link = _invite(actors, campaign, ["dan@kommun.se"])["dan@kommun.se"]
    client = _answer_by_link(link, {"open_meaning": "Inskickat svar"})
    path = link.partition("#")[0]
    late = client.post(
        path,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "action": "autosave",
            "open_meaning": "Inskickat svar",
        },
    )
    assert late.status_code == 200
    assert not Draft.objects.exclude(sealed="").exists()
    assert all(d.submitted for d in Draft.objects.all())


def test_waiting_answers_and_receipts_reveal_nothing_to_a_database_reader(actors) -> None:
    campaign = open_campaign(actors.association, groups=("board",))
    link = _invite(actors, campaign, ["eva@kommun.se"])["eva@kommun.se"]
    secret = link.partition("#")[2]
    _answer_by_link(link, {"open_meaning": "Min åsikt om samverkan", "ring_team": "2"})
    pending = PendingResponse.objects.get()
    assert "åsikt" not in pending.sealed and "ring_team" not in pending.sealed
    hashes = {hashlib.sha256(v.encode()).hexdigest() for v in (secret, f"invitation:{secret}")}
    assert not Receipt.objects.filter(key__in=hashes).exists()
    assert Response.objects.count() == Answer.objects.count() == HallmarkScore.objects.count() == 0


def test_reading_open_results_before_and_after_one_person_answers_reveals_nothing(actors) -> None:
    """Finding: results read before and after one known person answered gave all 4 of their ring
    answers from the distribution counts. Now open results change only when the group has gained at
    least the minimum group size since the last published state."""
    campaign = open_campaign(actors.association, groups=("staff", "board"))
    for i in range(5):
        services.response_submit(
            campaign=campaign, respondent_group="staff", raw_answers=ring_answers(3), submission_key=f"s{i}"
        )
    before = results_payload(campaign_results(campaign=campaign))
    assert before["groups"][0]["n"] == 5
    # The known colleague answers 1, 5, 1, 5: nothing of it shows, nor after three more people.
    services.response_submit(
        campaign=campaign,
        respondent_group="staff",
        raw_answers={"ring_personal": "1", "ring_team": "5", "ring_organisation": "1", "ring_society": "5"},
        submission_key="colleague",
    )
    assert results_payload(campaign_results(campaign=campaign)) == before
    for i in range(3):
        services.response_submit(
            campaign=campaign, respondent_group="staff", raw_answers=ring_answers(4), submission_key=f"t{i}"
        )
        assert results_payload(campaign_results(campaign=campaign)) == before
    # The fifth new answer publishes the five together: a step of five, never one person's.
    services.response_submit(
        campaign=campaign, respondent_group="staff", raw_answers=ring_answers(2), submission_key="t-last"
    )
    after = results_payload(campaign_results(campaign=campaign))
    assert after["groups"][0]["n"] == 10
    # Closing publishes what still waits, however few, as final results.
    services.response_submit(
        campaign=campaign, respondent_group="board", raw_answers=ring_answers(2), submission_key="b1"
    )
    assert PendingResponse.objects.filter(campaign=campaign).count() == 1
    services.campaign_close(campaign=campaign)
    assert PendingResponse.objects.filter(campaign=campaign).count() == 0
    assert Response.objects.filter(campaign=campaign).count() == 11


def test_a_round_past_its_closing_date_publishes_what_still_waits(actors) -> None:
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    campaign = open_campaign(actors.association, groups=("staff",))
    for i in range(2):
        services.response_submit(
            campaign=campaign, respondent_group="staff", raw_answers=ring_answers(3), submission_key=f"w{i}"
        )
    campaign_results(campaign=campaign)
    assert Response.objects.filter(campaign=campaign).count() == 0  # two wait for their batch
    campaign.closes_on = today - timedelta(days=1)
    campaign.save(update_fields=["closes_on"])
    campaign_results(campaign=campaign)
    assert Response.objects.filter(campaign=campaign).count() == 2
    assert not PendingResponse.objects.filter(campaign=campaign).exists()
