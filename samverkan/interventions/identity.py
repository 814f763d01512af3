"""Personal identity numbers: checked, then kept only as a keyed hash. The number itself is never stored or logged.

A personal identity number (personnummer or samordningsnummer) may be entered only to
find the same person twice (duplicates in an import, a participant registered again).
It is validated with the `personnummer` package (date and checksum), brought to one form
(twelve digits), and replaced by HMAC-SHA256 under a key that lives outside the database:
`SAMVERKAN_PERSONNUMMER_KEY`, else derived from Django's SECRET_KEY (as the anonymity key
is). Somebody with the database or a backup alone cannot test a guessed number.

Rotation: every hash is stored with the id of the key that made it (`key_id`, derived
from the key, so nothing else needs configuring). Put the old key in
`SAMVERKAN_PERSONNUMMER_OLD_KEYS` (comma separated) and the new one in
`SAMVERKAN_PERSONNUMMER_KEY`: `candidate_hashes` then finds a person under either key,
and whoever matches a number re-hashes the record under the current key
(`services.participant_identity_upgrade`). Once no stored hash carries an old key id
(`manage.py` shell: count by `identity_key_id`), drop the old key.

Errors never carry the number (`InvalidIdentityNumber` is raised `from None`, so not
even the library's message, which quotes its input, stays in the traceback).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from personnummer import personnummer as _pnr

PURPOSE = b"samverkan-personnummer-v1"


class InvalidIdentityNumber(ValueError):
    """The entered number is not a valid personnummer or samordningsnummer. The message never quotes it."""

    def __init__(self) -> None:
        super().__init__(str(_("Personnumret är inte giltigt (datum eller kontrollsiffra stämmer inte).")))


@dataclass(frozen=True)
class IdentityHash:
    key_id: str  # 8 hex digits naming the key that made the digest
    digest: str  # 64 hex digits


def normalise(number: str) -> str:
    """Twelve digits (YYYYMMDDNNNN) of a valid number; raises InvalidIdentityNumber otherwise."""
    text = str(number or "").strip()
    try:
        if not text or not _pnr.valid(text):
            raise InvalidIdentityNumber
        return str(_pnr.parse(text).format(True))
    except (_pnr.PersonnummerException, ValueError, TypeError):
        raise InvalidIdentityNumber from None


def is_valid(number: str) -> bool:
    try:
        normalise(number)
    except InvalidIdentityNumber:
        return False
    return True


@functools.cache
def _derived_key(material: str) -> bytes:
    return hmac.new(material.encode(), PURPOSE, hashlib.sha256).digest()


def _key_id(key: bytes) -> str:
    return hmac.new(key, b"key-id", hashlib.sha256).hexdigest()[:8]


def current_key_material() -> str:
    return str(getattr(settings, "SAMVERKAN_PERSONNUMMER_KEY", "") or "personnummer:" + settings.SECRET_KEY)


def old_key_materials() -> list[str]:
    value = getattr(settings, "SAMVERKAN_PERSONNUMMER_OLD_KEYS", ()) or ()
    if isinstance(value, str):
        value = value.split(",")
    return [m.strip() for m in value if m and m.strip()]


def _hash_with(material: str, twelve_digits: str) -> IdentityHash:
    key = _derived_key(material)
    return IdentityHash(_key_id(key), hmac.new(key, twelve_digits.encode(), hashlib.sha256).hexdigest())


def identity_hash(number: str) -> IdentityHash:
    """The keyed hash of a valid number under the current key (raises InvalidIdentityNumber)."""
    return _hash_with(current_key_material(), normalise(number))


def candidate_hashes(number: str) -> list[IdentityHash]:
    """The number's hash under the current key, then under each old key: what a stored record may carry."""
    twelve = normalise(number)
    return [_hash_with(m, twelve) for m in [current_key_material(), *old_key_materials()]]


def current_key_id() -> str:
    return _key_id(_derived_key(current_key_material()))
