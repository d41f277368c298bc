"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Every page a test opens is watched: a request to any host other than the live server is
aborted and recorded, and so are the Content-Security-Policy violations the browser reports
and any dialog a script opens. ``PortalTab.problems()`` lists those, plus axe-core's WCAG 2.1
A/AA violations, for the page on screen; ``PortalTab.assert_clean()`` asserts there are none.
"""

import json
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection, connections
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a-long-test-passphrase"  # the one tests.factories.UserFactory sets


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"No chromium at {CHROMIUM}: run `make browser` to install it.")
    # Playwright's synchronous API runs an event loop in this thread; the Django ORM, called
    # by the tests and fixtures around it, refuses to run beside one unless told it may.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    # With a loop running, Django keeps this thread's connections apart from those opened
    # before: the new ones need the data the test database held after its migrations
    # (serialized_rollback restores it after every transactional test).
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class PortalTab:
    """A browser tab on the live server that records what the portal must never do."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.own_origin = urlsplit(base_url).netloc
        self.foreign_requests: list[str] = []
        self.csp_violations: list[str] = []
        self.dialogs: list[str] = []
        page.route("**/*", self._route)
        page.on("console", self._console)
        page.on("dialog", self._dialog)

    def _route(self, route):
        url = route.request.url
        if urlsplit(url).netloc == self.own_origin:
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def axe_violations(self) -> list[dict]:
        """axe-core's WCAG 2.1 A and AA violations on the current page."""
        # Injected by evaluation, not by a <script> tag, which the CSP would refuse.
        self.page.evaluate(AXE_SOURCE)
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        return result["violations"]

    def problems(self) -> list[str]:
        """What went wrong since the last call: requests to another host, CSP violations,
        dialogs opened by a script, and axe-core's violations on the page on screen."""
        found = [f"request to another host: {url}" for url in self.foreign_requests]
        found += [f"Content-Security-Policy: {text}" for text in self.csp_violations]
        found += [f"a script opened a dialog: {text}" for text in self.dialogs]
        found += describe_violations(self.axe_violations())
        self.foreign_requests.clear()
        self.csp_violations.clear()
        self.dialogs.clear()
        return found

    def assert_clean(self):
        problems = self.problems()
        assert problems == [], f"{self.page.url}:\n" + "\n".join(problems)


def describe_violations(violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        targets = ", ".join(
            f"{json.dumps(node['target'])} {node['html'][:160]}" for node in violation["nodes"][:5]
        )
        lines.append(
            f"axe {violation['id']} ({violation['impact']}): {violation['help']} – {targets}"
        )
    return lines


@pytest.fixture
def open_tab(browser, live_server):
    """``open_tab(locale)``: a new tab in a fresh browser profile speaking ``locale``."""
    contexts = []

    def open_tab(locale: str = "fr-FR") -> PortalTab:
        context = browser.new_context(locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return PortalTab(page, live_server.url)

    yield open_tab
    for context in contexts:
        context.close()
    wait_until_the_database_is_idle()


def wait_until_the_database_is_idle(timeout: float = 10):
    """Wait for the requests the browser left in flight: their transactions would hold
    locks that the flush after the test needs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state <> 'idle'"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)


@pytest.fixture
def portal(open_tab) -> PortalTab:
    """A tab of a French-speaking visitor."""
    return open_tab("fr-FR")


def sign_in(tab: PortalTab, username: str, password: str = PASSWORD):
    """Sign in through the admin's login form, as a person would."""
    tab.goto("/admin/login/")
    tab.page.fill("input[name=username]", username)
    tab.page.fill("input[name=password]", password)
    with tab.page.expect_navigation():
        tab.page.click("input[type=submit], button[type=submit]")
