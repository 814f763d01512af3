"""Helpers for tests that need a user with a second factor (also for capabilities' tests).

from samverkan.accounts.tests.second_factor_helpers import enrolled, verified_client

device, recovery_codes = enrolled(user)     # a confirmed app and ten recovery codes (in clear)
client = verified_client(user)              # logged in and past the code page
"""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samverkan.accounts import otp


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods of 30 s later), as the app computes it."""
    generator = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the device will accept now: today's, with the replay guard (last_t) cleared first."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return totp_code(device)


def enrolled(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = otp.enrolment_start(user)
    device.confirmed = True
    device.save()
    return device, otp.recovery_codes_replace(user)


def verified_client(user: Any, device: TOTPDevice | None = None) -> Client:
    """A client logged in as `user` whose session passed the second factor (enrolling the user if needed)."""
    device = device or otp.confirmed_totp(user) or enrolled(user)[0]
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:second_factor_verify"), {"code": fresh_code(device)})
    assert response.status_code == 302, response.status_code
    return client
