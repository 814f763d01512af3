"""Writes of the network survey: rounds, the representatives' invitations and their answers.

A network round is a Measure campaign (so dates, closing, reopening and `previous` work as there) with
an instrument of kind "network" that Measure's own pages leave alone. Exactly-once answering reuses
Measure's receipts: a keyed hash of the form's one-time key and one of the personal link's secret,
written in the transaction that stores the answers, so a double click is thanked and a second use of
the link is refused. One agency answers once per round (`one_answer_per_pair`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.common.errors import ServiceError
from samverkan.measure import anonymity
from samverkan.measure.campaigns import campaign_close, campaign_create, campaign_reopen
from samverkan.measure.models import (
    AnonymityMode,
    Campaign,
    Instrument,
    InstrumentKind,
    Invitation,
    MailStatus,
    Receipt,
    ReceiptKind,
    RespondentGroup,
)
from samverkan.measure.submissions import AlreadySubmitted, CampaignClosed, InvitationUsed, SubmissionError
from samverkan.tenancy.models import Agency, Association

from .answer_form import AnswerRow, parse_answers
from .models import NetworkAnswer, NetworkInvitation, NetworkRound

NETWORK_INSTRUMENT = "Samverkanskarta"
# The representatives answer as managers in collaboration (chefer i samverkan); the group is only a label here.
REPRESENTATIVES = RespondentGroup.MANAGERS

__all__ = [
    "AgencyAlreadyAnswered",
    "AlreadySubmitted",
    "CampaignClosed",
    "InvalidNetworkAnswers",
    "InvitationUsed",
    "SubmissionError",
    "network_answers_submit",
    "network_instrument",
    "network_invitations_create",
    "network_invitations_remind",
    "network_round_close",
    "network_round_create",
    "network_round_reopen",
]


class AgencyAlreadyAnswered(SubmissionError):
    pass


class InvalidNetworkAnswers(SubmissionError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Några svar behöver rättas."))
        self.errors = errors


def network_instrument() -> Instrument:
    """The one shared instrument of every network round (no items: the questions are the member agencies)."""
    instrument, _created = Instrument.objects.get_or_create(
        association=None,
        name=NETWORK_INSTRUMENT,
        version=1,
        defaults={"kind": InstrumentKind.NETWORK, "frozen": True},
    )
    return instrument


@transaction.atomic
def network_round_create(
    *,
    association: Association,
    name: str,
    opens_on: date,
    closes_on: date,
    previous: NetworkRound | None = None,
) -> NetworkRound:
    """A new network round (Measure's campaign_create rules: name, dates); ServiceError per field."""
    if previous is not None and previous.association_id != association.pk:
        raise ValueError("previous round belongs to another association")
    if Campaign.objects.filter(association=association, name=name.strip()).exists():
        raise ServiceError({"name": _("Det finns redan en omgång med det namnet.")})
    campaign = campaign_create(
        association=association,
        name=name,
        instrument=network_instrument(),
        respondent_groups=[REPRESENTATIVES],
        opens_on=opens_on,
        closes_on=closes_on,
        previous=previous.campaign if previous is not None else None,
    )
    # Said plainly in the data too: these answers are shown per agency, they are not anonymous.
    Campaign.objects.filter(pk=campaign.pk).update(anonymity_mode=AnonymityMode.ORGANISATIONS)
    campaign.anonymity_mode = AnonymityMode.ORGANISATIONS
    return NetworkRound.objects.create(association=association, campaign=campaign)


def network_round_close(*, network_round: NetworkRound, today: date | None = None) -> NetworkRound:
    campaign_close(campaign=network_round.campaign, today=today)
    return network_round


def network_round_reopen(*, network_round: NetworkRound, closes_on: date, today: date | None = None) -> NetworkRound:
    campaign_reopen(campaign=network_round.campaign, closes_on=closes_on, today=today)
    network_round.campaign.refresh_from_db()
    return network_round


@dataclass(frozen=True)
class InvitationOutcome:
    invited: int
    skipped: int  # agencies that already had an invitation in this round
    failed: int  # mail that did not reach the mail server


def _member_agencies(association: Association) -> dict[int, Agency]:
    return {agency.pk: agency for agency in association.agencies.all()}


def network_invitations_create(
    *,
    network_round: NetworkRound,
    emails: Mapping[int, str],
    answer_url: Callable[[str], str],
) -> InvitationOutcome:
    """Invite one representative per agency (agency id → address); ServiceError per agency field.

    Each gets a personal link (`answer_url(token)`, the token after "#") that answers for that agency,
    once. An agency already invited in this round keeps its invitation. The mail is sent once the
    invitations are written; a failure is recorded on the invitation (Measure's mail status), never the
    server's text.
    """
    campaign = network_round.campaign
    if campaign.status == "closed":
        raise ServiceError(_("Omgången är stängd; inga inbjudningar skickades."))
    agencies = _member_agencies(network_round.association)
    cleaned: dict[int, str] = {}
    errors: dict[str, str] = {}
    for agency_id, raw in emails.items():
        email = raw.strip().lower()
        if not email:
            continue
        if agency_id not in agencies:
            errors[f"email-{agency_id}"] = _("Okänd myndighet.")
            continue
        try:
            validate_email(email)
        except Exception:  # Django's ValidationError: the address is not one
            errors[f"email-{agency_id}"] = _("Skriv en giltig e-postadress, till exempel namn@kommun.se.")
            continue
        if email in cleaned.values():
            errors[f"email-{agency_id}"] = _("Samma adress kan bara företräda en myndighet i en omgång.")
            continue
        cleaned[agency_id] = email
    if errors:
        raise ServiceError(errors)
    if not cleaned:
        raise ServiceError(_("Skriv minst en e-postadress."))
    invited_already = set(NetworkInvitation.objects.filter(round=network_round).values_list("agency_id", flat=True))
    taken = set(Invitation.objects.filter(campaign=campaign).values_list("email", flat=True))
    today = timezone.localdate()
    created: list[tuple[Invitation, str]] = []
    skipped = 0
    with transaction.atomic():
        for agency_id, email in cleaned.items():
            if agency_id in invited_already:
                skipped += 1
                continue
            if email in taken:
                raise ServiceError(
                    {f"email-{agency_id}": _("Adressen är redan inbjuden för en annan myndighet i omgången.")}
                )
            nonce = secrets.token_hex(16)
            token = anonymity.invitation_token(nonce)
            invitation = Invitation.objects.create(
                campaign=campaign,
                respondent_group=REPRESENTATIVES,
                email=email,
                nonce=nonce,
                lookup=anonymity.invitation_lookup(token),
                sent_on=today,
                mail_status=MailStatus.QUEUED,
            )
            NetworkInvitation.objects.create(round=network_round, agency=agencies[agency_id], invitation=invitation)
            created.append((invitation, token))
    failed = 0
    for invitation, token in created:
        if not _invitation_mail_send(
            network_round, agencies_by_invitation(invitation), invitation, answer_url(token), token
        ):
            failed += 1
    return InvitationOutcome(invited=len(created), skipped=skipped, failed=failed)


def network_invitations_remind(*, network_round: NetworkRound, answer_url: Callable[[str], str]) -> int:
    """Remind the representatives of the agencies that have not answered, with the same personal link.

    Unlike Mät's anonymous rounds this round knows which agencies have answered (the respondents were told
    so), so only the others are reminded. Returns how many reminders went to the mail server.
    """
    if network_round.campaign.status == "closed":
        raise ServiceError(_("Omgången är stängd; inga påminnelser skickades."))
    answered = set(NetworkAnswer.objects.filter(round=network_round).values_list("source_id", flat=True))
    entries = (
        NetworkInvitation.objects.filter(round=network_round)
        .exclude(agency_id__in=answered)
        .select_related("agency", "invitation")
    )
    sent = 0
    today = timezone.localdate()
    for entry in entries:
        token = anonymity.invitation_token(entry.invitation.nonce)
        if _invitation_mail_send(
            network_round, entry.agency, entry.invitation, answer_url(token), token, reminder=True
        ):
            sent += 1
    Invitation.objects.filter(pk__in=[e.invitation_id for e in entries]).update(reminded_on=today)
    return sent


def agencies_by_invitation(invitation: Invitation) -> Agency:
    return NetworkInvitation.objects.select_related("agency").get(invitation=invitation).agency


def _invitation_mail_send(
    network_round: NetworkRound, agency: Agency, invitation: Invitation, url: str, token: str, *, reminder: bool = False
) -> bool:
    campaign = network_round.campaign
    values = {
        "association": network_round.association.name,
        "agency": agency.name,
        "url": url,
        "code": token,
        "closes": campaign.closes_on.isoformat(),
    }
    subject = (
        _("Påminnelse: samverkanskarta, %(association)s") if reminder else _("Samverkanskarta: %(association)s")
    ) % values
    intro = (
        _("Påminnelse: %(agency)s har inte svarat i samverkanskartan än, och omgången stänger snart.\n\n") % values
        if reminder
        else ""
    )
    body = intro + (
        _(
            "Hej!\n\n%(association)s kartlägger hur myndigheterna i förbundet samverkar med varandra. "
            "Du är inbjuden att svara för %(agency)s: om kontakt, samverkansnivå, tillit och bidrag för var och "
            "en av de andra myndigheterna. Det tar omkring tio minuter.\n\n"
            "Svaren gäller organisationer och är inte anonyma: de visas per myndighet för förbundet.\n\n"
            "Svara här (länken är personlig och kan användas en gång):\n%(url)s\n\n"
            "Om länken inte öppnas, gå till adressen utan det som står efter # och ange koden: %(code)s\n\n"
            "Omgången stänger %(closes)s.\n"
        )
        % values
    )
    invitation.mail_attempts += 1
    try:
        EmailMessage(subject, body, to=[invitation.email]).send()
    except Exception as error:  # any SMTP or socket failure is recorded per address
        invitation.mail_status = MailStatus.FAILED
        invitation.mail_error = type(error).__name__[:200]
        ok = False
    else:
        invitation.mail_status = MailStatus.SENT
        invitation.mail_error = ""
        ok = True
    invitation.save(update_fields=["mail_attempts", "mail_error", "mail_status"])
    return ok


def network_answers_submit(
    *,
    network_round: NetworkRound,
    agency: Agency,
    raw_answers: Mapping[str, Any],
    submission_key: str,
    invitation_token: str | None = None,
    today: date | None = None,
) -> list[NetworkAnswer]:
    """Store what `agency` says about every other member agency, once.

    Refused: a closed round (CampaignClosed), invalid answers (InvalidNetworkAnswers, with an error per
    field), the same form again (AlreadySubmitted: the respondent is thanked), the personal link used
    before (InvitationUsed) and an agency that has already answered this round (AgencyAlreadyAnswered).
    """
    today = today or timezone.localdate()
    campaign = network_round.campaign
    if not campaign.is_open(today):
        raise CampaignClosed(_("Omgången är stängd och tar inte emot fler svar."))
    members = _member_agencies(network_round.association)
    if agency.pk not in members:
        raise SubmissionError(_("Okänd myndighet."))
    targets = [a for pk, a in sorted(members.items(), key=lambda kv: (kv[1].kind, kv[1].name)) if pk != agency.pk]
    rows, errors = parse_answers([t.pk for t in targets], raw_answers)
    if errors:
        raise InvalidNetworkAnswers(errors)
    form_receipt = anonymity.form_receipt(submission_key)
    invitation_receipt = anonymity.invitation_receipt(invitation_token) if invitation_token else None
    try:
        with transaction.atomic():
            Receipt.objects.create(
                key=form_receipt, campaign=campaign, kind=ReceiptKind.FORM, respondent_group=REPRESENTATIVES
            )
            if invitation_receipt is not None:
                Receipt.objects.create(
                    key=invitation_receipt,
                    campaign=campaign,
                    kind=ReceiptKind.INVITATION,
                    respondent_group=REPRESENTATIVES,
                )
            answers = NetworkAnswer.objects.bulk_create(_answer(network_round, agency, row, today) for row in rows)
    except IntegrityError:
        if Receipt.objects.filter(key=form_receipt).exists():
            raise AlreadySubmitted(_("Ditt svar är redan inskickat. Tack!")) from None
        if invitation_receipt and Receipt.objects.filter(key=invitation_receipt).exists():
            raise InvitationUsed(_("Den här länken har redan använts för att svara.")) from None
        if NetworkAnswer.objects.filter(round=network_round, source=agency).exists():
            raise AgencyAlreadyAnswered(
                _("%(agency)s har redan svarat i den här omgången. Kontakta förbundet om svaret behöver ändras.")
                % {"agency": agency.name}
            ) from None
        raise
    return answers


def _answer(network_round: NetworkRound, agency: Agency, row: AnswerRow, today: date) -> NetworkAnswer:
    return NetworkAnswer(
        round=network_round,
        source=agency,
        target_id=row.target,
        frequency=row.frequency,
        depth=row.depth,
        trust_reliability=row.trust_reliability,
        trust_mission=row.trust_mission,
        trust_openness=row.trust_openness,
        value=row.value,
        knows_whom_to_call=row.knows_whom_to_call,
        submitted_on=today,
    )
