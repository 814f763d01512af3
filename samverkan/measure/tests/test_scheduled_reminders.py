"""Scheduled reminders: the admin plans a day on the campaign page, `send_due_reminders` sends it once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from samverkan.measure import services
from samverkan.measure.models import Campaign, Invitation, MailStatus
from samverkan.measure.tests.factories import open_campaign

pytestmark = pytest.mark.django_db

BASE = "https://samverkan.example.se/svara/inbjudan/"


def _run() -> str:
    """As a scheduler runs it: tenant scoping enforced, no association chosen."""
    out = io.StringIO()
    with scope():
        call_command("send_due_reminders", stdout=out)
    return out.getvalue()


def _invited(association, *emails: str, name: str = "Hösten") -> Campaign:  # type: ignore[no-untyped-def]
    campaign = open_campaign(association, name=name, groups=("board",))
    services.invitations_create(campaign=campaign, emails=emails, respondent_group="board", answer_base_url=BASE)
    mail.outbox.clear()
    return campaign


def _plan(campaign: Campaign, days_from_today: int) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(remind_on=timezone.localdate() + timedelta(days=days_from_today))


def test_planned_reminder_is_sent_on_its_day_to_every_invitee_once(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se", "b@kommun.se")
    _plan(campaign, 0)

    output = _run()

    assert sorted(m.to[0] for m in mail.outbox) == ["a@kommun.se", "b@kommun.se"]
    assert all("Har du redan svarat? Tack!" in m.body for m in mail.outbox)
    assert "påminnelse till 2 inbjudna köad" in output
    campaign.refresh_from_db()
    assert campaign.auto_reminded_on == timezone.localdate()
    mail.outbox.clear()
    assert "0 påminnelser köade." in _run()  # a second run, the same day or later, sends nothing more
    assert mail.outbox == []


def test_reminder_planned_for_a_later_day_waits(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    _plan(campaign, 2)
    _run()
    assert mail.outbox == []
    campaign.refresh_from_db()
    assert campaign.auto_reminded_on is None


def test_no_reminder_for_a_closed_round_even_if_planned(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    _plan(campaign, 0)
    services.campaign_close(campaign=campaign)
    _run()
    assert mail.outbox == []


def test_reminder_waits_for_the_next_run_while_the_round_mail_is_still_queued(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    Invitation.objects.filter(campaign=campaign).update(mail_status=MailStatus.QUEUED)
    _plan(campaign, 0)

    output = _run()

    assert mail.outbox == []
    assert "utskicket pågår fortfarande" in output
    campaign.refresh_from_db()
    assert campaign.auto_reminded_on is None  # still due: the next run sends it
    Invitation.objects.filter(campaign=campaign).update(mail_status=MailStatus.SENT)
    _run()
    assert [m.to[0] for m in mail.outbox] == ["a@kommun.se"]


def test_each_association_is_reminded_in_its_own_scope_only_of_its_own_invitees(actors) -> None:
    mine = _invited(actors.association, "a@alfa.se")
    theirs = _invited(actors.other_association, "b@beta.se", name="Betas höst")
    _plan(mine, 0)
    _plan(theirs, 0)
    _run()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@alfa.se", "b@beta.se"]
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        "a@alfa.se": "Påminnelse: Hösten",
        "b@beta.se": "Påminnelse: Betas höst",
    }


def test_admin_plans_the_reminder_day_on_the_campaign_page(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    day = timezone.localdate() + timedelta(days=3)
    url = reverse("measure:reminder_schedule", args=["alfa", campaign.pk])
    response = actors.client_for(actors.admin).post(url, {"remind_on": day.isoformat()}, follow=True)
    assert response.status_code == 200
    assert f"skickas automatiskt {day.isoformat()}" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.remind_on == day
    actors.client_for(actors.admin).post(url, {"remind_on": ""})
    campaign.refresh_from_db()
    assert campaign.remind_on is None


def test_reminder_day_outside_the_round_is_refused_in_swedish_and_keeps_what_was_typed(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    too_late = campaign.closes_on + timedelta(days=5)
    response = actors.client_for(actors.admin).post(
        reverse("measure:reminder_schedule", args=["alfa", campaign.pk]), {"remind_on": too_late.isoformat()}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Påminnelsen måste skickas medan mätomgången är öppen" in body
    assert f'value="{too_late.isoformat()}"' in body
    campaign.refresh_from_db()
    assert campaign.remind_on is None


def test_reminder_day_in_the_past_is_refused(actors) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    yesterday = timezone.localdate() - timedelta(days=1)
    response = actors.client_for(actors.admin).post(
        reverse("measure:reminder_schedule", args=["alfa", campaign.pk]), {"remind_on": yesterday.isoformat()}
    )
    assert response.status_code == 400
    assert "Välj i dag eller ett senare datum." in response.content.decode()


@pytest.mark.parametrize("who", ["analyst", "member", "outsider"])
def test_only_the_admin_plans_reminders(actors, who: str) -> None:
    campaign = _invited(actors.association, "a@kommun.se")
    response = actors.client_for(getattr(actors, who)).post(
        reverse("measure:reminder_schedule", args=["alfa", campaign.pk]),
        {"remind_on": timezone.localdate().isoformat()},
    )
    assert response.status_code in (403, 404)
    campaign.refresh_from_db()
    assert campaign.remind_on is None


def test_reminder_of_another_association_cannot_be_planned_under_my_slug(actors) -> None:
    theirs = _invited(actors.other_association, "b@beta.se", name="Betas höst")
    response = actors.client_for(actors.admin).post(
        reverse("measure:reminder_schedule", args=["alfa", theirs.pk]),
        {"remind_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.remind_on is None
