"""Writes for tenancy: tokens and memberships."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .models import ApiToken, Association, Membership, hash_token


@transaction.atomic
def api_token_create(*, association: Association, name: str, created_by: Any | None = None) -> tuple[ApiToken, str]:
    """Make a token and return it with its plain text, which is never stored."""
    plain = ApiToken.generate()
    token = ApiToken.objects.create(
        association=association,
        name=name,
        token_hash=hash_token(plain),
        prefix=plain[3:9],
        created_by=created_by,
    )
    return token, plain


def api_token_revoke(*, association: Association, token_id: int) -> bool:
    deleted, _ = ApiToken.objects.for_association(association).filter(pk=token_id).delete()
    return bool(deleted)


def membership_set(*, user: Any, association: Association, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(user=user, association=association, defaults={"role": role})
    return membership
