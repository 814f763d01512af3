"""Accounts: people who log in with e-mail and password, and their recovery codes for the second factor.

We keep the least needed about a user: an e-mail address to log in with and a
display name. No personal identity number, no birth date.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from . import codes


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("E-mail is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        # E-mail addresses are matched case-insensitively: people type them either way.
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-post"), unique=True)
    name = models.CharField(_("namn"), max_length=150, blank=True)
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(_("personal på plattformen"), default=False)
    date_joined = models.DateTimeField(_("skapad"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self) -> str:
        # The e-mail identifies a person wherever one is picked (admin pickers, lists): names repeat.
        return f"{self.email} ({self.name})" if self.name else self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's recovery codes (*reservkoder*) as a django-otp device: each code works once.

    django-otp's own static tokens (otp_static) are stored in clear; these are stored as salted SHA-256
    digests (samverkan/accounts/codes.py), so a copy of the database gives no code that works. Wrong codes
    are throttled like the TOTP device's: each failure doubles the wait before the next try.
    """

    salt = models.CharField(max_length=32, default=codes.new_salt)

    class Meta:
        verbose_name = _("reservkoder")
        verbose_name_plural = _("reservkoder")

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_RECOVERY_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed or not isinstance(token, str):
            return False
        normalised = codes.normalise_code(token)
        matched = 0
        if codes.looks_like_recovery_code(normalised):
            matched, _per_model = self.codes.filter(digest=codes.code_digest(self.salt, normalised)).delete()
        if matched:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
            return True
        self.throttle_increment()
        return False


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("reservkod")
        verbose_name_plural = _("reservkoder")
