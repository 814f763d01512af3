"""A user's second factor: a TOTP app (django-otp's TOTPDevice) and ten recovery codes (RecoveryCodeDevice).

Reads and writes for the enrolment pages and the login step; the policy (who must have one, where) is in
second_factor.py. Nothing here logs a code or a secret.
"""

from __future__ import annotations

import enum
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import codes
from .models import RecoveryCode, RecoveryCodeDevice

TOTP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Reservkoder"


def confirmed_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user: Any) -> bool:
    """Whether the user has a confirmed authenticator app (recovery codes alone are no second factor)."""
    return (
        bool(getattr(user, "is_authenticated", False)) and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


def pending_totp(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def enrolment_start(user: Any) -> TOTPDevice:
    """A new, unconfirmed TOTP device with a fresh secret; an earlier unconfirmed one is dropped."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The device's secret in base32, as authenticator apps take it."""
    return b32encode(device.bin_key).decode("ascii")


def config_url(device: TOTPDevice) -> str:
    return str(device.config_url)


def recovery_codes_replace(user: Any) -> list[str]:
    """Ten new recovery codes, in the clear for showing once; the old ones stop working."""
    plain = codes.new_recovery_codes()
    with transaction.atomic():
        device, _created = RecoveryCodeDevice.objects.get_or_create(
            user=user, defaults={"name": RECOVERY_NAME, "confirmed": True}
        )
        device.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, digest=codes.code_digest(device.salt, code)) for code in plain
        )
    return [codes.format_code(code) for code in plain]


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(device__user=user).count()


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    THROTTLED = "throttled"
    NO_DEVICE = "no_device"
    MALFORMED = "malformed"  # neither six digits nor a recovery code's shape: a typo, not counted as a try


@dataclass(frozen=True)
class Check:
    outcome: Outcome
    device: Any = None
    wait_until: datetime | None = None  # when the next try is allowed (after a wrong code or while throttled)
    used_recovery_code: bool = False


def _throttle_end(device: Any) -> datetime | None:
    allowed, info = device.verify_is_allowed()
    return None if allowed else (info or {}).get("locked_until")


def code_check(user: Any, typed: str, *, device: TOTPDevice | None = None) -> Check:
    """Check a code from the app (six digits) or a recovery code, against the user's own devices.

    Each device is throttled by django-otp: after a wrong code the next try waits 1, 2, 4 … seconds, and a
    try during the wait is refused without being checked, however right it is. The device row is locked
    while checking, so two requests cannot both use one code.
    """
    if not codes.looks_like_totp(typed) and not codes.looks_like_recovery_code(codes.normalise_code(typed)):
        return Check(Outcome.MALFORMED)
    with transaction.atomic():
        if codes.looks_like_totp(typed):
            query = TOTPDevice.objects.filter(user=user)
            query = query.filter(pk=device.pk) if device is not None else query.filter(confirmed=True)
            found: Any = query.select_for_update().order_by("pk").first()
            token = "".join(typed.split())
            recovery = False
        else:
            found = RecoveryCodeDevice.objects.filter(user=user).select_for_update().first()
            token = typed
            recovery = True
            if device is not None:  # confirming an app takes a code from that app only
                found = None
        if found is None:
            return Check(Outcome.NO_DEVICE if device is None and not has_second_factor(user) else Outcome.WRONG)
        wait = _throttle_end(found)
        if wait is not None:
            return Check(Outcome.THROTTLED, device=found, wait_until=wait)
        if found.verify_token(token):
            return Check(Outcome.OK, device=found, used_recovery_code=recovery)
        return Check(Outcome.WRONG, device=found, wait_until=_throttle_end(found))


def enrolment_confirm(user: Any, device: TOTPDevice, typed: str) -> tuple[Check, list[str]]:
    """Confirm a pending app with its first code; then ten recovery codes (shown once)."""
    check = code_check(user, typed, device=device)
    if check.outcome is not Outcome.OK:
        return check, []
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        # One app per user: an older confirmed one (there should be none) goes.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        plain = recovery_codes_replace(user)
    device.refresh_from_db()
    return Check(Outcome.OK, device=device), plain


def second_factor_remove(user: Any) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCodeDevice.objects.filter(user=user).delete()


def mark_verified(request: HttpRequest, device: Any) -> None:
    """This session passed the second factor: a new session key (the session gained a privilege), then
    django-otp's mark, which `request.user.is_verified()` reads."""
    request.session.cycle_key()
    otp_login(request, device)
