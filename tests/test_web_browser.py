"""The explorer in a real browser: uvicorn on loopback, Debian's Chromium driven by Playwright.

Skips (with the reason) when Chromium or Playwright is missing. Playwright never downloads a
browser here: it launches ``$DOTTEREL_CHROMIUM`` (default /usr/bin/chromium). Screenshots go to
``$DOTTEREL_ARTIFACTS`` (default: a pytest temporary directory).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_web_support import fill_store

from dotterel.store import Store
from dotterel.web import create_app

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("DOTTEREL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
WRITE_TOKEN = "browser-test-token-0123456789"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = fill_store(Store(tmp_path_factory.mktemp("browser") / "browser.db"))
    with serve(create_app(store, write_token=WRITE_TOKEN)) as url:  # the Coder loads lazily, on the first write
        yield url
    store.close()


@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """Run ``app`` on a free loopback port in a thread for the duration of the block; yields its URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name="dotterel-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM!r}: install it (apt-get install chromium) or set DOTTEREL_CHROMIUM")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright (Python) is not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Tab:
    """A page plus what it did: dialogs opened, requests that left the test server, console errors."""

    def __init__(self, browser, base_url: str, artifacts: Path | None = None, width: int = 1366,
                 height: int = 900) -> None:
        self.base = base_url
        self.artifacts = artifacts or Path(os.environ.get("DOTTEREL_ARTIFACTS", "test-artifacts"))
        self.width = width
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.external: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.context.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url.startswith("data:"):
            route.continue_()
        else:
            self.external.append(url)
            route.abort()

    def goto(self, path: str):
        return self.page.goto(self.base + path)

    def shot(self, name: str) -> Path:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"web-{name}-{self.width}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: ``$DOTTEREL_ARTIFACTS``, else a pytest temporary directory."""
    given = os.environ.get("DOTTEREL_ARTIFACTS")
    return Path(given) if given else tmp_path_factory.mktemp("artifacts")


@pytest.fixture
def tab(browser, base_url: str, artifacts: Path) -> Iterator[Tab]:
    t = Tab(browser, base_url, artifacts)
    yield t
    t.context.close()
    assert not t.external, f"the page tried to fetch from elsewhere: {t.external}"
    assert not t.errors, f"JavaScript errors: {t.errors}"


def test_article_highlights_and_event_links(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/documents/march-shelling")
    page = tab.page
    assert page.locator("#article mark.hl-actor").count() >= 8
    assert page.locator("#article mark.hl-trigger").count() == 4
    expect(page.locator("#article mark.hl-actor", has_text="Kremlin").first).to_be_visible()
    # an event in the list links to its evidence span: clicking it highlights the span and its actors
    link = page.locator('.evlink[data-target="ev-m-reject"]')
    expect(link).to_contain_text("denied")
    link.click()
    evidence = page.locator("#ev-m-reject")
    expect(evidence).to_have_class(re.compile(r"\bis-focus\b"))
    expect(evidence).to_have_class(re.compile(r"\bstatus-denied\b"))
    expect(page.locator("#item-ev-m-reject")).to_have_class(re.compile(r"\bis-focus\b"))
    expect(page.locator("mark.hl-actor.is-related", has_text="the Kremlin")).to_have_count(1)
    assert page.url.endswith("#ev-m-reject")
    # statuses are told apart, with a legend
    expect(page.locator("#ev-m-consult")).to_have_class(re.compile(r"\bstatus-planned\b"))
    expect(page.locator(".legend .badge.status-hypothetical")).to_be_visible()
    tab.shot("article")
    # and the other way: clicking a trigger in the text selects its event in the list
    page.locator("#ev-m-consult").click()
    expect(page.locator("#item-ev-m-consult")).to_have_class(re.compile(r"\bis-focus\b"))
    expect(page.locator("#ev-m-reject")).not_to_have_class(re.compile(r"\bis-focus\b"))


def test_deep_link_to_event(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/documents/april%2Fsanctions%20%26%20aid#ev-a-unconf")
    expect(tab.page.locator("#ev-a-unconf")).to_have_class(re.compile(r"\bis-focus\b"))
    expect(tab.page.locator("#ev-a-unconf")).to_have_class(re.compile(r"\bstatus-unconfirmed\b"))


def test_events_table_filter(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/events")
    page = tab.page
    all_rows = page.locator("#events-table tbody tr").count()
    assert all_rows >= 15
    page.fill('#event-filters input[name="actor"]', "USA")
    page.select_option('#event-filters select[name="status"]', "planned")
    page.click('#event-filters button[type="submit"]')
    page.wait_for_url(re.compile(r"actor=USA"))
    rows = page.locator("#events-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("hold talks")
    expect(rows.first.locator(".badge")).to_have_text("planned")
    href = page.locator("#csv-link").get_attribute("href")
    assert "actor=USA" in href and "status=planned" in href
    csv_text = page.request.get(tab.base + href).text()
    assert "m-consult" in csv_text and "a-sanction" not in csv_text
    tab.shot("events")
    # a bad date is a clear message, not a crash
    page.fill('#event-filters input[name="actor"]', "")
    page.evaluate("document.querySelector('input[name=date_from]').type = 'text'")
    page.fill('#event-filters input[name="date_from"]', "2023-02-30")
    page.click('#event-filters button[type="submit"]')
    expect(page.locator(".error-box")).to_contain_text("date_from")


def test_dyad_timeline_chart(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/dyads")
    page = tab.page
    page.fill('#dyad-form input[name="a"]', "rus")
    page.fill('#dyad-form input[name="b"]', "ukr")
    page.select_option('#dyad-form select[name="period"]', "month")
    page.select_option('#dyad-form select[name="status"]', "all")  # count every status, not only what happened
    page.click('#dyad-form button[type="submit"]')
    page.wait_for_url(re.compile(r"/dyads/RUS/UKR\?period=month&status=all"))
    bars = page.locator("svg#timeline rect.bar")
    assert bars.count() >= 4
    heights = [bars.nth(i).bounding_box()["height"] for i in range(bars.count())]
    assert all(h > 1 for h in heights)
    expect(page.locator("svg#timeline path.intensity-line").first).to_be_visible()
    assert page.locator("svg#timeline circle.intensity-dot").count() >= 3
    expect(page.locator("#dyad-events tbody tr").first).to_be_visible()
    assert page.locator("#dyad-events tbody tr").count() >= 8
    tab.shot("dyad")


def test_network_chart(tab: Tab) -> None:
    tab.goto("/network")
    page = tab.page
    assert page.locator("svg#network g.edge").count() >= 4
    assert page.locator("svg#network .node").count() >= 3
    for country in ("RUS", "UKR", "USA"):
        assert page.locator("svg#network .node text", has_text=country).count() == 1
    tab.shot("network")


def test_malicious_article_is_inert(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/documents/evil%3Cdoc%3E")
    page = tab.page
    page.wait_for_timeout(500)  # give any injected handler a chance to fire
    assert tab.dialogs == []
    expect(page.locator("#article")).to_contain_text("<script>alert(1)</script>")
    expect(page.locator("#article")).to_contain_text("<img src=x onerror=alert(2)>")
    expect(page.locator("h1")).to_contain_text("<img src=x onerror=alert('title')>")
    assert page.evaluate("document.querySelectorAll('script').length") == 1  # only our own dotterel.js
    assert page.evaluate("document.querySelectorAll('img, b, i').length") == 0
    tab.shot("malicious")
    tab.goto("/")
    page.wait_for_timeout(300)
    assert tab.dialogs == []
    expect(page.locator("table.docs")).to_contain_text("<script>alert(3)</script>")


def test_code_page(tab: Tab) -> None:
    from playwright.sync_api import expect

    tab.goto("/code")
    page = tab.page
    page.fill("#token", "wrong-token")
    page.fill('textarea[name="text"]', "Japan and South Korea agreed on Monday to resume regular security talks.")
    page.click('#code-form button[type="submit"]')
    expect(page.locator("#code-error")).to_contain_text("E203")
    tab.shot("code-error")
    page.fill("#token", WRITE_TOKEN)
    page.fill('input[name="title"]', "Japan, South Korea <b>resume</b> talks")
    page.fill('input[name="date"]', "2023-03-20")
    page.click('#code-form button[type="submit"]')
    page.wait_for_url(re.compile(r"/documents/doc-"), timeout=120_000)
    expect(page.locator("h1")).to_have_text("Japan, South Korea <b>resume</b> talks")
    expect(page.locator("#article")).to_contain_text("resume regular security talks")
