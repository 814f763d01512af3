"""A checked participant file kept between the preview and its confirmation, encrypted, for an hour at most.

The preview page's confirm form carries `<id>.<key>`: the key exists nowhere else, so what the database holds
is unreadable without the form. Confirming, cancelling or an hour passing deletes the file; so the identity
numbers a file may hold live on the server only while the person is looking at the preview.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone
from django_scopes import scopes_disabled

from samverkan.tenancy.models import Association

from .models import PendingParticipantFile

LIFETIME = datetime.timedelta(hours=1)
_ASSOCIATED = b"samverkan-participant-file-v1"


def pending_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete every waiting file older than LIFETIME, in every association (they are all expired data)."""
    now = now or timezone.now()
    with scopes_disabled():  # platform-wide on purpose: an expired file of any association is deleted
        deleted, _kinds = PendingParticipantFile.objects.filter(created__lt=now - LIFETIME).delete()
    return deleted


def pending_store(*, association: Association, user: Any, data: bytes, purpose: str) -> str:
    """Keep `data` encrypted; return the reference for the confirm form ("<id>.<key>")."""
    pending_prune()
    key = AESGCM.generate_key(bit_length=256)
    nonce = secrets.token_bytes(12)
    sealed = nonce + AESGCM(key).encrypt(nonce, data, _ASSOCIATED)
    pending = PendingParticipantFile.objects.create(association=association, user=user, purpose=purpose, data=sealed)
    return f"{pending.pk}.{base64.urlsafe_b64encode(key).decode().rstrip('=')}"


def pending_take(
    *, association: Association, user: Any, reference: str, now: datetime.datetime | None = None
) -> tuple[bytes, str] | None:
    """The file and the consent purpose, deleted from the server as they are read; None when gone or foreign."""
    now = now or timezone.now()
    number, _dot, encoded = reference.partition(".")
    if not number.isdigit() or not encoded:
        return None
    pending = PendingParticipantFile.objects.filter(
        pk=int(number), association=association, user=user, created__gte=now - LIFETIME
    ).first()
    if pending is None:
        return None
    sealed = bytes(pending.data)
    purpose = pending.purpose
    pending.delete()
    try:
        key = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], _ASSOCIATED), purpose
    except (InvalidTag, ValueError, binascii.Error):
        return None


def pending_discard(*, association: Association, user: Any, reference: str) -> None:
    number = reference.partition(".")[0]
    if number.isdigit():
        PendingParticipantFile.objects.filter(pk=int(number), association=association, user=user).delete()
