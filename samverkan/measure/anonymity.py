"""Keyed hashes and sealed payloads: what lets a response be stored without naming anybody.

The key lives outside the database (SAMVERKAN_ANONYMITY_KEY, else derived from
Django's SECRET_KEY), so someone holding only the database or a backup can
neither recompute a receipt from an invitation nor read an answer that is
still waiting to be published. Every use has its own purpose string, so a
value made for one use (the invitation lookup) can never be compared with one
made for another (the invitation's receipt).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


@functools.cache
def _key(material: str) -> bytes:
    # HKDF would do as well; one HMAC step with a fixed label is enough to separate this key from Django's uses.
    return hmac.new(material.encode(), b"samverkan-anonymity-v1", hashlib.sha256).digest()


def _material() -> str:
    from django.conf import settings

    return str(getattr(settings, "SAMVERKAN_ANONYMITY_KEY", "") or settings.SECRET_KEY)


def keyed_hash(purpose: str, *parts: str) -> str:
    """HMAC-SHA256 of the parts under the anonymity key; hex, 64 characters."""
    message = "\x1f".join([purpose, *parts]).encode()
    return hmac.new(_key(_material()), message, hashlib.sha256).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(24)


def invitation_token(nonce: str) -> str:
    """The personal link's secret, re-derivable from the invitation's nonce for the reminder.

    Only the server with the key can derive it; the database holds the nonce and a lookup hash.
    """
    return base64.urlsafe_b64encode(bytes.fromhex(keyed_hash("invitation-token", nonce))[:24]).decode().rstrip("=")


def invitation_lookup(token: str) -> str:
    return keyed_hash("invitation-lookup", token)


def invitation_receipt(token: str) -> str:
    return keyed_hash("invitation-receipt", token)


def form_receipt(submission_key: str) -> str:
    return keyed_hash("form-receipt", submission_key)


def draft_key(*parts: str) -> str:
    return keyed_hash("draft", *parts)


def seal(value: Any) -> str:
    """JSON, encrypted and authenticated (AES-GCM) under the anonymity key; base64 text."""
    nonce = secrets.token_bytes(12)
    data = AESGCM(_key(_material())).encrypt(nonce, json.dumps(value, separators=(",", ":")).encode(), b"v1")
    return base64.b64encode(nonce + data).decode()


def unseal(text: str) -> Any:
    raw = base64.b64decode(text)
    return json.loads(AESGCM(_key(_material())).decrypt(raw[:12], raw[12:], b"v1"))
