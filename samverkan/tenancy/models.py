"""The tenant (Association), the agencies that are its members, and who may do what.

Every association is a tenant: nobody sees another association's data. Every model that
holds an association's data has a django-scopes `ScopedManager` on the `association`
dimension (children through their parent, e.g. `campaign__association`): outside an
active `scope(association=...)` any query on it raises `ScopeError`, so a query that
forgets its tenant fails closed instead of reading every tenant. The boundaries that
activate the scope: `association_view` (tenancy/scoping.py), the API's token auth, the
management commands and the background tasks. Deliberate cross-tenant reads are marked
`scopes_disabled()` with a comment saying why. `for_association` still works on top.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class AgencyKind(models.TextChoices):
    FK = "fk", _("Försäkringskassan")
    AF = "af", _("Arbetsförmedlingen")
    REGION = "region", _("Region")
    MUNICIPALITY = "municipality", _("Kommun")
    OTHER = "other", _("Annan")


class Agency(models.Model):
    """A member agency (medlem/huvudman/myndighet); may be a member of several associations."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=AgencyKind.choices)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("myndighet")
        verbose_name_plural = _("myndigheter")

    def __str__(self) -> str:
        return self.name


class Association(models.Model):
    """A samordningsförbund: the tenant."""

    name = models.CharField(_("namn"), max_length=200)
    slug = models.SlugField(_("kortnamn"), unique=True)
    county = models.CharField(_("län"), max_length=100)
    agencies = models.ManyToManyField(Agency, related_name="associations", blank=True, verbose_name=_("medlemmar"))
    min_group_size = models.PositiveSmallIntegerField(
        _("minsta gruppstorlek"),
        default=5,
        validators=[MinValueValidator(3)],
        help_text=_("Grupper med färre svar visas aldrig. Aldrig under 3."),
    )
    benchmark_opt_in = models.BooleanField(_("delar aggregat för jämförelse"), default=False)
    benchmark_named = models.BooleanField(_("visas med namn i jämförelsen"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    ANALYST = "analyst", _("Analytiker")
    MEMBER = "member", _("Medlem")


# A role includes everything the roles below it may do.
ROLE_RANK = {Role.MEMBER: 1, Role.ANALYST: 2, Role.ADMIN: 3}


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "association"], name="one_membership_per_association")]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} · {self.association} · {self.get_role_display()}"

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class TenantQuerySet(models.QuerySet[Any]):
    def for_association(self, association: Association) -> TenantQuerySet:
        return self.filter(association=association)


TenantManager = models.Manager.from_queryset(TenantQuerySet)


class TenantModel(models.Model):
    """Base for every model that belongs to one association."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")

    objects = ScopedManager(association="association", _manager_class=TenantManager)

    class Meta:
        abstract = True


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(TenantModel):
    """A bearer token for the HTTP API, scoped to exactly one association.

    Only a hash is stored; the token itself is shown once when it is made.
    """

    name = models.CharField(_("namn"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "sv_" + secrets.token_urlsafe(32)


class MembershipInvitation(TenantModel):
    """An invitation by e-mail to become a member of an association with a role.

    Like `ApiToken`, only a hash of the link's secret is stored; the secret is in the e-mail alone,
    so a resend makes a new secret and the old link stops working. The link works once
    (`accepted_at`) and until `expires_at`.
    """

    email = models.EmailField(_("e-post"))
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("skickad"))
    expires_at = models.DateTimeField(_("gäller till"))
    accepted_at = models.DateTimeField(_("antagen"), null=True, blank=True)

    class Meta:
        constraints = [
            # One open invitation per address and association: inviting again renews it.
            models.UniqueConstraint(
                fields=["association", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")

    def __str__(self) -> str:
        return f"{self.email} · {self.association} · {self.get_role_display()}"

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)
