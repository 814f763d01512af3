"""What the login lockout (django-axes) counts: which user, from which address.

- The user: the e-mail as login matches it, lower-case and without surrounding
  spaces (`UserManager.get_by_natural_key` matches in any case), so "Admin@X.se"
  and "admin@x.se" are one user with one count of failures.
- The address: the connecting address (REMOTE_ADDR), unless the site runs behind
  proxies (SAMVERKAN_PROXY_COUNT > 0, DJANGO_PROXY_COUNT; 1 with
  DJANGO_BEHIND_PROXY). Then it is the entry of X-Forwarded-For written by the
  outermost of our own proxies: each proxy appends the address it received the
  request from, so with N proxies the client is the N-th entry from the right.
  Entries further left were written by the client and are never trusted.

Both are called by axes (AXES_USERNAME_CALLABLE, AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def lockout_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        username = credentials.get(field)
    else:
        username = getattr(request, "POST", {}).get(field) if request is not None else None
    if not isinstance(username, str):
        return None
    return username.strip().lower()


def client_ip_address(request: HttpRequest) -> str | None:
    connecting = request.META.get("REMOTE_ADDR")
    proxies = int(getattr(settings, "SAMVERKAN_PROXY_COUNT", 0))
    if proxies <= 0:
        return connecting
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # Not through all our proxies (or a proxy that does not set the header): the connecting address.
        return connecting
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return connecting
