"""Workshop models: themes of a prompt's answers, the workshop's codebook, and the room's votes on themes.

- `Grouping`: one per open prompt; the state and progress (0–100) of the background grouping
  (samverkan/workshops/theme_tasks.py), the seed and k it ran with, and the voting rules.
- `Theme`: a theme of a prompt (label, short definition, order); `ThemeAnswer` puts an answer in
  exactly one theme (one row per answer: the answer is the primary key). Only visible answers are
  ever grouped; hiding an answer afterwards removes it from its theme.
- `Codebook`: the workshop's edited themes as `[{"label", "definition", "answers": [examples]}]`,
  the format of `manage.py group_themes --codebook` (export and import on the themes page).
- `ThemeVote`: a phone's vote on a theme, keyed like answers (participants.py): dots given (dot-voting,
  the default: `dots` per phone to spread over the themes) or a rating 1–5. No time, no IP.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

__all__ = [
    "Codebook",
    "Grouping",
    "GroupingState",
    "Theme",
    "ThemeAnswer",
    "ThemeVote",
    "VoteMode",
]


class GroupingState(models.TextChoices):
    NONE = "none", _("Inte grupperad")
    QUEUED = "queued", _("Väntar")
    RUNNING = "running", _("Grupperar")
    DONE = "done", _("Klar")
    FAILED = "failed", _("Misslyckades")


class VoteMode(models.TextChoices):
    DOTS = "dots", _("Prickar att fördela")
    SCALE = "scale", _("Skattning 1–5 per tema")


class Grouping(models.Model):
    prompt = models.OneToOneField("workshops.Prompt", on_delete=models.CASCADE, related_name="grouping")
    state = models.CharField(_("läge"), max_length=10, choices=GroupingState.choices, default=GroupingState.NONE)
    progress = models.PositiveSmallIntegerField(_("förlopp (%)"), default=0)
    error = models.CharField(_("fel"), max_length=300, blank=True)
    seed = models.PositiveIntegerField(_("slumpfrö"), default=0)
    k = models.PositiveSmallIntegerField(_("antal teman"), null=True, blank=True)
    use_codebook = models.BooleanField(_("använd kodboken"), default=True)
    # Raised on every start, so a late worker of an earlier run never overwrites a newer one.
    run = models.PositiveIntegerField(default=0, editable=False)
    vote_mode = models.CharField(_("röstning"), max_length=10, choices=VoteMode.choices, default=VoteMode.DOTS)
    dots = models.PositiveSmallIntegerField(_("prickar per telefon"), default=3)

    objects = ScopedManager(association="prompt__workshop__association")

    class Meta:
        verbose_name = _("gruppering")
        verbose_name_plural = _("grupperingar")

    def __str__(self) -> str:
        return f"{self.prompt_id}: {self.state}"


class Theme(models.Model):
    prompt = models.ForeignKey("workshops.Prompt", on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("namn"), max_length=120)
    definition = models.CharField(_("definition"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=1)
    from_codebook = models.BooleanField(_("från kodboken"), default=False)

    objects = ScopedManager(association="prompt__workshop__association")

    class Meta:
        ordering = ["prompt", "order", "pk"]
        verbose_name = _("tema")
        verbose_name_plural = _("teman")

    def __str__(self) -> str:
        return self.label


class ThemeAnswer(models.Model):
    """An answer's theme: one row per answer, so an answer is in exactly one theme."""

    answer = models.OneToOneField(
        "workshops.Answer", on_delete=models.CASCADE, primary_key=True, related_name="theme_link"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")

    objects = ScopedManager(association="theme__prompt__workshop__association")

    class Meta:
        verbose_name = _("svarets tema")
        verbose_name_plural = _("svarens teman")

    def __str__(self) -> str:
        return f"{self.answer_id} → {self.theme_id}"


class Codebook(models.Model):
    workshop = models.OneToOneField("workshops.Workshop", on_delete=models.CASCADE, related_name="codebook")
    entries = models.JSONField(_("teman"), default=list)
    updated_on = models.DateField(_("sparad"), auto_now=True)

    objects = ScopedManager(association="workshop__association")

    class Meta:
        verbose_name = _("kodbok")
        verbose_name_plural = _("kodböcker")

    def __str__(self) -> str:
        return f"{self.workshop_id}: {len(self.entries)}"


class ThemeVote(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="votes")
    # keyed_hash("workshop-participant", workshop id, phone token), as on answers; never the token.
    participant = models.CharField(max_length=64, db_index=True, editable=False)
    value = models.PositiveSmallIntegerField(_("prickar eller skattning"))

    objects = ScopedManager(association="theme__prompt__workshop__association")

    class Meta:
        ordering = ["theme", "participant"]
        verbose_name = _("röst")
        verbose_name_plural = _("röster")
        constraints = [
            models.UniqueConstraint(fields=["theme", "participant"], name="workshop_theme_vote_once"),
            models.CheckConstraint(condition=models.Q(value__gte=1), name="workshop_theme_vote_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.theme_id}: {self.value}"
