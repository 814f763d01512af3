"""Recovery codes and TOTP secrets as people read and type them (pure: no Django).

A recovery code is 12 characters of Crockford's base32 (0-9 and A-Z without I, L, O and U): 60 random bits,
shown as three groups of four (``7KQ2-M9XD-4HTR``). Typing is forgiving: case, spaces and dashes do not
matter, and O is read as 0, I and L as 1. Only a salted SHA-256 digest of a code is stored; a code is random
with 60 bits, so the digest cannot be reversed by trying likely codes, and a per-device salt means one
guess can never be checked against every user's codes at once.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
CODE_LENGTH = 12
GROUP = 4
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6

_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_recovery_code() -> str:
    """A fresh code, normalised (no dashes): ``format_code`` shows it in groups."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_recovery_code())
    return sorted(codes)


def normalise_code(typed: str) -> str:
    """What someone typed, as the code it means: upper case, no spaces or dashes, O→0, I and L→1."""
    return "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)


def looks_like_totp(typed: str) -> bool:
    """Six digits (spaces allowed): a code from the authenticator app rather than a recovery code."""
    compact = "".join(typed.split())
    return len(compact) == TOTP_DIGITS and compact.isascii() and compact.isdigit()


def looks_like_recovery_code(normalised: str) -> bool:
    return len(normalised) == CODE_LENGTH and all(c in ALPHABET for c in normalised)


def format_code(code: str, group: int = GROUP) -> str:
    """``7KQ2M9XD4HTR`` → ``7KQ2-M9XD-4HTR``."""
    return "-".join(code[i : i + group] for i in range(0, len(code), group))


def group_secret(secret: str, group: int = GROUP) -> str:
    """A base32 TOTP secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + group] for i in range(0, len(secret), group))


def new_salt() -> str:
    return secrets.token_hex(16)


def code_digest(salt: str, normalised: str) -> str:
    """The stored form of a recovery code: SHA-256 of the device's salt and the normalised code, in hex."""
    return hashlib.sha256(f"{salt}:{normalised}".encode()).hexdigest()
