"""Scheduled reminders: the admin plans a day, `manage.py send_due_reminders` sends the reminder once.

The reminder itself is `invitations.invitations_remind` (to every invitee, with the same personal link,
as a background job). Planning only stores the day; the nightly command finds the rounds whose day has
come and reminds each once (`auto_reminded_on`), so running it twice, or every hour, sends nothing more.
A round whose mail is still being sent is left for the next run rather than mailing anyone twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from samverkan.common.errors import ServiceError

from .invitations import ReminderInProgress, invitations_remind
from .models import Campaign, Invitation


def reminder_schedule(*, campaign: Campaign, remind_on: date | None, today: date | None = None) -> Campaign:
    """Plan (or, with None, cancel) the automatic reminder of an open or coming round."""
    today = today or timezone.localdate()
    if campaign.closed_on is not None or campaign.closes_on < today:
        raise ServiceError(_("Mätomgången är stängd; ingen påminnelse kan planeras."))
    if remind_on is not None:
        if remind_on < today:
            raise ServiceError({"remind_on": _("Välj i dag eller ett senare datum.")})
        if not campaign.opens_on <= remind_on <= campaign.closes_on:
            raise ServiceError(
                {
                    "remind_on": _("Påminnelsen måste skickas medan mätomgången är öppen, %(opens)s–%(closes)s.")
                    % {"opens": campaign.opens_on.isoformat(), "closes": campaign.closes_on.isoformat()}
                }
            )
    campaign.remind_on = remind_on
    campaign.auto_reminded_on = None  # a new day is a new plan, even after an earlier automatic reminder
    campaign.save(update_fields=["remind_on", "auto_reminded_on"])
    return campaign


@dataclass
class ReminderRun:
    reminded: list[tuple[Campaign, int]] = field(default_factory=list)  # (round, reminders queued)
    postponed: list[Campaign] = field(default_factory=list)  # mail still being sent: next run


def reminders_send_due(*, today: date | None = None) -> ReminderRun:
    """Remind the invitees of every open round whose planned day has come and that was not reminded yet."""
    today = today or timezone.localdate()
    answer_base_url = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("measure:answer_invitation")
    # Which rounds are due is read across associations on purpose (the scheduler works for the whole
    # platform); each round is then reminded in its own association's scope.
    with scopes_disabled():
        due = list(
            Campaign.objects.select_related("association")
            .filter(
                closed_on=None,
                opens_on__lte=today,
                closes_on__gte=today,
                remind_on__lte=today,
                auto_reminded_on=None,
            )
            .order_by("remind_on", "pk")
        )
    run = ReminderRun()
    for campaign in due:
        with scope(association=campaign.association):
            if not Invitation.objects.filter(campaign=campaign).exists():
                count = 0
            else:
                try:
                    count = invitations_remind(campaign=campaign, answer_base_url=answer_base_url)
                except ReminderInProgress:
                    run.postponed.append(campaign)
                    continue
            campaign.auto_reminded_on = today
            campaign.save(update_fields=["auto_reminded_on"])
            run.reminded.append((campaign, count))
    return run
