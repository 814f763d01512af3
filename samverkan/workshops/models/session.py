"""Workshop models: the live session (a workshop, its prompts, the answers sent from phones).

Anonymity by structure, as in Mät: an answer keeps its date only, never a time, and no IP;
the participant is a keyed hash of a random token that lives in a cookie on the phone
(samverkan/workshops/participants.py), made per workshop so two workshops' answers of one
phone cannot be linked in the database; answer keys are random UUIDs and the default order
is by that key, so neither the key nor the order says who answered when.

Hidden answers are kept (never deleted) and everything that shows, exports or groups answers
goes through `Answer.objects.visible()`.

Transport counters (README, "Workshop: transport"): `Workshop.version` grows on every change
the big screen shows (an answer sent, edited, withdrawn or hidden, a prompt's state, the step);
`Workshop.room_version` only on what the phones follow (the step, a prompt's state). Both are
raised with an UPDATE ... SET v = v + 1, so several app processes never lose a bump.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from samverkan.tenancy.models import Agency, TenantManager, TenantModel

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_PROMPT",
    "STEP_ORDER",
    "Answer",
    "AnswerQuerySet",
    "Prompt",
    "PromptKind",
    "PromptState",
    "Step",
    "Workshop",
    "new_join_code",
]

DEFAULT_PROMPT = "Integrerad samverkan – vad är det, och är det användbart?"
# Six characters a room can read aloud and type on a phone: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Step(models.TextChoices):
    ANSWERING = "answering", _("Svar")
    THEMES = "themes", _("Teman")
    VOTING = "voting", _("Röstning")
    RESULT = "result", _("Resultat")


STEP_ORDER = [Step.ANSWERING, Step.THEMES, Step.VOTING, Step.RESULT]


class Workshop(TenantModel):
    """One workshop of an association: a room that joins by code and moves through the steps."""

    name = models.CharField(_("namn"), max_length=200)
    date = models.DateField(_("datum"), default=timezone.localdate)
    # Unique among open workshops only: a closed workshop gives its code back.
    code = models.CharField(_("kod"), max_length=CODE_LENGTH, default=new_join_code)
    is_open = models.BooleanField(_("öppen"), default=True)
    step = models.CharField(_("steg"), max_length=20, choices=Step.choices, default=Step.ANSWERING)
    ask_agency = models.BooleanField(
        _("fråga efter myndighet"),
        default=False,
        help_text=_("Av som standard: med få deltagare per myndighet kan myndigheten peka ut en person."),
    )
    # The prompt on the big screen (the last one opened); None: the first prompt in order.
    screen_prompt = models.ForeignKey(
        "Prompt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("på skärmen")
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    room_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateField(auto_now_add=True)

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshoppar")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(is_open=True), name="workshop_code_unique_when_open"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PromptKind(models.TextChoices):
    OPEN = "open", _("Öppen fråga")
    RATING = "rating", _("Skattning 1–5")


class PromptState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    OPEN = "open", _("Öppen")
    PAUSED = "paused", _("Pausad")
    CLOSED = "closed", _("Stängd")


class Prompt(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="prompts")
    text = models.TextField(_("fråga"), default=DEFAULT_PROMPT)
    kind = models.CharField(_("typ"), max_length=10, choices=PromptKind.choices, default=PromptKind.OPEN)
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    state = models.CharField(_("läge"), max_length=10, choices=PromptState.choices, default=PromptState.DRAFT)
    # Raised on every change of this prompt's answers (per-prompt "since" queries).
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(association="workshop__association")

    class Meta:
        ordering = ["workshop", "order", "pk"]
        verbose_name = _("fråga")
        verbose_name_plural = _("frågor")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def accepts_answers(self) -> bool:
        """Open: phones may send, edit and withdraw. Paused: they wait. Closed: nothing changes any more."""
        return self.state == PromptState.OPEN

    @property
    def is_rating(self) -> bool:
        return self.kind == PromptKind.RATING


class AnswerQuerySet(models.QuerySet["Answer"]):
    def visible(self) -> AnswerQuerySet:
        """The answers that may be shown, exported or grouped: everything but the hidden ones. Use it always."""
        return self.filter(hidden=False)


_AnswerBaseManager = models.Manager.from_queryset(AnswerQuerySet)


class Answer(models.Model):
    """One answer from one phone. No time, no IP, no name; the participant is a keyed hash."""

    # Random keys: neither the key nor the default order (by key) tells the order of arrival.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("svar"), blank=True, max_length=1000)
    rating = models.PositiveSmallIntegerField(_("skattning"), null=True, blank=True)
    # keyed_hash("workshop-participant", workshop id, phone token); never the token itself.
    participant = models.CharField(max_length=64, db_index=True, editable=False)
    hidden = models.BooleanField(_("dold"), default=False)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("myndighet")
    )
    created_on = models.DateField(default=timezone.localdate, editable=False)

    objects = ScopedManager(association="prompt__workshop__association", _manager_class=_AnswerBaseManager)

    class Meta:
        ordering = ["id"]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="workshop_answer_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60] if self.text else str(self.rating)
