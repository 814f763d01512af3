"""Background jobs of Measure, on Django's tasks framework (settings: TASKS_BACKEND).

Mail goes out here, not in the request: hundreds of addresses no longer mean a request of minutes,
and an SMTP failure is recorded per address and retried instead of leaving addresses marked as sent
that never got mail. A task's stored arguments are invitation ids and the page address without any
secret: the personal link is derived from the invitation's nonce only when the mail is built.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from samverkan.jobs.services import JobRun, job_task

from . import anonymity
from .models import Campaign, Invitation, MailStatus

MAIL_BATCH = 50  # addresses per task: one SMTP connection each
MAIL_ATTEMPTS = 3  # then the address is marked failed and shown to the admin
RETRY_AFTER = timedelta(minutes=2)


@task()
def invitation_mail_send(invitation_ids: list[int], answer_base_url: str, reminder: bool) -> dict[str, int]:
    """Send (or remind) these invitations; returns counts. Failed addresses are retried in a new task."""
    # The job knows ids only: which association they belong to is found first (the one read without a
    # scope), then the job runs in that association's scope alone.
    with scopes_disabled():
        association_ids = set(
            Invitation.objects.filter(pk__in=invitation_ids).values_list("campaign__association_id", flat=True)
        )
    if len(association_ids) != 1:
        return {"sent": 0, "retrying": 0}
    with scope(association=association_ids.pop()):
        return _send(invitation_ids, answer_base_url, reminder)


def _send(invitation_ids: list[int], answer_base_url: str, reminder: bool) -> dict[str, int]:
    from .invitations import invitation_message

    invitations = list(
        Invitation.objects.select_related("campaign__association").filter(
            pk__in=invitation_ids, mail_status=MailStatus.QUEUED
        )
    )
    sent, retry = 0, []
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
        opened = None
    except Exception as error:  # the mail server is down: every address gets a failed attempt
        opened = error
    try:
        for invitation in invitations:
            token = anonymity.invitation_token(invitation.nonce)
            subject, body, _from, recipients = invitation_message(
                invitation.campaign, invitation.email, f"{answer_base_url}#{token}", token, reminder=reminder
            )
            invitation.mail_attempts += 1
            try:
                if opened is not None:
                    raise opened
                EmailMessage(subject, body, to=recipients, connection=connection).send()
            except Exception as error:  # any SMTP or socket failure is recorded per address
                # Only the kind of failure is kept (e.g. "ConnectionRefusedError"), never the server's text.
                invitation.mail_error = type(error).__name__[:200]
                done = invitation.mail_attempts >= MAIL_ATTEMPTS
                invitation.mail_status = MailStatus.FAILED if done else MailStatus.QUEUED
                if not done:
                    retry.append(invitation.pk)
            else:
                invitation.mail_status = MailStatus.SENT
                invitation.mail_error = ""
                sent += 1
            invitation.save(update_fields=["mail_attempts", "mail_error", "mail_status"])
    finally:
        connection.close()
    if retry:
        later = invitation_mail_send
        if later.get_backend().supports_defer:
            later = later.using(run_after=timezone.now() + RETRY_AFTER)
        later.enqueue(retry, answer_base_url, reminder)
    return {"sent": sent, "retrying": len(retry)}


@job_task()
def invitations_prepare(run: JobRun, campaign_id: int) -> None:
    """The stored list of a round becomes invitations and queued mail (invitations.invitations_start).

    Every address gets Django's full check first; one bad address fails the job with its name and writes
    nothing. The list is emptied from the job when it ends (JobRun), done or failed.
    """
    from .invitations import invitations_create

    campaign = Campaign.objects.select_related("association").get(pk=campaign_id)
    emails: list[str] = list(run.payload.get("emails", []))
    total = len(emails)
    run.progress(0, total, _("Kontrollerar adresserna…"))
    bad = []
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            bad.append(email)
    if bad:
        run.fail(
            _("Ogiltiga adresser: %(list)s. Inga inbjudningar skickades.")
            % {"list": ", ".join(b[:60] for b in bad[:5]) + (" …" if len(bad) > 5 else "")}
        )
    if campaign.status == "closed":
        run.fail(_("Mätomgången är stängd; inga inbjudningar skickades."))

    def progress(done: int) -> None:
        run.progress(
            done, total, _("Skapar personliga länkar: %(done)s av %(total)s.") % {"done": done, "total": total}
        )

    queued, skipped = invitations_create(
        campaign=campaign,
        emails=emails,
        respondent_group=run.payload["respondent_group"],
        answer_base_url=run.payload["answer_base_url"],
        progress=progress,
    )
    run.finish(
        message=_("%(sent)s inbjudningar skapade och köade för utskick; %(skipped)s adresser var redan inbjudna.")
        % {"sent": queued, "skipped": skipped}
    )


# --- exports and the PDF report as long jobs (export_views.export_start) ----------------------------------


@job_task()
def export_build(run: JobRun, campaign_id: int, kind: str, fmt: str) -> None:
    """One export (or, kind "rapport", the PDF report) as a file: exactly the bytes the download gives."""
    from .export_views import CONTENT_TYPES, export_bytes, filename_for

    campaign = Campaign.objects.select_related("association", "instrument").get(pk=campaign_id)
    run.progress(1, 3, _("Läser resultaten…"))
    from .results import campaign_results

    results = campaign_results(campaign=campaign)
    run.progress(2, 3, _("Skriver filen…"))
    data = export_bytes(results, kind, fmt)
    run.finish(
        data,
        filename=filename_for(campaign, kind, fmt),
        content_type=CONTENT_TYPES[fmt],
        message=_("Filen är klar."),
    )


@job_task()
def results_rebuild(run: JobRun, campaign_id: int) -> None:
    """Publish what may be published and rebuild the campaign's result snapshot (results_views)."""
    from .publishing import responses_publish
    from .snapshot import snapshot_refresh

    campaign = Campaign.objects.select_related("association").get(pk=campaign_id)
    run.progress(1, 3, _("Publicerar väntande svar…"))
    responses_publish(campaign=campaign, everything=campaign.status == "closed")
    run.progress(2, 3, _("Räknar om resultaten…"))
    snapshot = snapshot_refresh(campaign=campaign)
    run.finish(message=_("Resultaten är uppdaterade (%(count)s svar).") % {"count": snapshot.answers_version})
