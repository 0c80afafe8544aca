"""End-to-end fixtures: the app served over real HTTP and a real headless Chromium.

One browser per session; every test gets its own server, SQLite file and browser context.
Every context refuses and records requests that leave the test server; a test fails if there
were any. `site` holds the reference case (plots 269 and 270) and no accounts; `demo_site` is `flask seed-demo`
(the member 269, `board@example.ru` and `treasurer@example.ru`, see snt/demo.py).

A board test fits as: on `browse_demo`, one person registers plot 250 with an address the registry
does not know and enters `250,251` (`Person.register`, `open_emailed_link`, `enter_plots`: the claims
wait for the board); a second person from `browse_demo.person(DESKTOP)` logs in with
`board@example.ru` / `DEMO_PASSWORDS["board@example.ru"]`, approves, publishes an announcement; the
first one reloads and sees the plot's figures and the announcement.
"""

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from snt.demo import DEMO_PASSWORDS, seed_demo
from snt.extensions import db
from tests.e2e.people import Person
from tests.helpers import add_reference_case, make_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BOARD_EMAIL = "pravlenie@snt.test"
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class LiveSite:
    """The app on a real HTTP server at 127.0.0.1:<free port>, CSRF on, mail through `mailbox`."""

    def __init__(self, folder: Path, smtp_port: int, mailbox):
        self.app = make_app(folder, smtp_port)
        self.app.config["WTF_CSRF_ENABLED"] = True  # the browser posts real forms
        self.app.config["BOARD_EMAIL"] = BOARD_EMAIL  # the contact form's messages go here
        self.mailbox = mailbox
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.app.config["SITE_URL"] = self.url  # so the emailed links lead back here
        # A short poll interval: shutdown() waits for one, after every test.
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def seed(self, fill) -> "LiveSite":
        with self.app.app_context():
            fill()
            db.session.commit()
        return self

    def start(self) -> "LiveSite":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()

    def is_own(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("data", "about") or f"{parts.scheme}://{parts.netloc}" == self.url


@pytest.fixture
def site(tmp_path, smtp_server, mailbox):
    live = LiveSite(tmp_path, smtp_server[0].port, mailbox).seed(add_reference_case).start()
    yield live
    live.stop()


@pytest.fixture
def demo_site(tmp_path, smtp_server, mailbox):
    live = LiveSite(tmp_path, smtp_server[0].port, mailbox).seed(seed_demo).start()
    yield live
    live.stop()


class Contexts:
    """Opens browser contexts for one site; each refuses and records requests to other hosts."""

    def __init__(self, browser, site: LiveSite):
        self.browser = browser
        self.site = site
        self.opened = []
        self.foreign_requests: list[str] = []

    def new(self, size: dict, **options):
        context = self.browser.new_context(base_url=self.site.url, locale="ru-RU", **size, **options)
        context.set_default_timeout(10_000)
        context.route("**/*", self._guard)
        self.opened.append(context)
        return context

    def person(self, size: dict = PHONE, **options) -> Person:
        touch = bool({**size, **options}.get("has_touch"))
        return Person(self.new(size, **options).new_page(), self.site, touch=touch)

    def _guard(self, route) -> None:
        if self.site.is_own(route.request.url):
            route.continue_()
        else:
            self.foreign_requests.append(route.request.url)
            route.abort()

    def close(self) -> None:
        for context in self.opened:
            context.close()


def demo_member(browse_demo: Contexts, size: dict = PHONE, **options) -> Person:
    """Орлова, the demo member with plots 269 and 270 (the reference case), logged in by the form."""
    orlova = browse_demo.person(size, **options)
    orlova.open("/auth/login", "Вход в личный кабинет")
    return orlova.log_in_here("269", DEMO_PASSWORDS["269"], "269")


def _contexts(browser, live):
    contexts = Contexts(browser, live)
    yield contexts
    contexts.close()
    assert contexts.foreign_requests == [], "requests left the server"


@pytest.fixture
def browse(browser, site):
    """`browse.person(PHONE)` → a Person on a fresh phone-sized context of `site`."""
    yield from _contexts(browser, site)


@pytest.fixture
def browse_demo(browser, demo_site):
    yield from _contexts(browser, demo_site)
