"""Personal invitations and their mail: inviting, reminding, the message, queueing the mail."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task_backends

from samverkan.jobs.models import ACTIVE, Job
from samverkan.jobs.services import job_start
from samverkan.tenancy.models import Role

from . import anonymity
from .models import Campaign, Invitation, MailStatus, Receipt

INVITATIONS_JOB = "measure.invitations"
PROGRESS_EVERY = 250  # addresses between two progress reports of the job


def invitations_job_key(campaign: Campaign) -> str:
    return f"campaign:{campaign.pk}"


def invitations_start(
    *,
    campaign: Campaign,
    emails: Sequence[str],
    respondent_group: str,
    answer_base_url: str,
    created_by: Any = None,
    return_url: str = "",
) -> Any:
    """Store the list once and start the one job that invites it (tasks.invitations_prepare); returns the job.

    The request does only this, so its time does not grow with the list (bench/invitations.py): the job
    checks every address fully, makes the nonces and hashes, writes the invitations and queues their mail.
    Refused (jobs.JobAlreadyRunning, a ServiceError) while a list of the same round is being prepared. The
    stored list is emptied when the job ends.
    """
    from .tasks import invitations_prepare

    return job_start(
        association=campaign.association,
        kind=INVITATIONS_JOB,
        key=invitations_job_key(campaign),
        title=_("Inbjudningar till %(name)s") % {"name": campaign.name},
        task=invitations_prepare,
        args=[campaign.pk],
        role=Role.ADMIN,
        created_by=created_by,
        total=len(emails),
        payload={"emails": list(emails), "respondent_group": respondent_group, "answer_base_url": answer_base_url},
        return_url=return_url,
        message=_("Listan med %(count)s adresser väntar på att förberedas.") % {"count": len(emails)},
    )


def invitations_create(
    *,
    campaign: Campaign,
    emails: Iterable[str],
    respondent_group: str,
    answer_base_url: str,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Invite each address once; returns (queued, skipped as already invited).

    The mail goes out from background tasks once this transaction commits (tasks.invitation_mail_send),
    each address with its own delivery status. `answer_base_url` is the personal-link page; the secret
    goes after "#", so it never reaches a server log, and is derived again when the mail is built.
    """
    today = timezone.localdate()
    existing = dict(Invitation.objects.filter(campaign=campaign).values_list("email", "mail_status"))
    failed = dict(
        Invitation.objects.filter(campaign=campaign, mail_status=MailStatus.FAILED).values_list("email", "pk")
    )
    requeued: list[int] = []
    new: list[Invitation] = []
    order: list[int | Invitation] = []  # ids and new rows in the order given, for the mail batches
    skipped = 0
    for seen, email in enumerate(dict.fromkeys(e.strip().lower() for e in emails if e.strip()), 1):
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress(seen)
        if email in failed:
            # Its mail never arrived: inviting the address again sends the same link again.
            requeued.append(failed[email])
            order.append(failed[email])
            continue
        if email in existing:
            skipped += 1
            continue
        nonce = secrets.token_hex(16)
        invitation = Invitation(
            campaign=campaign,
            respondent_group=respondent_group,
            email=email,
            nonce=nonce,
            lookup=anonymity.invitation_lookup(anonymity.invitation_token(nonce)),
            sent_on=today,
            mail_status=MailStatus.QUEUED,
        )
        new.append(invitation)
        order.append(invitation)
    with transaction.atomic():
        # One UPDATE and a few multi-row INSERTs, not a statement per address: the request's time must
        # not grow with the list (bench/invitations.py), the mail itself is the worker's.
        if requeued:
            Invitation.objects.filter(pk__in=requeued).update(
                mail_status=MailStatus.QUEUED, mail_attempts=0, mail_error=""
            )
        Invitation.objects.bulk_create(new, batch_size=500)
        if any(invitation.pk is None for invitation in new):  # a database that returns no ids from a bulk insert
            ids = dict(
                Invitation.objects.filter(campaign=campaign, lookup__in=[i.lookup for i in new]).values_list(
                    "lookup", "pk"
                )
            )
            for invitation in new:
                invitation.pk = ids[invitation.lookup]
        created = [entry if isinstance(entry, int) else entry.pk for entry in order]
        _enqueue_mail(created, answer_base_url, reminder=False)
    return len(created), skipped


class ReminderInProgress(Exception):
    """Mail of this round is still being sent: a reminder now would mail people twice."""


def invitations_remind(*, campaign: Campaign, answer_base_url: str) -> int:
    """Remind every invitee, with the same personal link; returns how many reminders are queued.

    In an anonymous round nobody can know who has answered, so the reminder goes to everyone and says
    that those who already answered need do nothing; the link still works only once. Refused while
    earlier mail of the round is still queued, or a list is still being prepared, so it can't be started twice.
    """
    preparing = Job.objects.filter(
        association_id=campaign.association_id, kind=INVITATIONS_JOB, key=invitations_job_key(campaign)
    )
    if preparing.filter(status__in=ACTIVE).exists():
        raise ReminderInProgress(_("En lista med inbjudningar förbereds fortfarande. Vänta tills den är klar."))
    with transaction.atomic():
        invitations = Invitation.objects.select_for_update().filter(campaign=campaign)
        ids = list(invitations.values_list("pk", flat=True))
        if Invitation.objects.filter(pk__in=ids, mail_status=MailStatus.QUEUED).exists():
            raise ReminderInProgress(_("Utskicket pågår fortfarande. Vänta tills det är klart innan du påminner."))
        Invitation.objects.filter(pk__in=ids).update(
            reminded_on=timezone.localdate(), mail_status=MailStatus.QUEUED, mail_attempts=0, mail_error=""
        )
        _enqueue_mail(ids, answer_base_url, reminder=True)
    return len(ids)


def _enqueue_mail(ids: Sequence[int], answer_base_url: str, *, reminder: bool) -> None:
    from .tasks import MAIL_BATCH, invitation_mail_send

    batches = [list(ids[i : i + MAIL_BATCH]) for i in range(0, len(ids), MAIL_BATCH)]

    def enqueue() -> None:
        for batch in batches:
            invitation_mail_send.enqueue(batch, answer_base_url, reminder)

    # The database queue shares the transaction: its job rows commit with the invitations, or neither
    # does (and the immediate backend runs them now). A queue elsewhere (Redis) must only hear of them
    # after the commit, or a worker could look for invitations that are not there yet.
    backend = type(task_backends["default"]).__module__
    if backend.startswith(("django_tasks_db", "django_tasks.backends.immediate")):
        enqueue()
    else:
        transaction.on_commit(enqueue)


def invitation_message(
    campaign: Campaign, email: str, url: str, token: str, *, reminder: bool
) -> tuple[str, str, None, list[str]]:
    subject = (_("Påminnelse: %(name)s") if reminder else _("Enkät: %(name)s")) % {"name": campaign.name}
    values = {
        "association": campaign.association.name,
        "url": url,
        "code": token,
        "closes": campaign.closes_on.isoformat(),
    }
    if reminder:
        body = (
            _(
                "Hej!\n\nEnkäten från %(association)s stänger snart.\n\n"
                "Har du redan svarat? Tack! Då behöver du inte göra något: svaren är anonyma, så vi kan inte se "
                "vem som har svarat och skickar därför påminnelsen till alla.\n\n"
                "Har du inte svarat än? Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
                "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n\n"
                "Enkäten stänger %(closes)s.\n"
            )
            % values
        )
    else:
        body = (
            _(
                "Hej!\n\n%(association)s vill veta hur integrerad samverkan är i dag. "
                "Det tar omkring tio minuter och du är anonym: ditt svar kan inte kopplas till dig.\n\n"
                "Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
                "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n\n"
                "Enkäten stänger %(closes)s.\n"
            )
            % values
        )
    return subject, body, None, [email]


def invitation_answered(*, token: str) -> bool:
    """Whether this personal link has been used: only its holder (who has the token) can ask."""
    return Receipt.objects.filter(key=anonymity.invitation_receipt(token)).exists()
