"""Browser journeys: Playwright for Python driving Debian's chromium against pytest-django's live server.

- never a browser download: `/usr/bin/chromium` (Debian's package, installed by `make test`), headless;
- no pytest-playwright plugin: the sync API is started here, once per test module;
- static files: pytest-django's live server wraps the site in Django's StaticFilesHandler, which serves
  /static/ from the finders whatever DEBUG is, so no collectstatic and no WhiteNoise settings are needed
  (the foundation journey checks that the stylesheet really loads);
- every console message of type "error" and every uncaught page error (a Content-Security-Policy
  violation, a failed script) fails the test that caused it; a test that means to show an error
  status (a 404 page) says so with `console_errors.allow("status of 404")`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

# Playwright's sync API runs an asyncio loop in the main thread; Django would then refuse the ORM calls the
# tests (and transactional_db's flush) make from that same thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per test module; its event loop ends with the module."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium: `make test` installs it (apt-get).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI containers run as root, where chromium's sandbox cannot start.
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield instance
        instance.close()


class ConsoleErrors:
    """What the browser reported as an error while a test ran: console errors and uncaught exceptions."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.allowed: list[str] = []

    def watch(self, context: Any) -> None:
        context.on("console", self._console)
        context.on("weberror", lambda error: self.messages.append(f"page error: {error.error}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            self.messages.append(f"console error: {message.text} ({location.get('url', '?')})")

    def allow(self, text: str) -> None:
        """Expect errors containing `text` (e.g. the browser's note on a page answered 404)."""
        self.allowed.append(text)

    def unexpected(self) -> list[str]:
        return [m for m in self.messages if not any(text in m for text in self.allowed)]


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test that passed fails after all if the browser reported an unexpected error meanwhile."""
    outcome = yield
    errors = getattr(item, "funcargs", {}).get("console_errors")
    if errors is not None and outcome.excinfo is None and errors.unexpected():
        outcome.force_exception(AssertionError("The browser reported errors:\n" + "\n".join(errors.unexpected())))


@pytest.fixture
def page(browser: Any, console_errors: ConsoleErrors) -> Iterator[Any]:
    """A desktop browser window."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    console_errors.watch(context)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser: Any, console_errors: ConsoleErrors) -> Iterator[Any]:
    """A phone: 390×844, touch, mobile viewport; a separate context, so no cookies shared with `page`."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="sv-SE",
    )
    context.set_default_timeout(TIMEOUT_MS)
    console_errors.watch(context)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_violations(page: Any) -> list[str]:
    """axe-core's violations of impact "serious" or "critical" on the page as it is now, one readable line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes']][:5]}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def log_in(page: Any, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    # The header's language form has a submit button too: press the login form's own button.
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Logga in").click()
