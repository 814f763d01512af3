"""The capability registry: each capability app declares itself here, once, from its own `AppConfig.ready()`.

The core (common, accounts, tenancy and the project's urls.py and api.py) imports
no capability app. It asks this registry instead:

- the navigation and the start page's "Vad ni kan göra" list every capability in
  `order`: the installed ones, and the planned ones the core declares (a planned
  capability has no `url_name` and leads to a short "kommer" page; an app that
  registers the same key replaces it);
- the start page adds each installed capability's key figures and panel;
- samverkan/urls.py includes each capability's `urls` module at the site root;
- samverkan/api.py adds each capability's router under `api_prefix`;
- `manage.py load_demo` loads the tenants, then each capability's demo after
  the demos it depends on.

So adding a capability is adding its app to INSTALLED_APPS and registering a
`Capability` in its `ready()` (see samverkan/measure/capability.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.http import HttpRequest
    from ninja import Router


@dataclass(frozen=True)
class KeyFigure:
    """One number on the association's start page: a label, the value and a short note under it."""

    label: str | Promise
    value: int | str
    note: str | Promise = ""


@dataclass(frozen=True)
class DemoLoader:
    """A capability's demo data. `load(associations=..., stdout=...)` must be idempotent.

    `after` names the capabilities (by key) whose demo must be loaded first; the
    tenants (associations, agencies, users) are always loaded before any of them.
    """

    load: Callable[..., None]
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Capability:
    key: str  # in URLs (/<slug>/kommer/<key>/) and as the navigation's `nav` marker
    label: str | Promise
    summary: str | Promise
    order: int = 100  # place in the navigation and on the start page
    app: str = ""  # the app that registered it ("samverkan.measure"); empty for a planned capability
    url_name: str | None = None  # its first page, reversed with the association's slug; None: not built yet
    urls: str | None = None  # dotted path of its urls module, included at the site root
    start_panel: Callable[[HttpRequest, Any], str] | None = None  # (request, association) -> HTML or ""
    key_figures: Callable[[Any], Sequence[KeyFigure]] | None = None  # (association) -> figures
    demo: DemoLoader | None = None
    api_router: Callable[[], Router] | None = None  # called once, when the API is built
    api_prefix: str = ""  # "/measure"; defaults to "/<key>"
    annual_report_part: Callable[..., Any] | None = None  # placeholder: its part of the annual report (issue 9)

    @property
    def ready(self) -> bool:
        return self.url_name is not None


_installed: dict[str, Capability] = {}
_planned: dict[str, Capability] = {}


def register(capability: Capability) -> None:
    """Called from a capability app's `AppConfig.ready()`. Two apps may not claim the same key."""
    existing = _installed.get(capability.key)
    if existing is not None and existing.app != capability.app:
        raise ImproperlyConfigured(
            f"Capability {capability.key!r} is registered by both {existing.app!r} and {capability.app!r}."
        )
    _installed[capability.key] = capability


def unregister(key: str) -> None:
    """Removes an installed capability (for tests that register a throwaway one)."""
    _installed.pop(key, None)


def declare_planned(capabilities: Iterable[Capability]) -> None:
    """The core's planned capabilities, shown as "kommer" until an app registers the same key."""
    for capability in capabilities:
        _planned[capability.key] = capability


def _check_ready() -> None:
    # Asked before every app's ready() has run, the answer would silently miss capabilities (a URLconf or an API
    # without Mät): refuse instead.
    if not apps.ready:
        raise AppRegistryNotReady("The capabilities are known once every app's ready() has run.")


def installed_capabilities() -> list[Capability]:
    """The capabilities an installed app registered, in order."""
    _check_ready()
    return sorted(_installed.values(), key=lambda c: (c.order, c.key))


def all_capabilities() -> list[Capability]:
    """Installed and planned capabilities, in order; an installed one replaces the planned one of its key."""
    _check_ready()
    merged = {**_planned, **_installed}
    return sorted(merged.values(), key=lambda c: (c.order, c.key))


def capability_by_key(key: str) -> Capability | None:
    return _installed.get(key) or _planned.get(key)


def demo_order(capabilities: Sequence[Capability] | None = None) -> list[Capability]:
    """The capabilities with a demo, each after the ones its demo depends on (stable by `order` otherwise)."""
    with_demo = [c for c in (installed_capabilities() if capabilities is None else capabilities) if c.demo]
    by_key = {c.key: c for c in with_demo}
    done: list[Capability] = []
    visiting: set[str] = set()

    def visit(capability: Capability) -> None:
        if any(c.key == capability.key for c in done):
            return
        if capability.key in visiting:
            raise ImproperlyConfigured(f"The demo of {capability.key!r} depends on itself through {sorted(visiting)}.")
        visiting.add(capability.key)
        assert capability.demo is not None
        for needed in capability.demo.after:
            if needed not in by_key:
                raise ImproperlyConfigured(
                    f"The demo of {capability.key!r} needs the demo of {needed!r}, which is not installed."
                )
            visit(by_key[needed])
        visiting.discard(capability.key)
        done.append(capability)

    for capability in sorted(with_demo, key=lambda c: (c.order, c.key)):
        visit(capability)
    return done
