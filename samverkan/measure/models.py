"""Instruments, campaigns, invitations and responses.

Anonymity by structure (PRODUCT.md, design decisions): invitations and
responses live in separate tables with no key between them; a response keeps
its date only, never a time; response keys are random UUIDs so their order
says nothing about who answered when. Answers are rows (long format) with
integer codes.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import Agency, Association, TenantModel, TenantQuerySet

DONT_KNOW = 9  # "vet ej": kept as its own code, declared missing in SPSS; never a zero.
SCALE_VALUES = (1, 2, 3, 4, 5)


class Level(models.TextChoices):
    PERSONAL = "personal", _("Jag (personligen)")
    TEAM = "team", _("Arbetslaget")
    ORGANISATION = "organisation", _("Organisationen")
    SOCIETY = "society", _("Samhället")


class Hallmark(models.TextChoices):
    STRATEGY = "strategy", _("Uttalad samordningsstrategi")
    INDIVIDUAL_NEEDS = "individual_needs", _("Individens behov som organiserande princip")
    DEEPENED = "deepened", _("Fördjupad samverkan")


class RespondentGroup(models.TextChoices):
    BOARD = "board", _("Styrelseledamot")
    MANAGERS = "managers", _("Chef i samverkan")
    STAFF = "staff", _("Insatspersonal")
    REFERRERS = "referrers", _("Remittent / handläggare")
    PARTICIPANTS = "participants", _("Deltagare")
    OTHER = "other", _("Annan")


class InstrumentKind(models.TextChoices):
    STAFF = "staff", _("Personal och ledning")
    PARTICIPANT = "participant", _("Deltagare")
    # The collaboration map's network rounds (samverkan/network): a campaign that only lends its links,
    # invitations and receipts; its answers are about organisations and live in the network app.
    NETWORK = "network", _("Samverkanskarta")


class ItemKind(models.TextChoices):
    RING = "ring", _("Ringplacering")
    LIKERT = "likert", _("Instämmande 1–5")
    CHOICE = "choice", _("Enkelval")
    TEXT = "text", _("Fritext")


class InstrumentQuerySet(models.QuerySet["Instrument"]):
    def available_to(self, association: Association) -> InstrumentQuerySet:
        """The shared core instruments and the association's own (not the network rounds' instrument)."""
        return self.filter(models.Q(association__isnull=True) | models.Q(association=association)).exclude(
            kind=InstrumentKind.NETWORK
        )


class Instrument(models.Model):
    """A versioned questionnaire. A version used by a campaign is frozen."""

    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    kind = models.CharField(_("typ"), max_length=20, choices=InstrumentKind.choices, default=InstrumentKind.STAFF)
    intro = models.TextField(_("inledning"), blank=True)
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    frozen = models.BooleanField(_("låst"), default=False)
    created = models.DateField(auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["association", "name", "version"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_core(self) -> bool:
        return self.association_id is None


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40, help_text="Variable name in exports (SPSS-safe).")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    section = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    level = models.CharField(max_length=20, choices=Level.choices, blank=True)
    is_target = models.BooleanField(default=False, help_text="Ring item asking where we should be in two years.")
    hallmark = models.CharField(max_length=20, choices=Hallmark.choices, blank=True)
    # The three ring descriptions for a ring item; the options of a choice item.
    options = models.JSONField(default=list, blank=True)
    # Set on items whose wording is locked for comparison across associations; never on local items.
    benchmark_key = models.CharField(max_length=60, blank=True)
    is_local = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument", "position"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="item_code_unique"),
            models.UniqueConstraint(fields=["instrument", "position"], name="item_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:50]}"


class AnonymityMode(models.TextChoices):
    ANONYMOUS = "anonymous", _("Anonym: inget kopplar svar till person, inbjudan eller tidpunkt")
    # Network rounds only: the answers are about organisations and are shown per agency to the association.
    ORGANISATIONS = "organisations", _("Per organisation: svaren visas per myndighet för förbundet")


class CampaignQuerySet(TenantQuerySet):
    def for_association(self, association: Association) -> CampaignQuerySet:
        """The association's measurement rounds; a network round's campaign belongs to the network app."""
        return self.filter(association=association).exclude(instrument__kind=InstrumentKind.NETWORK)


CampaignManager = models.Manager.from_queryset(CampaignQuerySet)


class Campaign(TenantModel):
    """One run (mätomgång) of an instrument; `previous` links rounds of a series."""

    name = models.CharField(_("namn"), max_length=200)
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("enkät")
    )
    respondent_groups = models.JSONField(_("respondentgrupper"), default=list)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"))
    anonymity_mode = models.CharField(
        _("anonymitet"), max_length=20, choices=AnonymityMode.choices, default=AnonymityMode.ANONYMOUS
    )
    min_group_size = models.PositiveSmallIntegerField(_("minsta gruppstorlek"), default=5)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        verbose_name=_("föregående mätomgång"),
    )
    closed_on = models.DateField(null=True, blank=True)
    created = models.DateField(auto_now_add=True)
    # A reminder to every invitee planned for this day (`manage.py send_due_reminders` sends it once).
    remind_on = models.DateField(_("automatisk påminnelse"), null=True, blank=True)
    auto_reminded_on = models.DateField(null=True, blank=True)

    objects = ScopedManager(association="association", _manager_class=CampaignManager)

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="campaign_name_unique")]

    def __str__(self) -> str:
        return self.name

    def is_open(self, today: Any = None) -> bool:
        today = today or timezone.localdate()
        return self.closed_on is None and self.opens_on <= today <= self.closes_on

    @property
    def status(self) -> str:
        today = timezone.localdate()
        if self.closed_on is not None or today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "scheduled"
        return "open"


class CampaignLink(models.Model):
    """An open anonymous link for one respondent group."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="links")
    respondent_group = models.CharField(max_length=20, choices=RespondentGroup.choices)
    token = models.CharField(max_length=40, unique=True)

    objects = ScopedManager(association="campaign__association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "respondent_group"], name="one_link_per_group")]


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("I kö")
    SENT = "sent", _("Skickat")
    FAILED = "failed", _("Misslyckades")


class Invitation(models.Model):
    """A personal link. Nothing about answering is ever written here.

    The link's secret is derived from `nonce` with the anonymity key (kept outside the database), so a
    reminder can send the same link again; the database holds only a keyed hash to find the invitation
    by. Whether someone answered is known only to the holder of the link (anonymity.invitation_receipt).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    respondent_group = models.CharField(max_length=20, choices=RespondentGroup.choices)
    email = models.EmailField()
    nonce = models.CharField(max_length=32)
    lookup = models.CharField(max_length=64, unique=True)
    sent_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    # The e-mail's delivery to the mail server (sent from a background task, with retries): about
    # sending, never about answering.
    mail_status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    mail_attempts = models.PositiveSmallIntegerField(default=0)
    mail_error = models.CharField(max_length=200, blank=True)

    objects = ScopedManager(association="campaign__association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="one_invitation_per_email")]


class Response(models.Model):
    """One submitted questionnaire. Random key, date only, no invitation, no address."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    respondent_group = models.CharField(max_length=20, choices=RespondentGroup.choices)
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    submitted_on = models.DateField()
    paper = models.BooleanField(default=False)

    objects = ScopedManager(association="campaign__association")

    class Meta:
        indexes = [models.Index(fields=["campaign", "respondent_group"])]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    objects = ScopedManager(association="response__campaign__association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="one_answer_per_item")]


class HallmarkScore(models.Model):
    """A respondent's hallmark index (0–100), computed once when the response is stored.

    `complete_total` is the sum of the items when every item was answered: the
    input Cronbach's alpha needs, so alpha can come from SQL sums too.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="hallmark_scores")
    hallmark = models.CharField(max_length=20, choices=Hallmark.choices)
    index = models.FloatField(null=True)
    complete_total = models.SmallIntegerField(null=True)

    objects = ScopedManager(association="response__campaign__association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "hallmark"], name="one_score_per_hallmark")]


class ReceiptKind(models.TextChoices):
    FORM = "form", "form"
    INVITATION = "invitation", "invitation"


class Receipt(models.Model):
    """Makes a submission happen exactly once, without saying whose it was.

    `key` is a keyed hash only the holder of the form's one-time key (kind "form") or of the personal
    link (kind "invitation") can derive; the primary key is that hash, so receipts have no order.
    Written in the statement that stores the (pending) response; a replay hits the primary key.
    """

    key = models.CharField(max_length=64, primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=ReceiptKind.choices)
    # Kept for the response rate per group of personal invitations: a count, never who.
    respondent_group = models.CharField(max_length=20, choices=RespondentGroup.choices)

    objects = ScopedManager(association="campaign__association")


class PendingResponse(models.Model):
    """A submitted questionnaire waiting to be published, sealed under the anonymity key.

    Published (turned into Response, Answer and HallmarkScore rows, in random order, in one transaction
    with others) once its group has gathered at least the minimum group size, or when the campaign
    closes: open results then only change in steps that hide one person, and the stored rows carry no
    trace of who answered when.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    respondent_group = models.CharField(max_length=20, choices=RespondentGroup.choices)
    sealed = models.TextField()

    objects = ScopedManager(association="campaign__association")

    class Meta:
        indexes = [models.Index(fields=["campaign", "respondent_group"])]


class Draft(models.Model):
    """Answers saved as you go, sealed, keyed by a keyed hash of the link and a random device cookie
    (or of the personal link's secret): nothing that names a person.

    Once the form is sent the row becomes a tombstone (`submitted`, no data) in the same statement, so a
    late autosave can never bring the answers back, and a device that reopens the link is told that it
    has already answered. Removed when the campaign closes.
    """

    key = models.CharField(max_length=64, primary_key=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    sealed = models.TextField(blank=True)
    submitted = models.BooleanField(default=False)
    updated_on = models.DateField()

    objects = ScopedManager(association="campaign__association")


class ResultSnapshot(models.Model):
    """Per-group counts and sums for one campaign, from SQL GROUP BY.

    Pages, exports, API and PDF read this (through `results.campaign_results`),
    so a results page costs the same at 1,000 and 100,000 responses.
    """

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="snapshot")
    # How many published responses the snapshot includes; stale when more exist.
    answers_version = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="campaign__association")
